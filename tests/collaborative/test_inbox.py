"""Inbox › Collaborative interest: Communications leads (and superusers) only; statuses, notes, export, dashboard."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from collaborative.factories import CollaborativeInterestFactory
from collaborative.inbox import collaborative_interest_admin
from collaborative.interest import CollaborativeInterest
from home import roles
from inbox.admin import INBOXES
from inbox.transitions import TransitionError, apply_transition
from tests.conftest import staff
from tests.html import soup

pytestmark = pytest.mark.django_db
Status = CollaborativeInterest.Status
INDEX = "/admin/collaborative/collaborativeinterest/"


@pytest.fixture
def lee(client):
    user = staff("lee", roles.COMMUNICATIONS_LEADS, first_name="Lee", last_name="Lead")
    client.force_login(user)
    return user


def action_url(obj):
    return reverse("collaborative_collaborativeinterest_modeladmin_action", args=[obj.pk])


def test_it_is_a_registered_inbox_on_the_kit():
    assert collaborative_interest_admin in INBOXES
    assert collaborative_interest_admin.permission == "collaborative.manage_collaborative_interest"


@pytest.mark.parametrize("who", [None, roles.EDITORS, roles.EVENTS_STAFF, roles.HELP_DESK_STAFF])
def test_only_communications_leads_and_superusers_see_it(client, interest_page, who):
    submission = CollaborativeInterestFactory(page=interest_page, email="secret@example.org")
    if who:
        client.force_login(staff("someone", who))
    refused = "/admin/" if who else "/admin/login/"
    for url in (INDEX, INDEX + "?export=csv", INDEX + f"inspect/{submission.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].split("?")[0] == refused, url
    response = client.post(action_url(submission), {"action": "contacted"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Status.NEW
    if who:
        assert "Collaborative interest" not in client.get("/admin/").content.decode()


def test_a_lead_sees_the_list_with_tabs_and_the_menu_item(client, interest_page, lee):
    CollaborativeInterestFactory(page=interest_page, name="Jenn Weaver")
    CollaborativeInterestFactory(page=interest_page, name="Spammy", status=Status.SPAM, spam_reason="honeypot")
    page = soup(client.get(INDEX))
    rows = page.select("table.listing tbody tr")
    assert any("Jenn Weaver" in row.get_text() for row in rows)
    assert "Hillsborough, NC" in page.get_text() and "State organizing committee" in page.get_text()
    assert '"label": "Collaborative interest"' in client.get("/admin/").content.decode()


def test_a_superuser_sees_it(client, interest_page):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    CollaborativeInterestFactory(page=interest_page)
    assert client.get(INDEX).status_code == 200


def test_statuses_new_contacted_closed_with_notes_in_the_history(client, interest_page, lee):
    submission = CollaborativeInterestFactory(page=interest_page, status=Status.NEW)
    client.post(action_url(submission), {"action": "contacted", "message": "Called her on Tuesday."})
    client.post(action_url(submission), {"action": "note", "message": "Wants to host the Chicago convening."})
    client.post(action_url(submission), {"action": "close"})
    submission.refresh_from_db()
    assert submission.status == Status.CLOSED
    history = [
        row.get_text(" ", strip=True)
        for row in soup(client.get(INDEX + f"inspect/{submission.pk}/")).select("table.lp-history tbody tr")
    ]
    assert "Closed" in history[0] and "Lee Lead" in history[0]
    assert "Wants to host the Chicago convening." in history[1]
    assert "Called her on Tuesday." in history[2]
    # A note is required for "Add a note"; a closed one cannot be "contacted".
    with pytest.raises(TransitionError):
        apply_transition(submission, "note", actor=lee, message="")
    with pytest.raises(TransitionError):
        apply_transition(submission, "contacted", actor=lee)


def test_assignment_to_a_colleague_is_logged(client, interest_page, lee):
    submission = CollaborativeInterestFactory(page=interest_page)
    colleague = staff("cam", roles.COMMUNICATIONS_LEADS, first_name="Cam", last_name="Comms")
    client.post(action_url(submission), {"action": "assign", "assignee": colleague.pk})
    submission.refresh_from_db()
    assert submission.assignee == colleague
    assert ModelLogEntry.objects.for_instance(submission).filter(action="lpsite.inbox.assigned").exists()


def test_restoring_spam_sends_the_emails_it_held(client, interest_page, lee, django_capture_on_commit_callbacks):
    submission = CollaborativeInterestFactory(page=interest_page, status=Status.SPAM, spam_reason="honeypot")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(submission), {"action": "restore"})
    submission.refresh_from_db()
    assert submission.status == Status.NEW and submission.spam_reason == ""
    # The member's acknowledgement, and the alert to the people holding the inbox's permission (Lee, a lead).
    assert sorted(m.to for m in mail.outbox) == sorted([[submission.email], [lee.email]])


def test_csv_export_is_readable_and_filtered(client, interest_page, lee):
    CollaborativeInterestFactory(page=interest_page, name='=HYPERLINK("http://evil","x")')
    CollaborativeInterestFactory(page=interest_page, status=Status.CLOSED)
    response = client.get(INDEX, {"export": "csv", "status__exact": "new"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["Name", "Email", "I am", "Jurisdiction", "Leadership position"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Name"].startswith("'=")
    assert row["Leadership position"] == "State organizing committee"
    assert row["I am"] == "Elected official" and row["Status"] == "New"


def test_the_dashboard_counts_what_waits(client, interest_page, lee):
    CollaborativeInterestFactory.create_batch(2, page=interest_page, status=Status.NEW)
    CollaborativeInterestFactory(page=interest_page, status=Status.CONTACTED)
    panel = soup(client.get("/admin/")).select("section.lp-inbox-panel")
    text = " ".join(p.get_text(" ", strip=True) for p in panel)
    assert "2 new" in text
