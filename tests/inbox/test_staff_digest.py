"""The morning digest: staff who tick it in Account › Notifications get one email each morning with what waits
in their inboxes and what is theirs, with links; nothing when nothing waits; once a day."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from helpdesk.factories import HelpDeskPageFactory, HelpDeskRequestFactory
from home import roles
from inbox.models import StaffDigest
from tests.conftest import staff
from tests.html import soup

pytestmark = pytest.mark.django_db


def as_a_browser_sends(page):
    """The account form's fields as they stand (text, ticked boxes, chosen options), as a browser posts them."""
    data = {}
    for field in page.select("form input[name], form select[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif kind == "checkbox":
            if field.has_attr("checked"):
                data[name] = "on"
        elif kind not in ("file", "password"):
            data[name] = field.get("value", "")
    return data


def run_digests(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("send_staff_digests", stdout=out)
    return out.getvalue()


def test_staff_opt_in_from_their_account_and_get_what_waits(client, home_page, django_capture_on_commit_callbacks):
    hana = staff("hana", roles.HELP_DESK_STAFF, first_name="Hana", last_name="Reyes")
    client.force_login(hana)
    page = soup(client.get("/admin/account/"))
    assert "Email me each morning what waits in my inboxes" in page.get_text()
    assert not StaffDigest.objects.exists()  # opening the page writes nothing
    response = client.post("/admin/account/", {**as_a_browser_sends(page), "staff_digest-daily": "on"})
    assert response.status_code == 302
    assert StaffDigest.objects.get(user=hana).daily

    desk = HelpDeskPageFactory(parent=home_page)
    HelpDeskRequestFactory(page=desk, status="new")
    HelpDeskRequestFactory(page=desk, status="in_progress", assignee=hana)
    HelpDeskRequestFactory(
        page=desk, status="in_progress", assignee=hana, due_date=datetime.date.today() - datetime.timedelta(days=3)
    )
    assert "Sent 1" in run_digests(django_capture_on_commit_callbacks)
    [digest] = mail.outbox
    assert digest.to == [hana.email] and digest.subject.startswith("What waits in your inboxes")
    assert "Help Desk" in digest.body and "- New: 1" in digest.body and "- Overdue: 1" in digest.body
    assert "- Assigned to you: 2  http://testserver/admin/helpdesk/helpdeskrequest/?who=me" in digest.body
    assert "/admin/account/" in digest.body

    mail.outbox.clear()
    assert "Sent 0" in run_digests(django_capture_on_commit_callbacks)  # once a day
    assert mail.outbox == []


def test_nothing_waits_nothing_is_sent_and_those_who_did_not_ask_get_nothing(
    home_page, django_capture_on_commit_callbacks
):
    idle = staff("idle", roles.HELP_DESK_STAFF)
    StaffDigest.objects.create(user=idle, daily=True)
    busy_but_not_asking = staff("busy", roles.HELP_DESK_STAFF)
    StaffDigest.objects.create(user=busy_but_not_asking, daily=False)
    run_digests(django_capture_on_commit_callbacks)
    assert mail.outbox == []  # nothing waits yet
    HelpDeskRequestFactory(page=HelpDeskPageFactory(parent=home_page), status="new")
    StaffDigest.objects.filter(user=idle).update(last_sent_on=None)
    run_digests(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[idle.email]]


def test_editors_are_not_offered_it(client, db):
    client.force_login(staff("ed", roles.EDITORS))
    assert "Email me each morning" not in client.get("/admin/account/").content.decode()
