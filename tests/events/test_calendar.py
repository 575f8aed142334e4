"""Calendar files: read back with icalendar as a calendar app would."""

import datetime

import pytest
import time_machine
from icalendar import Calendar

from events.factories import EventPageFactory
from events.models import EventPage

from .conftest import LOS_ANGELES, NEW_YORK, UTC

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 2, 1, 12, tzinfo=UTC)


def fetch_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def publish(page, **changes):
    """Edit and publish the way the admin does: a revision, then publish."""
    page = EventPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


@pytest.fixture
def workshop(trainings, housing):
    return EventPageFactory(
        parent=trainings,
        title="Housing Justice",
        slug="housing-justice",
        start=datetime.datetime(2026, 2, 12, 13, tzinfo=LOS_ANGELES),
        end=datetime.datetime(2026, 2, 12, 14, 30, tzinfo=LOS_ANGELES),
        timezone="America/Los_Angeles",
        meeting_url="https://zoom.us/j/81234567890?pwd=abcdef",
        issue_areas=[housing],
    )


def test_event_calendar_file_opens_at_the_right_time_in_its_zone(client, workshop):
    response, calendar = fetch_calendar(client, "/trainings/housing-justice/calendar/")
    assert response["Content-Disposition"] == 'attachment; filename="housing-justice.ics"'
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Housing Justice"
    assert vevent["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert vevent["DTEND"].params["TZID"] == "America/Los_Angeles"
    assert vevent.start == workshop.start and vevent.end == workshop.end
    assert vevent.start.astimezone(NEW_YORK).hour == 16  # 4pm ET
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    assert str(vevent["LOCATION"]) == "Zoom"
    assert str(vevent["URL"]) == "http://localhost/trainings/housing-justice/"
    assert "Details: http://localhost/trainings/housing-justice/" in str(vevent["DESCRIPTION"])
    assert vevent.categories == ["Housing"]
    assert b"zoom.us/j" not in response.content
    assert b"81234567890" not in response.content


def test_uid_survives_retitling_and_sequence_grows_only_when_the_time_changes(client, workshop):
    _, calendar = fetch_calendar(client, "/trainings/housing-justice/calendar/")
    (first,) = calendar.walk("VEVENT")
    uid = str(first["UID"])
    assert uid.endswith("@localhost")
    assert "housing" not in uid.lower()
    assert first["SEQUENCE"] == 0

    publish(workshop, title="Housing Justice Workshop", slug="housing-workshop")
    _, calendar = fetch_calendar(client, "/trainings/housing-workshop/calendar/")
    (renamed,) = calendar.walk("VEVENT")
    assert str(renamed["UID"]) == uid
    assert str(renamed["SUMMARY"]) == "Housing Justice Workshop"
    assert renamed["SEQUENCE"] == 0

    # A new place is a change calendars must take too.
    publish(workshop, location_name="Zoom webinar")
    _, calendar = fetch_calendar(client, "/trainings/housing-workshop/calendar/")
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1

    moved = datetime.datetime(2026, 2, 19, 13, tzinfo=LOS_ANGELES)
    publish(workshop, start=moved, end=moved + datetime.timedelta(hours=1))
    _, calendar = fetch_calendar(client, "/trainings/housing-workshop/calendar/")
    (rescheduled,) = calendar.walk("VEVENT")
    assert str(rescheduled["UID"]) == uid
    assert rescheduled["SEQUENCE"] == 2
    assert rescheduled.start == moved

    # Same wall-clock time, another zone: a different moment, so calendars must update too.
    publish(workshop, timezone="America/Denver", start=moved.replace(tzinfo=None).replace(tzinfo=NEW_YORK))
    _, calendar = fetch_calendar(client, "/trainings/housing-workshop/calendar/")
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 3
    assert calendar.walk("VEVENT")[0]["DTSTART"].params["TZID"] == "America/Denver"


def test_a_draft_revision_does_not_bump_the_sequence_until_published(workshop):
    page = EventPage.objects.get(pk=workshop.pk)
    page.start = page.start + datetime.timedelta(days=1)
    page.end = page.end + datetime.timedelta(days=1)
    revision = page.save_revision()
    assert EventPage.objects.get(pk=workshop.pk).sequence == 0
    revision.publish()
    assert EventPage.objects.get(pk=workshop.pk).sequence == 1


def test_times_are_right_on_both_sides_of_the_daylight_saving_change(client, trainings, primers):
    # US clocks spring forward on Sunday, March 8, 2026.
    before = EventPageFactory(parent=primers, title="Before", start=datetime.datetime(2026, 3, 4, 16, tzinfo=NEW_YORK))
    after = EventPageFactory(parent=primers, title="After", start=datetime.datetime(2026, 3, 11, 16, tzinfo=NEW_YORK))
    _, feed = fetch_calendar(client, "/trainings/policy-strategy-primers/calendar/")
    starts = {str(e["SUMMARY"]): e.start for e in feed.walk("VEVENT")}
    assert starts["Before"].astimezone(UTC).hour == 21  # 4pm EST = 21:00 UTC
    assert starts["After"].astimezone(UTC).hour == 20  # 4pm EDT = 20:00 UTC
    assert {start.astimezone(NEW_YORK).hour for start in starts.values()} == {16}
    assert {start.astimezone(LOS_ANGELES).hour for start in starts.values()} == {13}
    (zone,) = feed.walk("VTIMEZONE")
    assert zone["TZID"] == "America/New_York"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    with time_machine.travel(NOW, tick=False):
        for page, text in ((before, "Wed, Mar 4 | 1pm PT / 4pm ET"), (after, "Wed, Mar 11 | 1pm PT / 4pm ET")):
            assert text in client.get(page.url).content.decode()


def test_series_feed_holds_every_live_session_and_nothing_else(client, trainings, primers):
    with time_machine.travel(NOW, tick=False):
        sessions = [
            EventPageFactory(parent=primers, title=f"Primer {n + 10}", start=NOW + datetime.timedelta(weeks=n))
            for n in range(-2, 4)
        ]
        draft = EventPageFactory(parent=primers, title="Unannounced", live=False)
        EventPageFactory(parent=trainings, title="Standalone workshop")
        response, feed = fetch_calendar(client, "/trainings/policy-strategy-primers/calendar/")
    events = feed.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [s.title for s in sessions]
    assert len({str(e["UID"]) for e in events}) == len(sessions)
    assert str(feed["X-WR-CALNAME"]) == "Policy & Strategy Primers"
    assert feed["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=12)
    assert response["Content-Disposition"] == 'attachment; filename="policy-strategy-primers.ics"'
    for session in sessions + [draft]:
        assert session.meeting_url.encode() not in response.content
    assert b"zoom.us/j" not in response.content

    # A session's UID is the same in the feed and in its own file, so apps do not duplicate it.
    _, single = fetch_calendar(client, sessions[0].url + "calendar/")
    assert str(single.walk("VEVENT")[0]["UID"]) == str(events[0]["UID"])


def test_past_session_calendar_entry_points_to_the_recording(client, trainings):
    with time_machine.travel(NOW, tick=False):
        page = EventPageFactory(
            parent=trainings,
            title="Recorded",
            start=NOW - datetime.timedelta(days=3),
            recording_url="https://www.youtube.com/watch?v=recorded1",
        )
        _, calendar = fetch_calendar(client, page.url + "calendar/")
    assert "Recording: https://www.youtube.com/watch?v=recorded1" in str(calendar.walk("VEVENT")[0]["DESCRIPTION"])
