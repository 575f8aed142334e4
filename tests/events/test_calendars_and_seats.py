"""Calendar entries that calendars act on, full sessions that say so, and the program's feeds.

Calendar parts are read back as a mail client does (the raw message through Python's ``email``
parser, the part's own Content-Type) and as a calendar does (icalendar; the VTIMEZONE's rules
expanded with dateutil, independently of ``zoneinfo``, and compared with it).
"""

import bisect
import datetime
import zoneinfo
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from dateutil import rrule
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.factories import EventPageFactory
from events.models import EventPage
from events.registration import rules
from events.registration.emails import manage_signature
from events.registration.models import Registration
from events.vtimezone import parse_posix, vtimezone
from inbox.transitions import apply_transition
from taxonomy.factories import IssueAreaFactory
from tests.html import soup

from .mailparts import calendar_parts, emails_to, parsed, text_of, the_calendar
from .test_registration import form_data

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORM_RATE_LIMIT = None


def sign_up(run, event, email, name="Jenn Weaver"):
    registration, _ = run(rules.register, event, name=name, email=email, role="elected")
    return registration


# Calendar parts of emails -------------------------------------------------------------------------


def test_a_confirmation_carries_an_invitation_mail_clients_act_on(primers, run, settings):
    settings.DEFAULT_FROM_EMAIL = "Local Progress Impact Lab <trainings@lp.example>"
    event = EventPageFactory(parent=primers, title="Housing & Land Use", location_name="Zoom")
    before = timezone.now().replace(microsecond=0)
    sign_up(run, event, "jenn@example.org")
    [message] = mail.outbox
    method, entry = the_calendar(message)
    assert method == "REQUEST"
    raw = parsed(message)
    [calendar_type] = {part["Content-Type"] for part in raw.walk() if part.get_content_type() == "text/calendar"}
    assert "method=REQUEST" in calendar_type.replace('"', "")
    assert str(entry["ORGANIZER"]) == "mailto:trainings@lp.example"
    assert entry["ORGANIZER"].params["CN"] == "Local Progress Impact Lab"
    assert str(entry["ATTENDEE"]) == "mailto:jenn@example.org" and entry["ATTENDEE"].params["CN"] == "Jenn Weaver"
    assert entry["DTSTAMP"].dt >= before  # when this email was written, not when the page was published
    # The join link where a calendar app offers it, and nowhere public.
    assert str(entry["LOCATION"]) == event.meeting_url
    assert str(entry["CONFERENCE"]) == event.meeting_url
    assert f"Join: {event.meeting_url}" in str(entry["DESCRIPTION"])
    assert str(entry["SUMMARY"]) == "Housing & Land Use"


def test_waitlisted_and_pending_people_are_never_offered_the_session_as_if_registered(client, primers, run):
    full = EventPageFactory(parent=primers, title="Full", capacity=1)
    sign_up(run, full, "first@example.org")
    waiting = sign_up(run, full, "second@example.org")
    approval = EventPageFactory(parent=primers, title="Approval", requires_approval=True)
    sign_up(run, approval, "third@example.org")
    for address in ("second@example.org", "third@example.org"):
        [message] = emails_to(address)
        assert calendar_parts(message) == [] and not message.attachments
        assert "add to your calendar" not in text_of(message).lower()
    assert "you're number 1" in text_of(emails_to("second@example.org")[0])
    path = reverse("manage_registration", args=[manage_signature(waiting)])
    page = soup(client.get(path))
    assert "Waitlisted: number 1" in page.select_one(".status").get_text(" ", strip=True)
    assert not page.find("a", string=lambda s: s and "Add to calendar" in s)


def test_a_promoted_person_gets_the_invitation_then_a_cancel_if_moved_back(primers, run, events_staff):
    event = EventPageFactory(parent=primers, title="Promoted", capacity=1)
    first = sign_up(run, event, "first@example.org")
    second = sign_up(run, event, "second@example.org")
    mail.outbox.clear()
    run(apply_transition, first, "cancel", actor=events_staff)
    [promoted] = emails_to("second@example.org")
    assert promoted.subject == "A seat opened up: Promoted" and the_calendar(promoted)[0] == "REQUEST"
    second.refresh_from_db()
    run(apply_transition, second, "waitlist", actor=events_staff)
    moved_back = emails_to("second@example.org")[-1]
    method, entry = the_calendar(moved_back)
    assert method == "CANCEL" and "has been moved to the waitlist" in text_of(moved_back)
    assert entry["SEQUENCE"] > the_calendar(promoted)[1]["SEQUENCE"]


def test_the_public_file_and_feeds_never_hold_the_meeting_link_and_read_as_plain_text(client, primers):
    event = EventPageFactory(
        parent=primers,
        title="Budgets & Power",
        description="<p>Taxes &amp; fees, &lt;fairly&gt; &#8212; “explained”.</p>",
    )
    for url in (event.url + "calendar/", primers.url + "calendar/", primers.get_parent().url + "calendar/"):
        response = client.get(url)
        assert event.meeting_url.encode() not in response.content and b"zoom.us/j" not in response.content
        [entry] = [e for e in Calendar.from_ical(response.content).walk("VEVENT") if e["SUMMARY"] == "Budgets & Power"]
        description = str(entry["DESCRIPTION"])
        assert description.startswith("Taxes & fees, <fairly> — “explained”.")
        assert "&amp;" not in description and "&#" not in description


def test_a_confirmed_registrants_own_calendar_has_the_link_and_follows_their_status(client, primers, run):
    event = EventPageFactory(parent=primers, title="Own entry")
    registration = sign_up(run, event, "jenn@example.org")
    url = reverse("registration_calendar", args=[manage_signature(registration)])
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    entry = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(entry["LOCATION"]) == event.meeting_url and entry["STATUS"] == "CONFIRMED"
    # Google Calendar too, from their private page only; the public page's link never holds it.
    manage = soup(client.get(reverse("manage_registration", args=[manage_signature(registration)])))
    google = parse_qs(urlsplit(manage.find("a", string="Add to Google Calendar")["href"]).query)
    assert google["location"] == [event.meeting_url] and f"Join: {event.meeting_url}" in google["details"][0]
    public = soup(client.get(event.url)).find("a", string="Add to Google Calendar")["href"]
    assert "zoom.us" not in unquote(public)
    run(rules.cancel_by_member, registration)
    entry = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert entry["STATUS"] == "CANCELLED" and event.meeting_url not in entry.to_ical().decode()
    assert client.get(url.replace("/manage/", "/manage/x")).status_code == 404


# Time zones --------------------------------------------------------------------------------------


class ReadVTimezone:
    """A VTIMEZONE read as a calendar app reads it, its RRULEs expanded with dateutil (not zoneinfo): at a
    moment, the offset of the latest observance onset at or before it."""

    def __init__(self, component, until):
        onsets = []
        for observance in component.subcomponents:
            start = observance["DTSTART"].dt
            offset_from, offset_to = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
            local = [start]
            if "RRULE" in observance:
                rule = rrule.rrulestr(observance["RRULE"].to_ical().decode(), dtstart=start)
                local = rule.between(start, until.replace(tzinfo=None), inc=True)
            # An onset is written in local time before the change (the TZOFFSETFROM clock).
            onsets += [((moment - offset_from).replace(tzinfo=datetime.UTC), offset_to) for moment in local]
        self.name = str(component["TZID"])
        self.onsets = sorted(onsets)
        self.moments = [moment for moment, _ in self.onsets]

    def offset(self, moment):
        index = bisect.bisect_right(self.moments, moment)
        assert index, f"{moment} precedes every observance of {self.name}"
        return self.onsets[index - 1][1]


def zone_changes(zone, first, last):
    """The days on which ``zone``'s offset changes between ``first`` and ``last`` (UTC datetimes)."""
    day, found = first, []
    while day < last:
        if day.astimezone(zone).utcoffset() != (day + datetime.timedelta(days=1)).astimezone(zone).utcoffset():
            found.append(day)
        day += datetime.timedelta(days=1)
    return found


def test_demo_sessions_read_from_the_calendar_rules_are_where_zoneinfo_puts_them(client, demo):
    """Every demo session's start, and every quarter hour of the days around each daylight-saving change in
    their span, give the same UTC offset from the feed's VTIMEZONE as from the tz database."""
    feed = Calendar.from_ical(client.get("/trainings/calendar/").content)
    entries = feed.walk("VEVENT")
    assert len(entries) == EventPage.objects.live().exact_type(EventPage).count()
    first = min(e["DTSTART"].dt for e in entries).astimezone(datetime.UTC) - datetime.timedelta(days=3)
    last = max(e["DTSTART"].dt for e in entries).astimezone(datetime.UTC) + datetime.timedelta(days=3)
    zones = {str(tz["TZID"]): ReadVTimezone(tz, last) for tz in feed.walk("VTIMEZONE")}
    assert set(zones) == {"America/New_York", "America/Los_Angeles"}
    for tz in feed.walk("VTIMEZONE"):  # rules, the way Outlook and Google write them
        assert {str(c.name) for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
        assert all("RRULE" in c for c in tz.subcomponents)
    for entry in entries:
        start = entry["DTSTART"].dt
        assert zones[entry["DTSTART"].params["TZID"]].offset(start) == start.utcoffset(), (entry["SUMMARY"], start)
    for key, read in zones.items():
        zone = zoneinfo.ZoneInfo(key)
        changes = zone_changes(zone, first, last)
        assert changes, "the demo's sessions span a daylight-saving change"
        for day in changes:
            for quarter in range(-2 * 96, 3 * 96):  # two days before to two days after, every 15 minutes
                moment = day + datetime.timedelta(minutes=15 * quarter)
                assert read.offset(moment) == moment.astimezone(zone).utcoffset(), (key, moment)


@pytest.mark.parametrize(
    "key",
    ["America/New_York", "America/Phoenix", "Europe/London", "Europe/Dublin", "Australia/Sydney", "America/Nuuk"],
)
def test_every_zone_is_written_so_a_calendar_reads_what_zoneinfo_says(key):
    zone = zoneinfo.ZoneInfo(key)
    first, last = datetime.date(2026, 1, 1), datetime.date(2028, 12, 31)
    read = ReadVTimezone(vtimezone(key, first, last), datetime.datetime(2029, 1, 1, tzinfo=datetime.UTC))
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    while moment.date() < datetime.date(2028, 12, 31):
        assert read.offset(moment) == moment.astimezone(zone).utcoffset(), moment
        moment += datetime.timedelta(minutes=47)


def test_posix_rules_parse_as_the_tz_database_means_them():
    rule = parse_posix("EST5EDT,M3.2.0,M11.1.0")
    assert rule.std_offset == datetime.timedelta(hours=-5)
    daylight, standard = rule.changes
    assert daylight.moment(2026) == datetime.datetime(2026, 3, 8, 7, tzinfo=datetime.UTC)
    assert standard.moment(2026) == datetime.datetime(2026, 11, 1, 6, tzinfo=datetime.UTC)
    assert parse_posix("<+0330>-3:30").std_offset == datetime.timedelta(hours=3, minutes=30)
    assert parse_posix("<-02>2<-01>,M3.5.0/-1,M10.5.0/0") is None  # a change at -1:00 has no yearly RRULE
    assert parse_posix("not a rule") is None


# Full sessions ------------------------------------------------------------------------------------


def test_a_full_session_says_so_before_anyone_sends_the_form(client, primers, run):
    event = EventPageFactory(parent=primers, title="Full house", capacity=2)
    sign_up(run, event, "a@example.org")
    open_page = soup(client.get(event.url))
    assert "1 seat left" in open_page.get_text()
    assert open_page.select_one("form.registration-form button[type=submit]").get_text(strip=True) == "Register"
    sign_up(run, event, "b@example.org")
    sign_up(run, event, "c@example.org")  # the waitlist's first
    page = soup(client.get(event.url))
    form = page.select_one("form.registration-form")
    assert "This session is full: the form adds you to the waitlist (you're number 2)" in form.get_text()
    assert form.select_one("button[type=submit]").get_text(strip=True) == "Join the waitlist"
    assert page.select_one(".page-header__action a").get_text(strip=True) == "Join the waitlist"
    assert "full, 1 on the waitlist" in page.get_text()


def test_a_session_where_staff_approve_each_registration_is_never_called_full(client, primers, run):
    event = EventPageFactory(parent=primers, capacity=0, requires_approval=True)
    page = soup(client.get(event.url))
    assert page.select_one("form.registration-form button[type=submit]").get_text(strip=True) == "Register"
    assert "waitlist" not in page.select_one("form.registration-form").get_text()


def test_the_waitlist_confirmation_page_gives_the_place_and_no_calendar(client, primers, run):
    event = EventPageFactory(parent=primers, title="Full", capacity=0)
    response = client.post(event.url + "register/", form_data(), follow=True)
    page = soup(response)
    assert "You're on the waitlist: number 1." in page.get_text(" ", strip=True)
    assert not page.find("a", string=lambda s: s and "Add to calendar" in s)


# Feeds of the whole program ------------------------------------------------------------------------


def test_the_program_feed_holds_every_training_and_one_per_issue_area(client, trainings, primers, housing):
    safety = IssueAreaFactory(slug="community-safety", name="Community safety")
    in_series = EventPageFactory(parent=primers, title="Housing primer", issue_areas=[housing])
    standalone = EventPageFactory(parent=trainings, title="Safety workshop", issue_areas=[safety])
    EventPageFactory(parent=trainings, title="Draft", live=False)
    response = client.get("/trainings/calendar/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = Calendar.from_ical(response.content)
    assert sorted(str(e["SUMMARY"]) for e in feed.walk("VEVENT")) == ["Housing primer", "Safety workshop"]
    assert str(feed["X-WR-CALNAME"]) == "Trainings & Webinars"
    housing_feed = Calendar.from_ical(client.get("/trainings/calendar/?issue=housing").content)
    assert [str(e["SUMMARY"]) for e in housing_feed.walk("VEVENT")] == [in_series.title]
    assert str(housing_feed["X-WR-CALNAME"]) == "Trainings & Webinars: Housing"
    assert client.get("/trainings/calendar/?issue=nope").status_code == 404
    index = soup(client.get("/trainings/"))
    links = {a["href"] for a in index.select("a[href*='calendar/']")}
    assert any(href.startswith("webcal://") and href.endswith("/trainings/calendar/") for href in links)
    filtered = soup(client.get("/trainings/?issue=housing"))
    assert any("calendar/?issue=housing" in a["href"] for a in filtered.select("a[href*='calendar/']"))
    assert standalone.url


# The demo ---------------------------------------------------------------------------------------------


def test_the_demo_shows_a_cancelled_a_followed_up_and_a_full_session(demo):
    now = timezone.now()
    cancelled = EventPage.objects.filter(cancelled_at__isnull=False).get()
    assert cancelled.start > now and cancelled.cancellation_message
    assert set(cancelled.registrations.values_list("status", flat=True)) == {Status.CANCELLED}
    past = EventPage.objects.filter(registrations__status=Status.ATTENDED).distinct().get()
    assert past.end < now
    statuses = set(past.registrations.values_list("status", flat=True))
    assert statuses == {Status.ATTENDED, Status.NO_SHOW}
    if past.end + rules.FOLLOWUP_DELAY <= now:
        assert not past.registrations.filter(followup_sent_at__isnull=True).exists()
    assert past.registrations.filter(rating__isnull=False).count() == 2
    full = EventPage.objects.filter(registrations__status=Status.WAITLISTED).distinct().get()
    assert full.registrations.filter(status=Status.CONFIRMED).count() == full.capacity
