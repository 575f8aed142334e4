"""Cancelling a session as one act: from the admin, by unpublishing it, by trying to delete it."""

import datetime
import json
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageLogEntry

from events.factories import EventPageFactory, RegistrationFactory
from events.models import EventPage
from events.registration import rules
from events.registration.emails import manage_signature
from events.registration.models import Registration
from home import roles
from inbox.transitions import apply_bulk
from tests.html import soup

from .conftest import staff
from .mailparts import emails_to, text_of, the_calendar

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORM_RATE_LIMIT = None


@pytest.fixture
def full_session(primers, run):
    """3 seats, 3 people confirmed through the form (each with a calendar entry), 2 on the waitlist."""
    event = EventPageFactory(parent=primers, title="Media Strategies", capacity=3)
    for n, name in enumerate(("Jenn Weaver", "Marcus Lee", "Ana Ortiz", "Priya Shah", "Sam Rivers")):
        run(rules.register, event, name=name, email=f"person{n}@example.org", role="elected")
    mail.outbox.clear()
    return event


@pytest.fixture
def next_primer(primers, full_session):
    return EventPageFactory(parent=primers, title="Housing", start=full_session.start + datetime.timedelta(weeks=1))


def cancel_url(event):
    return reverse("events_session_cancel", args=[event.pk])


def test_staff_cancel_a_session_and_everyone_registered_is_told_once(
    client, events_staff, full_session, next_primer, run
):
    page = soup(client.get(cancel_url(full_session)))
    assert "5 active registrations" in page.get_text()
    response = run(
        client.post,
        cancel_url(full_session),
        {"message": "Our presenter is unwell. <script>alert(1)</script>"},
        follow=True,
    )
    assert response.status_code == 200
    assert "5 registrants were told by email" in response.content.decode()

    assert set(Registration.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{n}@example.org" for n in range(5)]  # once each
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {"Cancelled: Media Strategies"}  # nobody told "a seat opened up"
    confirmed = emails_to("person0@example.org")[0]
    body = text_of(confirmed)
    assert "Media Strategies, planned for" in body and "is cancelled" in body
    assert "Our presenter is unwell. <script>alert(1)</script>" in body  # plain text, as written
    assert "&lt;script&gt;" in confirmed.alternatives[0][0] and "<script>" not in confirmed.alternatives[0][0]
    assert "The next session of Policy & Strategy Primers:" in body and next_primer.full_url in body
    assert "register again" not in body.lower()
    method, entry = the_calendar(confirmed)
    assert method == "CANCEL" and entry["STATUS"] == "CANCELLED"
    assert entry["SEQUENCE"] > 0 and str(entry["UID"]).startswith("event-")
    assert full_session.meeting_url not in str(entry.get("DESCRIPTION", ""))
    waiting = emails_to("person3@example.org")[0]  # never had the session in their calendar: nothing to remove
    assert not waiting.attachments and "calendar" not in text_of(waiting)

    history = PageLogEntry.objects.filter(page=full_session, action="lpsite.event.cancelled").get()
    assert history.user == events_staff and history.data["registrants_told"] == 5


def test_a_cancelled_session_says_so_everywhere(client, events_staff, full_session, next_primer, run):
    run(rules.cancel_session, full_session, actor=events_staff, message="Moved to the spring.")
    client.logout()
    page = soup(client.get(full_session.url))
    text = page.get_text(" ", strip=True)
    assert "This session has been cancelled." in text and "Moved to the spring." in text
    assert "Housing" in page.select_one(".event-notice--cancelled").get_text()
    assert not page.select("form.registration-form") and not page.find("a", string="Add to calendar")
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    # Its own file and the series' feed hold it as cancelled, with a higher SEQUENCE.
    own = Calendar.from_ical(client.get(full_session.url + "calendar/").content).walk("VEVENT")[0]
    assert own["STATUS"] == "CANCELLED" and own["SEQUENCE"] == 1
    feed = Calendar.from_ical(client.get(full_session.series.url + "calendar/").content)
    assert {str(e["SUMMARY"]): str(e["STATUS"]) for e in feed.walk("VEVENT")} == {
        "Media Strategies": "CANCELLED",
        "Housing": "CONFIRMED",
    }
    # It takes no registrations and sends no reminders.
    assert (
        rules.registration_closed_reason(EventPage.objects.get(pk=full_session.pk))
        == "This session has been cancelled."
    )
    response = client.post(full_session.url + "register/", {"name": "Late", "email": "late@example.org"})
    assert response.status_code in (400, 409)
    assert not Registration.objects.filter(email="late@example.org").exists()
    series_form = soup(client.get(full_session.series.url)).select_one("form.registration-form")
    assert "Media Strategies" not in series_form.get_text()
    mail.outbox.clear()
    RegistrationFactory(event=full_session, email="stale@example.org", status=Status.CONFIRMED)
    with time_machine.travel(full_session.start - datetime.timedelta(hours=20), tick=False):
        run(call_command, "send_event_reminders")
    assert mail.outbox == []
    # The listing says it too.
    listing = soup(client.get(full_session.get_parent().get_parent().url)).get_text(" ", strip=True)
    assert "Media Strategies" in listing and "Cancelled" in listing


def test_the_registrants_private_page_shows_the_cancellation(client, full_session, next_primer, run):
    registration = Registration.objects.get(email="person0@example.org")
    run(rules.cancel_session, full_session, message="Moved to the spring.")
    path = reverse("manage_registration", args=[manage_signature(registration)])
    text = soup(client.get(path)).get_text(" ", strip=True)
    assert "This session has been cancelled. Moved to the spring." in text
    assert "Register again" not in text and "Cancel my registration" not in text
    own = Calendar.from_ical(client.get(path + "calendar.ics").content).walk("VEVENT")[0]
    assert own["STATUS"] == "CANCELLED" and full_session.meeting_url not in own.to_ical().decode()


def test_unpublishing_a_session_cancels_it_and_tells_its_registrants(
    client, events_staff, full_session, next_primer, run
):
    events_staff.is_superuser = True  # may unpublish
    events_staff.save()
    confirm = soup(client.get(reverse("wagtailadmin_pages:unpublish", args=[full_session.pk])))
    assert "5 people are registered for this session" in confirm.get_text()
    run(client.post, reverse("wagtailadmin_pages:unpublish", args=[full_session.pk]), follow=True)
    event = EventPage.objects.get(pk=full_session.pk)
    assert not event.live and event.cancelled_at
    assert len(mail.outbox) == 5 and {m.subject for m in mail.outbox} == {"Cancelled: Media Strategies"}
    assert set(Registration.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    # Gone from the site, but subscribed calendars see it cancelled rather than silently dropped.
    client.logout()
    assert client.get(full_session.url).status_code == 404
    feed = Calendar.from_ical(client.get(full_session.series.url + "calendar/").content)
    assert {str(e["SUMMARY"]): str(e["STATUS"]) for e in feed.walk("VEVENT")}["Media Strategies"] == "CANCELLED"


def test_any_other_unpublishing_cancels_too(full_session, run):
    run(lambda: EventPage.objects.get(pk=full_session.pk).unpublish())  # a scheduled expiry, a bulk action
    assert EventPage.objects.get(pk=full_session.pk).cancelled_at is not None
    assert len(mail.outbox) == 5


def test_unpublishing_a_session_nobody_registered_for_only_unpublishes(primers, run):
    event = EventPageFactory(parent=primers)
    run(lambda: EventPage.objects.get(pk=event.pk).unpublish())
    assert EventPage.objects.get(pk=event.pk).cancelled_at is None and mail.outbox == []


def test_deleting_a_session_with_registrants_leads_to_cancelling_it(client, events_staff, full_session, run):
    events_staff.is_superuser = True
    events_staff.save()
    response = client.get(reverse("wagtailadmin_pages:delete", args=[full_session.pk]))
    assert response.status_code == 302 and response["Location"] == cancel_url(full_session) + "?from=delete"
    page = soup(client.get(response["Location"]))
    assert "Deleting the page would delete their registrations" in page.get_text()
    run(client.post, cancel_url(full_session), {"message": "", "unpublish": "on"})
    event = EventPage.objects.get(pk=full_session.pk)
    assert event.cancelled_at and not event.live and len(mail.outbox) == 5
    assert Registration.objects.filter(event=event).count() == 5  # kept: nothing a member sent is dropped


@pytest.mark.parametrize(
    "group, may",
    [
        (roles.EVENTS_STAFF, True),
        (roles.COMMUNICATIONS_LEADS, True),  # they may unpublish it, which cancels it just the same
        (roles.EDITORS, False),
        (roles.HELP_DESK_STAFF, False),
    ],
)
def test_who_may_cancel_a_session(client, full_session, group, may):
    client.force_login(staff("someone", group))
    assert (client.get(cancel_url(full_session)).status_code == 200) is may
    response = client.post(cancel_url(full_session), {"message": "x"})
    assert (response.status_code == 302 and EventPage.objects.get(pk=full_session.pk).cancelled_at is not None) is may


def test_a_past_or_cancelled_session_cannot_be_cancelled_again(client, events_staff, primers, full_session, run):
    run(rules.cancel_session, full_session)
    mail.outbox.clear()
    response = client.post(cancel_url(full_session), {"message": "again"})
    assert response.status_code == 409 and mail.outbox == []
    past = EventPageFactory(parent=primers, start=timezone.now() - datetime.timedelta(days=2))
    assert client.post(cancel_url(past), {"message": ""}).status_code == 409
    with pytest.raises(rules.SessionNotCancellable):
        rules.cancel_session(past)


def test_a_cancel_message_too_long_is_refused_beside_the_field(client, events_staff, full_session):
    response = client.post(cancel_url(full_session), {"message": "x" * 2001})
    assert response.status_code == 400
    assert "at most 2000 characters" in soup(response).get_text()
    assert EventPage.objects.get(pk=full_session.pk).cancelled_at is None


def test_the_editor_offers_cancel_this_session(client, events_staff, full_session):
    events_staff.is_superuser = True
    events_staff.save()
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[full_session.pk])).content.decode()
    assert "Cancel this session…" in editor and cancel_url(full_session) in editor


def test_bulk_cancelling_never_offers_a_seat_to_someone_cancelled_in_the_same_act(events_staff, full_session, run):
    everyone = list(Registration.objects.filter(event=full_session).values_list("pk", flat=True))
    changed, skipped = run(apply_bulk, Registration, everyone, "cancel", actor=events_staff)
    assert len(changed) == 5 and skipped == []
    assert len(mail.outbox) == 5
    assert {m.subject for m in mail.outbox} == {"Cancelled: Media Strategies"}
    # A seat freed by cancelling only some rows still goes to the next person waiting.
    mail.outbox.clear()


def test_bulk_cancelling_some_still_promotes_those_waiting_outside_the_act(events_staff, full_session, run):
    first = Registration.objects.get(email="person0@example.org")
    run(apply_bulk, Registration, [first.pk], "cancel", actor=events_staff)
    assert Registration.objects.get(email="person3@example.org").status == Status.CONFIRMED
    assert [m.subject for m in emails_to("person3@example.org")] == ["A seat opened up: Media Strategies"]


def test_a_member_who_cancels_gets_a_calendar_cancel_and_an_honest_word_about_registering_again(client, primers, run):
    event = EventPageFactory(parent=primers, title="Housing Justice")
    registration, _ = run(rules.register, event, name="Jenn", email="jenn@example.org", role="elected")
    mail.outbox.clear()
    path = reverse("manage_registration", args=[manage_signature(registration)])
    run(client.post, path, {"action": "cancel"})
    [message] = mail.outbox
    method, entry = the_calendar(message)
    assert method == "CANCEL" and entry["STATUS"] == "CANCELLED" and entry["SEQUENCE"] == 1
    assert "you can register again while registration is open" in text_of(message)
    assert "add to your calendar" not in text_of(message).lower()


def test_the_sessions_listing_names_cancelled_sessions(client, events_staff, full_session, run):
    events_staff.is_superuser = True
    events_staff.save()
    run(rules.cancel_session, full_session)
    listing = soup(client.get("/admin/sessions/"))
    row = next(tr for tr in listing.select("tbody tr") if "Media Strategies" in tr.get_text())
    assert "Cancelled" in row.get_text()
    assert re.search(r"Cancelled", row.get_text())
