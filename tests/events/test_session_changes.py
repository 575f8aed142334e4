"""A published change of time, place or meeting link, told to registrants as the admin's publish does it.

These tests run in autocommit (a transactional test): the admin's publish is not wrapped in a
transaction, so an ``on_commit`` callback runs the moment it is registered. Inside the usual test
transaction every callback waits for the end of the test, which hid an email that still said the
old time.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from icalendar import Calendar

from events.factories import EventPageFactory, RegistrationFactory
from events.models import EventPage
from events.registration.models import Registration
from events.registration.rules import register

from .conftest import NEW_YORK
from .mailparts import emails_to, text_of, the_calendar

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
Status = Registration.Status


def publish(event, **changes):
    """Edit and publish the way the admin does: a revision, then publish it, outside any transaction."""
    assert connection.get_autocommit() and not connection.in_atomic_block
    page = EventPage.objects.get(pk=event.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def sign_up(event, email, name="Jenn Weaver"):
    registration, _ = register(event, name=name, email=email, role="elected")
    return registration


@pytest.fixture
def session(primers, settings):
    settings.FORM_RATE_LIMIT = None
    start = datetime.datetime(2030, 6, 26, 16, tzinfo=NEW_YORK)  # Wednesday, June 26, 2030, 4pm ET
    return EventPageFactory(
        parent=primers, title="Media Strategies", start=start, end=start + datetime.timedelta(hours=1), capacity=2
    )


def test_a_moved_session_emails_the_new_time_with_what_it_was_and_a_newer_calendar_entry(session, mailoutbox):
    sign_up(session, "jenn@example.org")
    sign_up(session, "marcus@example.org", "Marcus Lee")
    sign_up(session, "ana@example.org", "Ana Ortiz")  # capacity 2: on the waitlist
    [confirmation] = emails_to("jenn@example.org")
    _, first_entry = the_calendar(confirmation)
    mailoutbox.clear()

    moved = session.start + datetime.timedelta(days=1)  # to Thursday, June 27
    publish(session, start=moved, end=moved + datetime.timedelta(hours=1))

    [change] = emails_to("jenn@example.org")
    assert change.subject == "New time: Media Strategies"
    body = text_of(change)
    assert "New time: Thursday, June 27, 2030, 1–2pm PT / 4–5pm ET" in body
    assert "(It was Wednesday, June 26, 2030, 1–2pm PT / 4–5pm ET.)" in body
    assert "Wednesday, June 26" not in body.replace("It was Wednesday, June 26", "")
    method, entry = the_calendar(change)
    assert method == "REQUEST"
    assert entry.start == moved and entry.start.astimezone(NEW_YORK).day == 27
    assert str(entry["UID"]) == str(first_entry["UID"])
    assert entry["SEQUENCE"] > first_entry["SEQUENCE"]  # the calendar replaces what it has
    assert session.meeting_url in str(entry["DESCRIPTION"])

    [waiting] = emails_to("ana@example.org")  # told too, without a seat's link or calendar entry
    assert "New time: Thursday, June 27" in text_of(waiting) and session.meeting_url not in text_of(waiting)
    assert not waiting.attachments
    assert len(mailoutbox) == 3


def test_a_new_place_and_a_new_meeting_link_are_told_too(session, mailoutbox):
    sign_up(session, "jenn@example.org")
    sign_up(session, "marcus@example.org", "Marcus Lee")
    RegistrationFactory(event=session, email="wait@example.org", status=Status.WAITLISTED)
    mailoutbox.clear()

    publish(session, meeting_url="https://zoom.us/j/111222333?pwd=new")
    assert sorted(m.to[0] for m in mailoutbox) == ["jenn@example.org", "marcus@example.org"]  # the link: seats only
    message = emails_to("jenn@example.org")[0]
    assert message.subject == "New meeting link: Media Strategies"
    assert "https://zoom.us/j/111222333?pwd=new" in text_of(message)
    _, entry = the_calendar(message)
    assert str(entry["LOCATION"]) == "https://zoom.us/j/111222333?pwd=new"
    mailoutbox.clear()

    publish(session, location_name="Durham City Hall, Room 2")
    assert sorted(m.to[0] for m in mailoutbox) == ["jenn@example.org", "marcus@example.org", "wait@example.org"]
    message = emails_to("jenn@example.org")[0]
    assert message.subject == "New location: Media Strategies"
    assert "new location: Durham City Hall, Room 2 (it was Zoom)" in text_of(message)
    assert str(the_calendar(message)[1]["LOCATION"]) == "Durham City Hall, Room 2"


def test_a_draft_a_retitling_and_a_past_session_tell_nobody(session, mailoutbox):
    sign_up(session, "jenn@example.org")
    mailoutbox.clear()
    page = EventPage.objects.get(pk=session.pk)
    page.start += datetime.timedelta(days=2)
    page.end += datetime.timedelta(days=2)
    page.save_revision()  # a draft: the published time stands
    publish(session, title="Media Strategies for Electeds")
    assert mailoutbox == []


def test_each_calendar_entry_a_registrant_gets_supersedes_the_one_before(session, mailoutbox):
    registration = sign_up(session, "jenn@example.org")
    sequences = [the_calendar(emails_to("jenn@example.org")[-1])[1]["SEQUENCE"]]
    for days in (1, 2):
        moved = session.start + datetime.timedelta(days=days)
        publish(session, start=moved, end=moved + datetime.timedelta(hours=1))
        sequences.append(the_calendar(emails_to("jenn@example.org")[-1])[1]["SEQUENCE"])
    registration.refresh_from_db()
    assert sequences == sorted(set(sequences)) and registration.calendar_sequence == sequences[-1]
    # The public file never claims to be newer than what registrants were sent last.
    public = Calendar.from_ical(Client().get(session.url + "calendar/").content)
    assert public.walk("VEVENT")[0]["SEQUENCE"] <= sequences[-1]
