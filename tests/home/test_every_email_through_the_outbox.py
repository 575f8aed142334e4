"""Every email the site sends goes through the outbox: ours, and what Django's mail API sends for others
(a password reset, Wagtail's review notifications), so a mail outage loses none and staff can see them.

Django's test set-up swaps ``EMAIL_BACKEND`` for its in-memory outbox; these tests put production's
back (``inbox.emails.OutboxEmailBackend``) and deliver through a real SMTP backend pointed at a port
nothing listens on (the mail server is down), then through the in-memory one (it is back).
"""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from home import roles
from home.factories import StandardPageFactory
from inbox.emails import retry_failed
from inbox.models import OutboundEmail
from tests.conftest import staff

from .test_roles import edit_form, edit_url

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_is_down(settings):
    settings.EMAIL_BACKEND = "inbox.emails.OutboxEmailBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    settings.EMAIL_USE_TLS = False
    settings.PASSWORD_RESET_RATE_LIMIT = "100/h"
    settings.EMAIL_RETRY_BASE_SECONDS = 0
    return settings


def mail_is_back(settings):
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_password_resets_during_a_mail_outage_are_kept_and_sent_later(
    mail_is_down, home_page, django_capture_on_commit_callbacks
):
    get_user_model().objects.create_user("eva", "eva@example.org", "pw")
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/admin/password_reset/", {"email": "eva@example.org"})
        assert response.status_code == 302
    kept = OutboundEmail.objects.filter(to=["eva@example.org"])
    assert kept.count() == 10
    assert set(kept.values_list("status", flat=True)) == {OutboundEmail.Status.FAILED}
    assert "Connection refused" in kept.first().last_error or "refused" in kept.first().last_error.lower()
    assert "/admin/password_reset/confirm/" in kept.first().text_body
    mail_is_back(mail_is_down)
    with django_capture_on_commit_callbacks(execute=True):
        retry_failed()
    assert len([m for m in mail.outbox if m.to == ["eva@example.org"]]) == 10
    assert set(kept.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    assert "reset" in mail.outbox[0].subject.lower()


def test_wagtails_review_notifications_go_through_the_outbox(
    mail_is_down, client, home_page, django_capture_on_commit_callbacks
):
    editor, lead = staff("editor", roles.EDITORS), staff("lead", roles.COMMUNICATIONS_LEADS)
    about = StandardPageFactory(parent=home_page, title="About", slug="about", intro="Live intro.")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(about), {**edit_form(about, title="About the network"), "action-submit": "Submit"})
    to_lead = OutboundEmail.objects.filter(to=[lead.email])
    assert to_lead.exists(), list(OutboundEmail.objects.values_list("to", "subject"))
    assert to_lead.first().status == OutboundEmail.Status.FAILED  # the server is down: kept, not lost
    assert "About the network" in to_lead.first().subject + to_lead.first().text_body
    mail_is_back(mail_is_down)
    with django_capture_on_commit_callbacks(execute=True):
        retry_failed()
    assert any(lead.email in m.to for m in mail.outbox)


def test_what_a_package_sends_keeps_its_sender_copies_and_parts(mail_is_down, django_capture_on_commit_callbacks):
    mail_is_back(mail_is_down)
    message = mail.EmailMultiAlternatives(
        "Weekly digest",
        "Plain text",
        "Digest <digest@example.org>",
        ["a@example.org"],
        cc=["c@example.org"],
        bcc=["b@example.org"],
        headers={"X-Lpsite-Purpose": "digest", "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("notes.txt", b"notes", "text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        assert message.send() == 1
    kept = OutboundEmail.objects.get(purpose="digest")
    assert (kept.from_email, kept.cc, kept.bcc, kept.status) == (
        "Digest <digest@example.org>",
        ["c@example.org"],
        ["b@example.org"],
        OutboundEmail.Status.SENT,
    )
    [sent] = mail.outbox
    assert sent.from_email == "Digest <digest@example.org>" and sent.bcc == ["b@example.org"]
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated" and "X-Lpsite-Purpose" not in sent.extra_headers
    assert sent.alternatives[0][0] == "<p>HTML</p>" and sent.attachments[0][0] == "notes.txt"
