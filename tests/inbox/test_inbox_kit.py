"""The inbox kit (inbox/): transitions, permissions, bulk actions, export, dashboard.

Registrations are the kit's first user, so the tests drive it through them.
"""

import csv
import dataclasses
import datetime
import io
import re
import zoneinfo

import openpyxl
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from events.factories import EventPageFactory, RegistrationFactory
from events.registration.admin import registration_admin
from events.registration.models import Registration
from home import roles
from inbox.admin import INBOXES, readable_datetime
from inbox.models import OutboundEmail
from inbox.transitions import Transition, TransitionError, apply_bulk, apply_transition
from tests.conftest import staff
from tests.html import soup

pytestmark = pytest.mark.django_db
Status = Registration.Status
INDEX = "/admin/events/registration/"
BULK = INDEX + "bulk/"


@pytest.fixture
def eva(client):
    user = staff("eva", roles.EVENTS_STAFF, first_name="Eva", last_name="Events")
    client.force_login(user)
    return user


@pytest.fixture
def event(home_page):
    return EventPageFactory(parent=home_page, title="Housing", capacity=2)


def action_url(obj):
    return reverse("events_registration_modeladmin_action", args=[obj.pk])


# Transitions -------------------------------------------------------------------------


def test_apply_transition_moves_saves_logs_and_emails_after_commit(event, eva, django_capture_on_commit_callbacks):
    r = RegistrationFactory(event=event, status=Status.PENDING)
    with django_capture_on_commit_callbacks() as callbacks:
        result = apply_transition(r, "approve", actor=eva)
        assert mail.outbox == []  # nothing is sent before the commit
    assert result.status == Status.CONFIRMED
    assert Registration.objects.get(pk=r.pk).status == Status.CONFIRMED
    (entry,) = ModelLogEntry.objects.for_instance(r)
    assert entry.action == "lpsite.registration.approved" and entry.user == eva
    assert entry.data["previous"] == "pending" and entry.data["status"] == "confirmed"
    email = OutboundEmail.objects.get(related_key=f"events.registration:{r.pk}")  # saved with the change
    assert email.subject.startswith("Approved")
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[r.email]]


def test_a_wrong_starting_status_is_refused_with_a_message_and_changes_nothing(event, eva):
    r = RegistrationFactory(event=event, status=Status.CANCELLED)
    with pytest.raises(TransitionError) as refused:
        apply_transition(r, "approve", actor=eva)
    assert "isn't possible for this registration any more: it is cancelled" in str(refused.value)
    r.refresh_from_db()
    assert r.status == Status.CANCELLED
    assert not ModelLogEntry.objects.for_instance(r).exists()
    assert not OutboundEmail.objects.exists()


def test_the_status_is_read_under_the_lock_not_from_a_stale_object(event, eva):
    r = RegistrationFactory(event=event, status=Status.PENDING)
    stale = Registration.objects.get(pk=r.pk)
    apply_transition(r, "decline", actor=eva)
    with pytest.raises(TransitionError):
        apply_transition(stale, "approve", actor=eva)  # the other tab still shows "pending"
    assert Registration.objects.get(pk=r.pk).status == Status.REJECTED


def test_unknown_transitions_messages_and_permissions_are_checked(event, eva, monkeypatch):
    r = RegistrationFactory(event=event, status=Status.PENDING)
    with pytest.raises(TransitionError, match="not an action"):
        apply_transition(r, "explode", actor=eva)
    strict = (
        Transition("approve", "Approve", sources=(Status.PENDING,), target=Status.CONFIRMED, needs_message=True),
        Transition("decline", "Decline", sources=(Status.PENDING,), target=Status.REJECTED, permission="home.nope"),
    )
    monkeypatch.setattr(Registration, "transitions", strict)
    with pytest.raises(TransitionError, match="needs a message"):
        apply_transition(r, "approve", actor=eva, message="  ")
    with pytest.raises(TransitionError, match="permission"):
        apply_transition(r, "decline", actor=eva)
    assert Registration.objects.get(pk=r.pk).status == Status.PENDING
    assert apply_transition(r, "approve", actor=eva, message="Welcome").status == Status.CONFIRMED


def test_a_handler_may_choose_another_status_and_log_action(event, eva):
    RegistrationFactory.create_batch(2, event=event)  # the two seats are taken
    r = RegistrationFactory(event=event, status=Status.PENDING)
    assert apply_transition(r, "approve", actor=eva).status == Status.WAITLISTED
    assert ModelLogEntry.objects.for_instance(r).get().action == "lpsite.registration.waitlisted"


def test_apply_bulk_changes_what_it_can_and_reports_the_rest(event, eva):
    ok = RegistrationFactory.create_batch(2, event=event, status=Status.PENDING)
    done = RegistrationFactory(event=event, status=Status.CANCELLED)
    changed, skipped = apply_bulk(Registration, [o.pk for o in ok] + [done.pk], "decline", actor=eva)
    assert sorted(o.pk for o in changed) == sorted(o.pk for o in ok)
    assert [o.pk for o in skipped] == [done.pk]
    with pytest.raises(TransitionError, match="several at once"):
        apply_bulk(Registration, [ok[0].pk], "resend", actor=eva)


def test_apply_bulk_is_one_transaction_an_error_on_a_later_row_undoes_the_earlier_ones(
    event, eva, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = RegistrationFactory.create_batch(2, event=event, status=Status.PENDING)
    decline = Registration.get_transition("decline")

    def email_or_fail(obj, **kwargs):
        if obj.pk == second.pk:
            raise RuntimeError("the mail template is broken")
        return decline.email(obj, **kwargs)

    monkeypatch.setattr(Registration, "transitions", (dataclasses.replace(decline, email=email_or_fail),))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        apply_bulk(Registration, [first.pk, second.pk], "decline", actor=eva)
    assert set(Registration.objects.values_list("status", flat=True)) == {Status.PENDING}  # the first too
    assert not ModelLogEntry.objects.filter(action="lpsite.registration.declined").exists()
    assert not OutboundEmail.objects.exists() and mail.outbox == []


def test_apply_bulk_takes_rows_in_the_order_of_their_locks_event_first(home_page, eva):
    early, late = (EventPageFactory(parent=home_page, title=t) for t in ("Early", "Late"))
    on_late = RegistrationFactory(event=late, status=Status.PENDING)  # the lower row id…
    on_early = RegistrationFactory(event=early, status=Status.PENDING)  # …on the lower event id
    also_on_late = RegistrationFactory(event=late, status=Status.PENDING)
    changed, _ = apply_bulk(Registration, [also_on_late.pk, on_late.pk, on_early.pk], "decline", actor=eva)
    expected = [on_early.pk, on_late.pk, also_on_late.pk]  # events locked in order, as every bulk action does
    assert [o.pk for o in changed] == expected
    logged = ModelLogEntry.objects.filter(action="lpsite.registration.declined").order_by("pk")
    assert [int(e.object_id) for e in logged] == expected


# Permissions -------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, roles.EDITORS, roles.HELP_DESK_STAFF, roles.COMMUNICATIONS_LEADS])
def test_one_codename_governs_list_inspect_export_actions_and_bulk(client, event, who):
    r = RegistrationFactory(event=event, status=Status.PENDING, email="secret@example.org")
    if who:
        client.force_login(staff("someone", who))
    # Wagtail answers a refusal in the admin with a redirect: staff to the dashboard, others to log in.
    refused = "/admin/" if who else "/admin/login/"
    for url in (INDEX, INDEX + "?export=csv", INDEX + "?export=xlsx", INDEX + f"inspect/{r.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].split("?")[0] == refused, url
    for url, data in ((action_url(r), {"action": "approve"}), (BULK, {"action": "approve", "selected": [r.pk]})):
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].split("?")[0] == refused, url
    r.refresh_from_db()
    assert r.status == Status.PENDING
    if who:
        assert "Registrations" not in client.get("/admin/").content.decode()


def test_holders_of_the_codename_get_the_inbox_menu_item(client, eva):
    page = client.get("/admin/").content.decode()
    assert '"name": "inbox"' in page and '"label": "Registrations"' in page


def test_actions_need_the_csrf_token(event, eva):
    r = RegistrationFactory(event=event, status=Status.PENDING)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(eva)
    assert strict.post(action_url(r), {"action": "approve"}).status_code == 403
    assert strict.post(BULK, {"action": "approve", "selected": [r.pk]}).status_code == 403
    assert Registration.objects.get(pk=r.pk).status == Status.PENDING


def test_the_action_endpoint_is_post_only(client, event, eva):
    r = RegistrationFactory(event=event, status=Status.PENDING)
    assert client.get(action_url(r)).status_code == 405


# The list: tabs, bulk actions ----------------------------------------------------------


def test_status_tabs_count_the_current_search_and_filters(client, event, eva):
    RegistrationFactory(event=event, name="Ana Ortiz")
    RegistrationFactory(event=event, name="Ana Lee", status=Status.PENDING)
    RegistrationFactory(event=event, name="Bo Diaz", status=Status.PENDING)
    page = soup(client.get(INDEX, {"q": "ana"}))
    tabs = {a.contents[0].strip(): a.select_one(".lp-count").get_text() for a in page.select(".lp-status-tabs a")}
    assert tabs["All"] == "2" and tabs["Confirmed"] == "1" and tabs["Pending approval"] == "1"
    pending = page.select(".lp-status-tabs a")[1:]
    link = next(a for a in pending if a.contents[0].strip() == "Pending approval")["href"]
    assert "q=ana" in link and "status__exact=pending" in link
    rows = soup(client.get(INDEX + link)).select("table.listing tbody tr")
    assert [row.select_one("td.field-name").get_text(" ", strip=True).split(" ")[:2] for row in rows] == [
        ["Ana", "Lee"]
    ]


def test_ticked_rows_get_the_bulk_action(client, event, eva, django_capture_on_commit_callbacks):
    a, b = RegistrationFactory.create_batch(2, event=event, status=Status.PENDING)
    untouched = RegistrationFactory(event=event, status=Status.PENDING)
    page = soup(client.get(INDEX, {"status__exact": "pending"}))
    boxes = page.select('input[name="selected"][form="inbox-bulk-form"]')
    assert len(boxes) == 3 and all(box.get("aria-label", "").startswith("Select ") for box in boxes)
    form = page.select_one("form#inbox-bulk-form")
    options = [o["value"] for o in form.select("select[name=action] option")]
    assert "approve" in options and "resend" not in options  # only bulk transitions
    back = form.select_one("input[name=next]")["value"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BULK, {"action": "approve", "selected": [a.pk, b.pk], "next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "Approved: 2 registrations." in soup(response).get_text()
    assert dict(Registration.objects.values_list("pk", "status")) == {
        a.pk: Status.CONFIRMED,
        b.pk: Status.CONFIRMED,
        untouched.pk: Status.PENDING,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    assert all(e.user == eva for e in ModelLogEntry.objects.filter(action="lpsite.registration.approved"))


def test_bulk_decline_carries_the_optional_message_and_other_actions_drop_it(
    client, event, eva, django_capture_on_commit_callbacks
):
    a, b, c = RegistrationFactory.create_batch(3, event=event, status=Status.PENDING)
    form = soup(client.get(INDEX)).select_one("form#inbox-bulk-form")
    field = form.select_one("input[name=message]")
    assert form.select_one(f"label[for={field['id']}]").get_text(strip=True) == (
        "Message to the member (for “Decline”; optional)"
    )
    note = "This series is for elected officials only."
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BULK, {"action": "decline", "selected": [a.pk, b.pk], "message": note})
        client.post(BULK, {"action": "approve", "selected": [c.pk], "message": note})  # Approve takes none
    declined = ModelLogEntry.objects.filter(action="lpsite.registration.declined")
    assert sorted(int(e.object_id) for e in declined) == sorted([a.pk, b.pk])
    assert all(e.data["message"] == note for e in declined)
    assert "message" not in ModelLogEntry.objects.get(action="lpsite.registration.approved").data
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert note in bodies[a.email] and note in bodies[b.email] and note not in bodies[c.email]


def test_bulk_reports_rows_it_skipped_and_refuses_empty_or_unknown(client, event, eva):
    pending = RegistrationFactory(event=event, status=Status.PENDING, name="Pat")
    cancelled = RegistrationFactory(event=event, status=Status.CANCELLED, name="Cy")
    text = soup(client.post(BULK, {"action": "approve", "selected": [pending.pk, cancelled.pk]}, follow=True)).text
    assert "Approved: 1 registration." in text and "1 not changed" in text and "Cy" in text
    assert "Tick at least one row" in soup(client.post(BULK, {"action": "approve"}, follow=True)).text
    refused = soup(client.post(BULK, {"action": "resend", "selected": [pending.pk]}, follow=True)).text
    assert "Choose one of the actions" in refused
    evil = client.post(BULK, {"action": "approve", "selected": [pending.pk], "next": "https://evil.example/"})
    assert evil["Location"] == INDEX


# Inspect view --------------------------------------------------------------------------


def test_inspect_shows_answers_actions_and_the_whole_history(client, event, eva):
    r = RegistrationFactory(event=event, status=Status.PENDING, name="Lee Park")
    client.post(action_url(r), {"action": "approve"})
    client.post(action_url(r), {"action": "decline", "message": "Wrong county, sorry."})
    page = soup(client.get(INDEX + f"inspect/{r.pk}/"))
    history = [row.get_text(" ", strip=True) for row in page.select("table.lp-history tbody tr")]
    assert "Declined" in history[0] and "Eva Events" in history[0] and "Wrong county, sorry." in history[0]
    assert "(was confirmed)" in history[0]
    assert "Approved" in history[1] and "(was pending approval)" in history[1]
    # The header has no "+" button leading to a GET of the action endpoint (a 405).
    assert not page.select(f'header a[href="{action_url(r)}"]')
    assert all(a.get_text(strip=True) or a.get("aria-label") for a in page.select("header a"))


def test_a_refused_action_says_why(client, event, eva):
    r = RegistrationFactory(event=event, status=Status.CANCELLED)
    text = soup(client.post(action_url(r), {"action": "approve"}, follow=True)).text
    assert "isn't possible for this registration any more" in text


def test_assignment_is_offered_to_inbox_staff_only_and_logged(client, event, eva):
    r = RegistrationFactory(event=event, status=Status.PENDING)
    colleague = staff("ed", roles.EVENTS_STAFF, first_name="Ed", last_name="Events")
    outsider = staff("hd", roles.HELP_DESK_STAFF)
    options = [o["value"] for o in soup(client.get(INDEX + f"inspect/{r.pk}/")).select("select#assignee option")]
    assert str(colleague.pk) in options and str(outsider.pk) not in options
    text = soup(client.post(action_url(r), {"action": "assign", "assignee": outsider.pk}, follow=True)).text
    assert "can't be assigned" in text
    client.post(action_url(r), {"action": "assign", "assignee": colleague.pk})
    r.refresh_from_db()
    assert r.assignee == colleague
    entry = ModelLogEntry.objects.for_instance(r).get()
    assert entry.action == "lpsite.inbox.assigned" and entry.data["assignee"] == "Ed Events"


# Export -------------------------------------------------------------------------------


def test_csv_export_is_readable_filtered_and_safe(client, event, eva, settings):
    r = RegistrationFactory(event=event, name='=HYPERLINK("http://evil","x")', role="staff")
    RegistrationFactory(event=event, status=Status.WAITLISTED)
    response = client.get(INDEX, {"export": "csv", "status__exact": "confirmed"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Email",
        "Role",
        "Jurisdiction or organisation",
        "Event",
        "Event date (event's time zone)",
        "Status",
        "Rating (1–5)",
        "Rating comment",
        "Registered",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Name"] == '\'=HYPERLINK("http://evil","x")'
    assert row["Role"] == "Staff of an elected official" and row["Status"] == "Confirmed"
    assert row["Registered"] == readable_datetime(r.created_at)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T", row["Registered"])  # the site's zone, no seconds


def test_export_dates_are_in_the_sites_zone_and_the_events_whatever_the_readers_zone(client, home_page, eva):
    profile = UserProfile.get_for_user(eva)
    profile.current_time_zone = "America/Los_Angeles"  # Eva reads the admin in Pacific time
    profile.save()
    start = datetime.datetime(2026, 3, 4, 19, 0, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
    chicago = EventPageFactory(parent=home_page, title="Transit", timezone="America/Chicago", start=start)
    registered = datetime.datetime(2026, 2, 1, 17, 30, 12, 345, tzinfo=datetime.UTC)
    RegistrationFactory(event=chicago, created_at=registered)
    for export in ("csv", "xlsx"):
        response = client.get(INDEX, {"export": export})
        content = b"".join(response.streaming_content)
        if export == "csv":
            header, row = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        else:
            header, row = ([c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(content)).active)
        values = dict(zip(header, row, strict=True))
        assert values["Registered"] == "2026-02-01 12:30 EST"  # the site's zone (TIME_ZONE), not Eva's
        assert values["Event date (event's time zone)"] == "2026-03-04 19:00 CST"  # as the event announces it
    with timezone.override("America/Los_Angeles"):  # whatever zone is active where the export runs
        assert readable_datetime(registered) == "2026-02-01 12:30 EST"


def test_xlsx_export_is_readable_and_safe(client, event, eva):
    RegistrationFactory(event=event, name="=1+1", status=Status.PENDING)
    response = client.get(INDEX, {"export": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["Name"] == "'=1+1" and values["Status"] == "Pending approval"
    assert sheet.cell(row=2, column=1).data_type == "s"  # text, not a formula


# Dashboard -----------------------------------------------------------------------------


def test_the_dashboard_panel_shows_what_waits_and_links_to_the_filtered_list(client, event, eva):
    waiting = RegistrationFactory.create_batch(3, event=event, status=Status.PENDING)
    RegistrationFactory(event=event, status=Status.PENDING, assignee=eva)
    # Unassigned too, but nothing waits on them: neither counted nor listed.
    RegistrationFactory.create_batch(2, event=EventPageFactory(parent=event.get_parent(), title="Zoning"))
    RegistrationFactory(event=event, status=Status.CANCELLED)
    page = soup(client.get("/admin/"))
    panel = page.select_one("section.lp-inbox-panel")
    links = {a.get_text(" ", strip=True): a["href"] for a in panel.select(".lp-inbox-panel__counts a")}
    assert links["4 pending approval"] == INDEX + "?status__exact=pending"
    assert links["3 unassigned"].startswith(INDEX)
    listing = soup(client.get(links["3 unassigned"]))
    listed = listing.select("table.listing tbody tr")
    assert sorted(int(row.select_one("input.lp-select")["value"]) for row in listed) == sorted(r.pk for r in waiting)
    # The list says which filter is on: the count's own words, in the filter sidebar.
    chosen = [li.get_text(" ", strip=True) for li in listing.select("li.selected")]
    assert "Unassigned and waiting (pending approval, waitlisted, suspected spam)" in chosen


def test_no_panel_for_people_outside_the_inbox(client, event):
    RegistrationFactory(event=event, status=Status.PENDING)
    client.force_login(staff("ed", roles.EDITORS))
    assert not soup(client.get("/admin/")).select("section.lp-inbox-panel")


def test_registrations_are_a_registered_inbox():
    assert registration_admin in INBOXES
