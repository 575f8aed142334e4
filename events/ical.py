"""Calendar files (RFC 5545) for events and series, built with the ``icalendar`` package.

- Times are written in the event's own zone (``DTSTART;TZID=America/Los_Angeles``)
  with a matching VTIMEZONE written as the zone's rule (``vtimezone.py``), so
  calendar apps keep the wall-clock time right on both sides of a daylight-saving
  change.
- ``UID`` is ``event-<page translation_key>@<site hostname>``: it survives
  retitling, a new slug and moves, so re-importing updates the same entry. The
  public file, the feeds and every registrant's own entry share it.
- ``SEQUENCE`` is ``EventPage.sequence`` in public files, which grows each time the
  time, place or meeting link changes and when the session is cancelled. A
  registrant's own entries count on from what they already have
  (``Registration.calendar_sequence``), so each one they get supersedes the last.
- Every text is plain text: rich text is read back to characters (``&amp;`` is ``&``).
- The meeting link is written only into a confirmed registrant's own entry (the
  one emailed to them and the one on their private page), never into a public
  file or feed: there ``URL`` is the public event page.
- Emailed entries follow iTIP (RFC 5546): ``METHOD:REQUEST`` or ``CANCEL``, the
  site as ``ORGANIZER``, the registrant as ``ATTENDEE`` and a ``DTSTAMP`` of the
  moment the email was written; ``inbox.emails`` sends them as
  ``text/calendar; method=…`` so mail clients act on them.
"""

import datetime
from email.utils import parseaddr
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vUri
from wagtail.models import Site

from .vtimezone import vtimezone

PRODID = "-//Local Progress Impact Lab//Trainings and Webinars//EN"
FEED_REFRESH = datetime.timedelta(hours=12)
# VTIMEZONE rules are checked for this margin around the events, not 1970–2038.
ZONE_MARGIN = datetime.timedelta(days=366)

PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"


def site_hostname(page, request=None):
    """The configured hostname of the page's site (stable, unlike the request's Host header)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = page.get_site()
    return site.hostname if site else "localhost"


def event_uid(event, request=None, hostname=None):
    return f"event-{event.translation_key}@{hostname or site_hostname(event, request)}"


def series_uid(series, request=None):
    return f"series-{series.translation_key}@{site_hostname(series, request)}"


def organizer(name=""):
    """The site's sending address as the ORGANIZER (what a mail client checks a CANCEL against)."""
    default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'no-reply@localhost'}")
    organizer.params["CN"] = name or default_name or settings.WAGTAIL_SITE_NAME
    return organizer


def attendee(registration, accepted=True):
    person = vCalAddress(f"mailto:{registration.email}")
    person.params["CN"] = registration.name
    person.params["ROLE"] = "REQ-PARTICIPANT"
    person.params["PARTSTAT"] = "ACCEPTED" if accepted else "DECLINED"
    person.params["RSVP"] = "FALSE"
    return person


def event_description(event, url, meeting_url="", manage_url=""):
    """Plain-text body of the calendar entry: how to join (a registrant's own entry only), what it is,
    where to read more."""
    parts = []
    if event.is_cancelled:
        parts.append("CANCELLED." + (f" {event.cancellation_message}" if event.cancellation_message else ""))
    if meeting_url:
        parts.append(f"Join: {meeting_url}\n(This link is just for you; please don't share it.)")
    if event.description_text:
        parts.append(event.description_text)
    if event.recording_url and event.has_ended():
        parts.append(f"Recording: {event.recording_url}")
    parts.append(f"Details: {url}")
    if manage_url:
        parts.append(f"Your registration (cancel if you can't make it): {manage_url}")
    return "\n\n".join(parts)


def wall_clock(moment, zone):
    """``moment`` in ``zone``, as a calendar writes it (``DTSTART;TZID=…``); in UTC when that local time
    happens twice (the hour clocks go back), which calendar apps read differently (RFC 5545 means the
    first; Mozilla's ical.js takes the second)."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(datetime.UTC)
    return local


def build_event(
    event,
    *,
    request,
    hostname,
    cancelled=False,
    sequence=None,
    stamp=None,
    meeting_url="",
    manage_url="",
    person=None,
    organiser=None,
):
    """One VEVENT. ``meeting_url`` only for a confirmed registrant's own entry; ``person`` (an ATTENDEE)
    and ``organiser`` for an emailed one."""
    zone = event.zone
    url = event.get_full_url(request) or ""
    changed = (event.last_published_at or event.latest_revision_created_at or timezone.now()).astimezone(datetime.UTC)
    cancelled = cancelled or event.is_cancelled
    location = event.location_name or None
    if meeting_url and (event.is_online or not location):
        location = meeting_url  # where a calendar app offers "Join"
    vevent = Event.new(
        uid=event_uid(event, hostname=hostname),
        summary=event.title,
        start=wall_clock(event.start, zone),
        end=wall_clock(event.end, zone),
        sequence=event.sequence if sequence is None else sequence,
        stamp=(stamp or changed).astimezone(datetime.UTC),
        last_modified=changed,
        location=location,
        url=url or None,
        description=event_description(event, url, meeting_url=meeting_url, manage_url=manage_url),
        categories=[area.name for area in event.issue_areas.all()],
    )
    if meeting_url:
        conference = vUri(meeting_url)
        conference.params.update({"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join the meeting"})
        vevent.add("CONFERENCE", conference)
    if organiser is not None:
        vevent.add("ORGANIZER", organiser)
    if person is not None:
        vevent.add("ATTENDEE", person)
    vevent.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE")
    return vevent


def add_timezones(calendar, events):
    """A VTIMEZONE for each zone the events are written in, as its rule over the span they need."""
    if not events:
        return
    first = (min(event.start for event in events) - ZONE_MARGIN).date()
    last = (max(event.end for event in events) + ZONE_MARGIN).date()
    for key in sorted({event.zone.key for event in events}):
        calendar.add_component(vtimezone(key, first, last))


def new_calendar(*, name, description=None, uid=None, feed=False, method=PUBLISH):
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        description=description or None,
        uid=uid,
        method=method,
        refresh_interval=FEED_REFRESH if feed else None,
    )
    if feed:
        calendar.add("X-PUBLISHED-TTL", FEED_REFRESH)
    return calendar


def build_calendar(events, *, request, name, description=None, uid=None, feed=False):
    """A public VCALENDAR holding ``events`` (EventPages with ``issue_areas`` ideally prefetched): no
    meeting link, cancelled sessions as ``STATUS:CANCELLED``."""
    calendar = new_calendar(name=name, description=description, uid=uid, feed=feed)
    hostname = site_hostname(events[0], request) if events else None
    for event in events:
        calendar.add_component(build_event(event, request=request, hostname=hostname))
    add_timezones(calendar, events)
    return calendar


def registrant_calendar(registration, *, method=PUBLISH, sequence=None, stamp=None, manage_url=""):
    """A registrant's own entry for their session: with the meeting link while they are confirmed (and the
    session goes ahead), cancelled when they are not. ``method`` REQUEST or CANCEL for an email (with
    ORGANIZER and ATTENDEE), PUBLISH for a download."""
    event = registration.event.specific
    goes_ahead = registration.gets_meeting_link and not event.is_cancelled
    cancelled = method == CANCEL or not goes_ahead
    calendar = new_calendar(name=event.title, method=method)
    emailed = method in (REQUEST, CANCEL)
    calendar.add_component(
        build_event(
            event,
            request=None,
            hostname=site_hostname(event),
            cancelled=cancelled,
            sequence=sequence,
            stamp=stamp,
            meeting_url=event.meeting_url if goes_ahead and not cancelled else "",
            manage_url=manage_url,
            person=attendee(registration, accepted=not cancelled) if emailed else None,
            organiser=organizer() if emailed else None,
        )
    )
    add_timezones(calendar, [event])
    return calendar


def calendar_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def google_calendar_url(event, url, meeting_url=""):
    """An "add to Google Calendar" link with the same details as the .ics file: the public one (no meeting
    link), or with ``meeting_url`` a confirmed registrant's own (only ever on their private pages)."""
    moment = "%Y%m%dT%H%M%SZ"
    details = event.description_text
    if len(details) > 300:
        details = details[:300].rsplit(" ", 1)[0] + "…"
    details = f"{details}\n\nDetails: {url}".strip()
    location = event.location_name
    if meeting_url:
        details = f"Join: {meeting_url}\n(This link is just for you; please don't share it.)\n\n{details}"
        if event.is_online or not location:
            location = meeting_url
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{event.start.astimezone(datetime.UTC):{moment}}/{event.end.astimezone(datetime.UTC):{moment}}",
        "details": details,
        "location": location,
        "ctz": event.timezone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)
