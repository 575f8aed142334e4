"""Emails are saved first and delivered after commit; a mail outage loses nothing."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from inbox.emails import deliver_email, queue_email
from inbox.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def email_templates(settings, tmp_path):
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "hello_subject.txt").write_text("Hello {{ name }}\nsecond line")
    (folder / "hello.txt").write_text("Dear {{ name }}, welcome to {{ organisation_name }}.")
    (folder / "hello.html").write_text("<p>Dear {{ name }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]},
    ]


def test_email_is_saved_then_sent_after_commit(django_capture_on_commit_callbacks):
    from wagtail.models import Site

    from home.models import SiteSettings

    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # the row exists, as in any real site
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue_email(
            "member@example.org", "hello", {"name": "Jenn"}, attachments=[("a.ics", b"BEGIN", "text/calendar")]
        )
        assert mail.outbox == []  # nothing leaves before commit
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.org"]
    assert message.subject == "Hello Jenn second line"
    assert "Dear Jenn" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert message.attachments[0][0] == "a.ics"


def test_member_input_is_escaped_in_html_and_kept_out_of_headers(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email("member@example.org", "hello", {"name": "<script>x</script>\r\nBcc: evil@example.org"})
    message = mail.outbox[0]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "<script>" not in message.alternatives[0][0]
    assert "&lt;script&gt;" in message.alternatives[0][0]
    assert message.bcc == []


@pytest.mark.parametrize("address", ["not-an-email", "a@example.org\nBcc: b@example.org"])
def test_bad_recipients_are_refused(address):
    with pytest.raises(ValidationError):
        queue_email(address, "hello", {"name": "x"})


def test_a_mail_server_outage_loses_nothing_and_is_retried(django_capture_on_commit_callbacks):
    outage = mock.patch("inbox.emails.send_now", side_effect=smtplib.SMTPServerDisconnected("Connection refused"))
    with outage, django_capture_on_commit_callbacks(execute=True):
        email = queue_email("member@example.org", "hello", {"name": "Jenn"})
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert "Connection refused" in email.last_error
    assert mail.outbox == []

    call_command("retry_emails")  # too soon: the backoff holds it
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        call_command("retry_emails")
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_retry_sends_what_has_attempts_left_and_gives_up_after_the_maximum(settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    spent = OutboundEmail.objects.create(
        to=["m@example.org"], subject="spent", text_body="b", status="failed", attempts=2
    )
    due = OutboundEmail.objects.create(to=["d@example.org"], subject="due", text_body="b", status="failed", attempts=1)
    call_command("retry_emails")
    spent.refresh_from_db()
    due.refresh_from_db()
    assert spent.status == OutboundEmail.Status.FAILED and spent.attempts == 2
    assert due.status == OutboundEmail.Status.SENT and due.attempts == 2
    assert [m.subject for m in mail.outbox] == ["due"]


def test_a_sent_email_is_never_sent_twice():
    email = OutboundEmail.objects.create(to=["m@example.org"], subject="s", text_body="b")
    deliver_email.enqueue(email.pk)
    deliver_email.enqueue(email.pk)
    assert len(mail.outbox) == 1
