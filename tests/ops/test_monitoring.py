"""Knowing when it breaks: errors mailed to ADMINS through the outbox, optional Sentry, /healthz."""

import datetime
import importlib
import logging
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from inbox.models import OutboundEmail

ADMINS = [("Ops", "ops@example.org"), ("Dev", "dev@example.org")]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.ops.broken_urls", ADMINS=ADMINS)
def test_a_server_error_is_mailed_to_admins_through_the_outbox(mailoutbox, django_capture_on_commit_callbacks):
    client = Client(raise_request_exception=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert b"We have been told about it" in response.content
    email = OutboundEmail.objects.get(purpose="server_error")
    assert email.to == ["ops@example.org", "dev@example.org"]
    assert "/boom/" in email.subject
    assert "RuntimeError" in email.text_body
    assert email.status == OutboundEmail.Status.SENT
    assert [m.to for m in mailoutbox] == [["ops@example.org", "dev@example.org"]]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.ops.broken_urls", ADMINS=ADMINS)
def test_an_error_report_names_the_fields_a_member_filled_in_never_what_they_wrote():
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "s3cr3t-session-key"
    response = client.post(
        "/registrations/manage/AbCdEf123-signed:token/?email=jenn.weaver%40example.org",
        {"name": "Jenn Weaver", "email": "jenn.weaver@example.org", "message": "My tenant's eviction on Elm St"},
    )
    assert response.status_code == 500
    email = OutboundEmail.objects.get(purpose="server_error")
    report = email.subject + email.text_body
    assert "RuntimeError" in report and "/registrations/manage/[private link]/" in report
    for secret in ("Jenn Weaver", "jenn.weaver", "Elm St", "AbCdEf123", "s3cr3t-session-key"):
        assert secret not in report, secret
    assert "name = '[name]'" in report and "message = '[message]'" in report and "email = '[email]'" in report


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.ops.broken_urls", ADMINS=ADMINS, ERROR_EMAIL_THROTTLE_SECONDS=300)
def test_an_error_storm_is_one_email():
    client = Client(raise_request_exception=False)
    for _ in range(5):
        client.get("/boom/")
    assert OutboundEmail.objects.filter(purpose="server_error").count() == 1


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.ops.broken_urls", ADMINS=ADMINS)
def test_a_mail_server_that_is_down_loses_no_report(django_capture_on_commit_callbacks):
    with (
        mock.patch("inbox.emails.EmailMultiAlternatives.send", side_effect=OSError("mail server down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        Client(raise_request_exception=False).get("/boom/")
    email = OutboundEmail.objects.get(purpose="server_error")
    assert email.status == OutboundEmail.Status.FAILED
    assert "mail server down" in email.last_error


@pytest.mark.django_db
@override_settings(ADMINS=ADMINS)
def test_a_bad_host_header_is_not_mailed(home_page):
    assert Client().get("/", HTTP_HOST="evil.example.com").status_code == 400
    assert not OutboundEmail.objects.exists()


def reload_base(monkeypatch, **env):
    from lpsite.settings import base

    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        return SimpleNamespace(**vars(importlib.reload(base)))
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_sentry_is_off_without_a_dsn(monkeypatch):
    with mock.patch("sentry_sdk.init") as init:
        reload_base(monkeypatch, SENTRY_DSN=None)
    init.assert_not_called()


def test_sentry_reports_when_its_dsn_is_set(monkeypatch):
    with mock.patch("sentry_sdk.init") as init:
        reload_base(monkeypatch, SENTRY_DSN="https://key@sentry.example.org/1")
    init.assert_called_once()
    assert init.call_args.kwargs["dsn"] == "https://key@sentry.example.org/1"
    assert init.call_args.kwargs["send_default_pii"] is False


def test_admins_come_from_the_environment(monkeypatch):
    settings = reload_base(monkeypatch, ADMINS="Ops Team <ops@example.org>, dev@example.org")
    assert settings.ADMINS == [("Ops Team", "ops@example.org"), ("", "dev@example.org")]


@pytest.mark.django_db
def test_healthz_is_ok_when_everything_works(caplog):
    with caplog.at_level(logging.INFO):
        response = Client().get("/healthz", HTTP_HOST="10.1.2.3")  # load balancers use the bare address
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "tasks": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response
    assert not [r for r in caplog.records if "healthz" in r.getMessage()]
    assert Client().head("/healthz").status_code == 200


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_not_redirected_to_https():
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_fails_when_the_cache_is_down():
    with mock.patch("ops.health.cache.get", side_effect=ConnectionError("redis down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failing"
    assert "redis" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_fails_when_tasks_wait_too_long(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTHZ_MAX_TASK_AGE = 600
    result = DBTaskResult.objects.create(
        task_path="inbox.emails.deliver_email",
        args_kwargs={"args": [1], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    assert Client().get("/healthz").status_code == 200
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=20),
        run_after=timezone.now() - datetime.timedelta(minutes=20),
    )
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"] == "failing"


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def request_log():
    """What django.request logs (it does not propagate to pytest's capture handler)."""
    handler = _Records()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.mark.django_db
@override_settings(ADMINS=ADMINS)
def test_a_failing_health_check_is_one_warning_not_an_error_mail(
    request_log, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    from ops import health

    health._last_logged.clear()
    with (
        caplog.at_level(logging.INFO, logger="lpsite.health"),
        mock.patch("ops.health.cache.get", side_effect=ConnectionError("redis down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answers = [Client().get("/healthz").status_code for _ in range(5)]
        answers.append(Client().head("/healthz").status_code)
    assert answers == [503] * 6
    assert request_log == []  # no "Service Unavailable: /healthz" at ERROR
    assert not OutboundEmail.objects.filter(purpose="server_error").exists()
    assert mailoutbox == []
    lines = [r for r in caplog.records if r.name == "lpsite.health"]
    assert [(r.levelname, r.getMessage()) for r in lines] == [("WARNING", "Health check cache failing: redis down")]


@pytest.mark.django_db
def test_a_failing_health_check_is_logged_again_after_the_interval(caplog):
    from ops import health

    health._last_logged.clear()
    with (
        caplog.at_level(logging.INFO, logger="lpsite.health"),
        mock.patch("ops.health.cache.get", side_effect=ConnectionError("redis down")),
    ):
        Client().get("/healthz")
        Client().get("/healthz")
        health._last_logged["cache"] -= health.LOG_INTERVAL + 1
        Client().get("/healthz")
    assert len([r for r in caplog.records if r.name == "lpsite.health"]) == 2


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.ops.broken_urls", ADMINS=ADMINS)
def test_the_report_is_sent_directly_when_the_outbox_cannot_be_written(mailoutbox):
    from django.db import OperationalError

    with mock.patch.object(
        OutboundEmail.objects, "create", side_effect=OperationalError("could not connect to server")
    ):
        response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert not OutboundEmail.objects.exists()
    (email,) = mailoutbox
    assert email.to == ["ops@example.org", "dev@example.org"]
    assert "/boom/" in email.subject
    assert "RuntimeError" in email.body


@pytest.mark.django_db
def test_error_reports_are_deleted_after_their_retention_and_nothing_else_is(settings):
    settings.ERROR_REPORT_RETENTION_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    report = OutboundEmail.objects.create(to=["ops@example.org"], subject="boom", text_body="x", purpose="server_error")
    recent = OutboundEmail.objects.create(to=["ops@example.org"], subject="b", text_body="x", purpose="server_error")
    member = OutboundEmail.objects.create(to=["jenn@example.org"], subject="hi", text_body="x", purpose="confirmed")
    OutboundEmail.objects.filter(pk__in=[report.pk, member.pk]).update(created_at=old, status="sent")
    call_command("purge_error_reports", verbosity=0)
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {recent.pk, member.pk}
