"""The registrations inbox: who sees it, what it shows, what staff can do."""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from events.factories import EventPageFactory, EventSeriesPageFactory, RegistrationFactory
from events.models import EventPage
from events.registration.models import Registration
from home import roles
from tests.html import soup

from .conftest import staff

pytestmark = pytest.mark.django_db
Status = Registration.Status
INDEX = "/admin/events/registration/"


@pytest.fixture
def event(primers):
    return EventPageFactory(parent=primers, title="Housing Justice", capacity=2, requires_approval=False)


def reg(event, email, status=Status.CONFIRMED, name=None, **extra):
    name = name or email.split("@")[0].title()
    form_data = {"name": name, "email": email, "role": "elected", **extra}
    return RegistrationFactory(event=event, name=name, email=email, status=status, form_data=form_data)


@pytest.mark.parametrize("who", [None, roles.EDITORS, roles.HELP_DESK_STAFF, roles.COMMUNICATIONS_LEADS])
def test_only_events_staff_and_superusers_see_the_inbox_or_export(client, event, who):
    r = reg(event, "a@example.org")
    if who is not None:
        client.force_login(staff("someone", who))
    refused = "/admin/" if who else "/admin/login/"  # Wagtail redirects staff it refuses to the dashboard
    for url in (INDEX, INDEX + "?export=csv", INDEX + f"inspect/{r.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].split("?")[0] == refused, url
    if who is not None:
        menu = client.get("/admin/").content.decode()
        assert "Registrations" not in menu


def test_events_staff_find_it_under_inbox(client, events_staff):
    admin_home = client.get("/admin/").content.decode()
    assert '"name": "inbox"' in admin_home and '"label": "Inbox"' in admin_home
    assert '"label": "Registrations"' in admin_home
    assert client.get(INDEX).status_code == 200


def test_superusers_see_it(client, event):
    client.force_login(staff("root", is_superuser=True))
    assert client.get(INDEX).status_code == 200


def test_filters_search_and_counts(client, events_staff, event, primers):
    other = EventPageFactory(parent=primers, title="Police Accountability")
    reg(event, "jenn@example.org", name="Jenn Weaver")
    reg(event, "lee@example.org", Status.WAITLISTED, name="Lee Park")
    reg(other, "sam@example.org", Status.PENDING, name="Sam Ortiz")
    page = soup(client.get(INDEX, {"status__exact": "waitlisted"}))
    rows = [row.get_text(" ", strip=True) for row in page.select("table.listing tbody tr")]
    assert len(rows) == 1 and "Lee Park" in rows[0]
    counts = {
        a.contents[0].strip(): a.select_one(".lp-count").get_text()
        for a in page.select(".lp-status-tabs a")
        if a.select_one(".lp-count")
    }
    assert counts["Confirmed"] == "1" and counts["Waitlisted"] == "1" and counts["Pending approval"] == "1"
    found = soup(client.get(INDEX, {"q": "ortiz"})).select("table.listing tbody tr")
    assert len(found) == 1 and "Sam Ortiz" in found[0].get_text()
    by_event = soup(client.get(INDEX, {"event__page_ptr__exact": event.pk}))
    stats = by_event.select_one(".lp-event-stats").get_text(" ", strip=True)
    assert "1 / 2 confirmed" in stats and "1 on the waitlist" in stats


def test_detail_shows_answers_and_history_escaped(client, events_staff, event):
    r = reg(event, "x@example.org", name="<b>Bold</b>\nname", accessibility_needs="<script>alert(1)</script>")
    html = client.get(INDEX + f"inspect/{r.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html


def test_actions_move_the_state_and_are_logged_with_who(client, events_staff, event, run):
    r = reg(event, "p@example.org", Status.PENDING)
    url = reverse("events_registration_modeladmin_action", args=[r.pk])
    run(client.post, url, {"action": "approve"})
    r.refresh_from_db()
    assert r.status == Status.CONFIRMED
    approved = [m for m in mail.outbox if "p@example.org" in m.to][-1]
    assert approved.subject.startswith("Approved") and event.meeting_url in approved.body
    run(client.post, url, {"action": "waitlist"})
    r.refresh_from_db()
    assert r.status == Status.WAITLISTED
    run(client.post, url, {"action": "confirm"})
    run(client.post, url, {"action": "decline", "message": "Sorry, this one is for county officials."})
    r.refresh_from_db()
    assert r.status == Status.REJECTED
    declined = [m for m in mail.outbox if "p@example.org" in m.to][-1]
    assert "Sorry, this one is for county officials." in declined.body
    entries = list(ModelLogEntry.objects.for_instance(r).order_by("timestamp"))
    assert [e.action for e in entries] == [
        "lpsite.registration.approved",
        "lpsite.registration.waitlisted",
        "lpsite.registration.promoted",
        "lpsite.registration.declined",
    ]
    assert all(e.user == events_staff for e in entries)
    detail = client.get(INDEX + f"inspect/{r.pk}/").content.decode()
    assert "Declined" in detail and "Eva Events" in detail and "Sorry, this one is for county officials." in detail


def test_an_action_that_no_longer_applies_is_refused_politely(client, events_staff, event):
    r = reg(event, "c@example.org", Status.CANCELLED)
    url = reverse("events_registration_modeladmin_action", args=[r.pk])
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "possible for this registration any more" in soup(response).get_text()
    r.refresh_from_db()
    assert r.status == Status.CANCELLED


def test_staff_cancel_promotes_and_resend_sends_again(client, events_staff, event, run):
    a = reg(event, "a@example.org")
    reg(event, "b@example.org")
    w = reg(event, "w@example.org", Status.WAITLISTED)
    run(client.post, reverse("events_registration_modeladmin_action", args=[a.pk]), {"action": "cancel"})
    w.refresh_from_db()
    assert w.status == Status.CONFIRMED
    mail.outbox.clear()
    run(client.post, reverse("events_registration_modeladmin_action", args=[w.pk]), {"action": "resend"})
    assert [m.subject for m in mail.outbox] == ["You're registered: Housing Justice"]


def test_bulk_attendance(client, events_staff, event):
    a = reg(event, "a@example.org")
    b = reg(event, "b@example.org")
    EventPage.objects.filter(pk=event.pk).update(start=timezone.now() - datetime.timedelta(minutes=5))
    url = reverse("events_registration_attendance", args=[event.pk])
    page = soup(client.get(url))
    assert len(page.select("tbody tr")) == 2
    client.post(url, {f"attendance-{a.pk}": "attended", f"attendance-{b.pk}": "no_show"})
    assert dict(Registration.objects.values_list("email", "status")) == {
        "a@example.org": Status.ATTENDED,
        "b@example.org": Status.NO_SHOW,
    }


def test_spam_is_kept_and_can_be_restored(client, events_staff, event, run):
    r = reg(event, "bot@example.org", Status.SPAM)
    r.spam_reason = "Filled in the hidden honeypot field"
    r.save()
    detail = client.get(INDEX + f"inspect/{r.pk}/").content.decode()
    assert "Filled in the hidden honeypot field" in detail
    run(client.post, reverse("events_registration_modeladmin_action", args=[r.pk]), {"action": "restore"})
    r.refresh_from_db()
    assert r.status == Status.CONFIRMED


def test_csv_export_follows_filters_and_neutralises_formulas(client, events_staff, event, primers):
    other = EventPageFactory(parent=primers, title="Other")
    reg(event, "a@example.org", name='=HYPERLINK("http://evil","x")')
    reg(event, "b@example.org", Status.WAITLISTED, name="Bea")
    reg(other, "c@example.org", name="Cy")
    response = client.get(INDEX, {"export": "csv", "event__page_ptr__exact": event.pk, "status__exact": "confirmed"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("http://evil","x")'
    assert rows[1][1] == "a@example.org"
    assert re.match(r"Housing Justice", rows[1][4])


def test_dev_demo_fills_the_inbox(demo):
    """(Production never gets these: tests/home/test_seed_demo.py, test_no_demo_logins_nor_fake_people_outside_dev.)"""
    from django.core.management import call_command

    statuses = set(Registration.objects.values_list("status", flat=True))
    assert {"confirmed", "waitlisted", "pending", "spam", "attended"} <= statuses
    now = timezone.now()
    for r in Registration.objects.select_related("event"):
        event = r.event
        if r.status == Status.WAITLISTED:  # only on a full session with a capacity
            seated = event.registrations.filter(status__in=Registration.SEATED).count()
            assert event.capacity is not None and seated >= event.capacity
        if r.status == Status.PENDING:
            assert event.requires_approval
        if r.status in (Status.ATTENDED, Status.NO_SHOW):
            assert event.start < now
        else:
            assert event.start > now
    count = Registration.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Registration.objects.count() == count


def test_sessions_sharing_a_title_are_told_apart_by_their_date(client, events_staff, primers):
    first = EventPageFactory(parent=primers, title="Housing")
    other_series = EventSeriesPageFactory(parent=primers.get_parent(), title="Workshops")
    second = EventPageFactory(parent=other_series, title="Housing", start=first.start + datetime.timedelta(days=7))
    second.end = second.start + datetime.timedelta(hours=1)
    second.save()
    reg(first, "a@example.org")
    reg(second, "b@example.org")
    page = soup(client.get(INDEX))
    cells = sorted(td.get_text(strip=True) for td in page.select("td.field-session"))
    assert cells == sorted(f"Housing ({e.local_start:%a, %b %-d, %Y})" for e in (first, second))
    filter_links = [a.get_text(strip=True) for a in page.select(".changelist-filter a") if "Housing" in a.get_text()]
    assert sorted(filter_links) == cells


def test_the_list_numbers_each_waitlisted_row_by_its_own_sessions_waitlist(client, event, primers, events_staff):
    """The Waitlist column: each waitlisted row's place on its session's waitlist, first come first
    served, read for the page's rows in one query (not per row, nor for every row of the list)."""
    other = EventPageFactory(parent=primers, title="Media strategies", capacity=1)
    now = timezone.now()
    reg(event, "seated@example.org")
    for n, (session, email) in enumerate(
        [(event, "first@example.org"), (other, "elsewhere@example.org"), (event, "second@example.org")]
    ):
        row = reg(session, email, status=Status.WAITLISTED)
        Registration.objects.filter(pk=row.pk).update(created_at=now + datetime.timedelta(minutes=n))
    page = soup(client.get("/admin/events/registration/"))
    places = {}
    for tr in page.select("tbody tr"):
        cells = tr.get_text(" ", strip=True)
        email = re.search(r"[\w.]+@example\.org", cells).group()
        places[email] = re.search(r"#\d+", cells).group() if re.search(r"#\d+", cells) else ""
    assert places == {
        "seated@example.org": "",
        "first@example.org": "#1",
        "second@example.org": "#2",
        "elsewhere@example.org": "#1",
    }
