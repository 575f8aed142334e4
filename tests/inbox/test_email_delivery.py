"""Email delivery survives crashes: claim, send outside locks, record; retry takes up what was left behind."""

import datetime
import smtplib
import threading
import time
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from home import roles
from inbox.emails import backoff, claim, deliver_email, send_now
from inbox.models import OutboundEmail
from tests.html import soup

Status = OutboundEmail.Status


def saved(**fields):
    return OutboundEmail.objects.create(
        to=["m@example.org"], subject=fields.pop("subject", "Hi"), text_body="b", **fields
    )


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.mark.django_db
def test_a_claimed_email_cannot_be_claimed_again():
    email = saved()
    assert claim(email.pk) is True
    assert claim(email.pk) is False
    email.refresh_from_db()
    assert email.status == Status.SENDING and email.claimed_at is not None and email.attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_send_one_email_twice():
    email = saved(subject="Once")
    start = threading.Barrier(2)
    real_send = __import__("inbox.emails", fromlist=["send_now"]).send_now

    def slow_send(message):
        time.sleep(0.3)  # the other worker tries while this one is sending
        real_send(message)

    def worker():
        try:
            start.wait(timeout=10)
            deliver_email.call(email.pk)
        finally:
            connections.close_all()

    with mock.patch("inbox.emails.send_now", side_effect=slow_send):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert [m.subject for m in mail.outbox] == ["Once"]
    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 1


@pytest.mark.django_db
def test_an_email_left_queued_by_a_crash_before_enqueue_is_sent_by_retry():
    left = saved(subject="Left behind")
    OutboundEmail.objects.filter(pk=left.pk).update(created_at=ago(minutes=5))
    just_now = saved(subject="Just saved")  # its own task is about to run: left alone
    call_command("retry_emails")
    left.refresh_from_db()
    just_now.refresh_from_db()
    assert left.status == Status.SENT and just_now.status == Status.QUEUED
    assert [m.subject for m in mail.outbox] == ["Left behind"]


@pytest.mark.django_db
def test_a_stale_claim_from_a_crash_mid_send_is_taken_up_but_a_fresh_one_is_not():
    stale = saved(subject="Stale", status=Status.SENDING, claimed_at=ago(minutes=20), attempts=1)
    busy = saved(subject="Busy", status=Status.SENDING, claimed_at=ago(seconds=30), attempts=1)
    call_command("retry_emails")
    stale.refresh_from_db()
    busy.refresh_from_db()
    assert stale.status == Status.SENT and stale.attempts == 2
    assert busy.status == Status.SENDING
    assert [m.subject for m in mail.outbox] == ["Stale"]


@pytest.mark.django_db
def test_failures_back_off_exponentially(settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    assert [backoff(n) for n in (1, 2, 3)] == [60, 120, 240]
    email = saved()
    with mock.patch("inbox.emails.send_now", side_effect=smtplib.SMTPServerDisconnected("down")):
        deliver_email.call(email.pk)
        email.refresh_from_db()
        first_wait = email.next_attempt_at - timezone.now()
        assert email.status == Status.FAILED and datetime.timedelta(seconds=50) < first_wait <= datetime.timedelta(
            seconds=60
        )
        call_command("retry_emails")  # not due yet
        email.refresh_from_db()
        assert email.attempts == 1
        with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61), tick=False):
            call_command("retry_emails")
            email.refresh_from_db()
            assert email.attempts == 2
            assert email.next_attempt_at - timezone.now() == datetime.timedelta(seconds=120)


def staff(username, group=None, **extra):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.django_db
def test_staff_with_the_permission_see_failed_emails_and_send_them_again(client):
    failed = saved(subject="Your seat", status=Status.FAILED, attempts=6, last_error="SMTPServerDisconnected: down")
    client.force_login(staff("eva", roles.EVENTS_STAFF))
    # Events staff see their inbox's emails only (tests/inbox/test_member_data_doors.py): not this one.
    assert "Your seat" not in client.get("/admin/inbox/outboundemail/").content.decode()
    assert client.get(f"/admin/inbox/outboundemail/inspect/{failed.pk}/")["Location"].split("?")[0] == "/admin/"
    client.force_login(staff("root", is_superuser=True))
    listing = soup(client.get("/admin/inbox/outboundemail/", {"status__exact": "failed"}))
    assert "Your seat" in listing.select_one("table.listing").get_text()
    detail = soup(client.get(f"/admin/inbox/outboundemail/inspect/{failed.pk}/"))
    form = detail.find("button", string="Send again").find_parent("form")
    response = client.post(form["action"], follow=True)
    assert "Sent." in soup(response).get_text()
    failed.refresh_from_db()
    assert failed.status == Status.SENT and [m.subject for m in mail.outbox] == ["Your seat"]


def holding(username, *codenames):
    """A non-superuser with admin access and nothing else but ``codenames``."""
    user = staff(username)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *(Permission.objects.get(content_type__app_label="inbox", codename=c) for c in codenames),
    )
    return user


@pytest.mark.django_db
def test_the_permission_lets_a_non_superuser_see_and_retry_failed_emails_and_nobody_else(client):
    failed = saved(subject="Your seat", status=Status.FAILED, attempts=6, last_error="SMTPServerDisconnected: down")
    sent = saved(subject="Welcome", status=Status.SENT)
    index, inspect = "/admin/inbox/outboundemail/", f"/admin/inbox/outboundemail/inspect/{failed.pk}/"
    retry = f"/admin/inbox/outboundemail/retry/{failed.pk}/"

    client.force_login(holding("nat"))  # admin access, not the permission
    assert "/admin/inbox/outboundemail/" not in client.get("/admin/").text  # no menu item
    assert client.get(index).status_code == 302 and client.get(inspect).status_code == 302
    refused = client.post(retry)  # Wagtail turns PermissionDenied into a redirect to the dashboard
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    failed.refresh_from_db()
    assert failed.status == Status.FAILED and failed.attempts == 6 and mail.outbox == []

    client.force_login(holding("olly", "retry_outboundemail"))
    assert not get_user_model().objects.get(username="olly").is_superuser
    assert "/admin/inbox/outboundemail/" in client.get("/admin/").text  # Settings › Outgoing emails
    listing = soup(client.get(index, {"status__exact": "failed"}))
    rows = listing.select_one("table.listing").get_text()
    assert "Your seat" in rows and "Welcome" not in rows
    detail = soup(client.get(inspect))
    form = detail.find("button", string="Send again").find_parent("form")
    assert form["action"] == retry
    response = client.post(retry, follow=True)
    assert "Sent." in soup(response).get_text()
    failed.refresh_from_db()
    assert failed.status == Status.SENT and [m.subject for m in mail.outbox] == ["Your seat"]
    assert sent.status == Status.SENT


@pytest.mark.django_db
def test_an_email_sent_again_after_a_worker_died_mid_send_keeps_its_message_id():
    """The idempotency key: mail systems keep one copy of the two (nothing was lost either)."""
    email = saved(subject="Your seat")
    assert claim(email.pk)
    send_now(OutboundEmail.objects.get(pk=email.pk))  # the mail server accepted it; then the worker was killed
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=ago(minutes=20))
    call_command("retry_emails")
    first, second = mail.outbox
    assert first.message()["Message-ID"] == second.message()["Message-ID"]
    assert first.message()["Message-ID"].startswith(f"<lpsite-outbox.{email.pk}.")
    other = saved(subject="Another")
    deliver_email.call(other.pk)
    assert mail.outbox[-1].message()["Message-ID"] != first.message()["Message-ID"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker closes its connections
def test_a_task_a_killed_worker_left_running_is_taken_up_again(settings):
    """With the production queue (django-tasks-db): the row a dead worker left "running" is ready again after
    the stale time, and the next worker runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    email = saved(subject="Stuck")
    deliver_email.enqueue(email.pk)
    row = DBTaskResult.objects.get()
    row.claim("worker-that-died")  # taken, then the process was killed (kill -9): never finished
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=ago(minutes=20))
    fresh = saved(subject="In progress")
    deliver_email.enqueue(fresh.pk)
    busy = DBTaskResult.objects.exclude(pk=row.pk).get()
    busy.claim("worker-alive")  # a worker on it right now: left alone
    call_command("retry_emails")
    row.refresh_from_db()
    busy.refresh_from_db()
    assert row.status == TaskResultStatus.READY and busy.status == TaskResultStatus.RUNNING
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    email.refresh_from_db()
    assert email.status == Status.SENT and [m.subject for m in mail.outbox].count("Stuck") == 1
