"""Retention: purge_helpdesk_requests removes personal data and keeps the statistics."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from helpdesk.factories import HelpDeskRequestFactory
from helpdesk.models import HelpDeskRequest, RequestActivity
from inbox.models import OutboundEmail
from inbox.transitions import apply_transition

from .conftest import intake

pytestmark = pytest.mark.django_db
Status = HelpDeskRequest.Status


def test_purge_anonymises_old_closed_requests_and_keeps_statistics(client, help_desk, staff, housing, settings):
    settings.HELPDESK_RETENTION_DAYS = 30
    client.post("/help-desk/", intake(issue_area=str(housing.pk), phone="555-0100"))
    old = HelpDeskRequest.objects.get()
    link = re.search(r"https?://\S+/helpdesk/request/\S+/", mail.outbox[0].body).group()
    apply_transition(old, "reply", actor=staff, message="Hello Jenn, here are examples.")
    apply_transition(old, "close", actor=staff)
    HelpDeskRequest.objects.filter(pk=old.pk).update(closed_at=timezone.now() - datetime.timedelta(days=31))
    recent = HelpDeskRequestFactory(page=help_desk, status=Status.CLOSED, closed_at=timezone.now(), name="Keep Me")
    still_open = HelpDeskRequestFactory(
        page=help_desk, created_at=timezone.now() - datetime.timedelta(days=400), name="Open Case"
    )

    dry = StringIO()
    call_command("purge_helpdesk_requests", "--dry-run", stdout=dry)
    assert "Would anonymise 1" in dry.getvalue() and old.reference in dry.getvalue()
    assert HelpDeskRequest.objects.get(pk=old.pk).name == "Jenn Weaver"

    out = StringIO()
    call_command("purge_helpdesk_requests", stdout=out)
    assert "Anonymised 1" in out.getvalue()
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.name, old.email, old.phone, old.office, old.jurisdiction, old.details) == ("", "", "", "", "", "")
    assert old.form_data == {}
    assert "Jenn" not in old.question
    # The statistics stay
    assert old.reference.startswith("HD-") and old.category == "policy" and old.issue_area == housing
    assert old.status == Status.CLOSED and old.created_at and old.closed_at
    assert list(old.thread().values_list("kind", flat=True))[:2] == ["submitted", "reply"]
    assert not RequestActivity.objects.filter(request=old).exclude(text="").exists()
    # Nothing personal left around it
    for email in OutboundEmail.objects.filter(related_key=f"helpdesk.helpdeskrequest:{old.pk}"):
        assert email.to == [] and "Jenn" not in email.text_body + email.html_body + email.subject
    for entry in ModelLogEntry.objects.for_instance(old):
        assert "Jenn" not in str(entry.data) and "examples" not in str(entry.data)
    # The member's link now says it expired
    response = client.get(link)
    assert response.status_code == 410
    # Others untouched; a second run does nothing
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.name == "Keep Me" and still_open.name == "Open Case"
    again = StringIO()
    call_command("purge_helpdesk_requests", stdout=again)
    assert "Anonymised 0" in again.getvalue()


def test_old_spam_is_purged_too(help_desk, settings):
    settings.HELPDESK_RETENTION_DAYS = 30
    spam = HelpDeskRequestFactory(
        page=help_desk,
        status=Status.SPAM,
        spam_reason="honeypot",
        created_at=timezone.now() - datetime.timedelta(days=60),
    )
    call_command("purge_helpdesk_requests", stdout=StringIO())
    spam.refresh_from_db()
    assert spam.anonymised_at and spam.email == ""


def test_the_privacy_note_follows_the_setting(client, help_desk, settings):
    settings.HELPDESK_RETENTION_DAYS = 90
    response = client.get("/help-desk/")
    assert "3 months after your request is closed we delete your name" in response.text
    assert "only Help Desk staff can read" in response.text


def test_the_form_links_to_the_privacy_page_like_every_public_form(client, help_desk, home_page):
    from bs4 import BeautifulSoup

    from home.factories import StandardPageFactory
    from home.models import SiteSettings

    def note():
        html = BeautifulSoup(client.get("/help-desk/").content, "html.parser")
        return html.select_one("form #privacy-note")

    assert not note().find("a")  # no privacy page yet: no link, and no sentence left hanging
    privacy = StandardPageFactory(parent=home_page, title="Privacy", slug="privacy")
    settings = SiteSettings.for_site(home_page.get_site())
    settings.privacy_page = privacy
    settings.save()
    link = note().find("a")
    assert link["href"] == "/privacy/"
    assert "see, correct or delete" in link.parent.get_text()
