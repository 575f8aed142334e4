"""Calendar files (RFC 5545) for events and series, built with the ``icalendar`` package.

- Times are written in the event's own zone (``DTSTART;TZID=America/Los_Angeles``)
  with a matching VTIMEZONE, so calendar apps keep the wall-clock time right on
  both sides of a daylight-saving change.
- ``UID`` is ``event-<page translation_key>@<site hostname>``: it survives
  retitling, a new slug and moves, so re-importing updates the same entry.
- ``SEQUENCE`` is ``EventPage.sequence``, which grows each time the time changes.
- The meeting URL is never written; ``URL`` is the public event page.
"""

import datetime
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event
from wagtail.models import Site

PRODID = "-//Local Progress Impact Lab//Trainings and Webinars//EN"
FEED_REFRESH = datetime.timedelta(hours=12)
# VTIMEZONE rules are written for this margin around the events, not 1970–2038.
ZONE_MARGIN = datetime.timedelta(days=366)


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


def event_description(event, url):
    """Plain-text body of the calendar entry: what it is and where to read more. No meeting link."""
    parts = []
    if event.description_text:
        parts.append(event.description_text)
    if event.recording_url and event.has_ended():
        parts.append(f"Recording: {event.recording_url}")
    parts.append(f"Details: {url}")
    return "\n\n".join(parts)


def build_event(event, *, request, hostname, cancelled=False):
    zone = event.zone
    url = event.get_full_url(request)
    stamp = (event.last_published_at or event.latest_revision_created_at or timezone.now()).astimezone(datetime.UTC)
    vevent = Event.new(
        uid=event_uid(event, hostname=hostname),
        summary=event.title,
        start=event.start.astimezone(zone),
        end=event.end.astimezone(zone),
        sequence=event.sequence,
        stamp=stamp,
        last_modified=stamp,
        location=event.location_name or None,
        url=url,
        description=event_description(event, url),
        categories=[area.name for area in event.issue_areas.all()],
    )
    vevent.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("TRANSP", "OPAQUE")
    return vevent


def build_calendar(events, *, request, name, description=None, uid=None, feed=False, cancelled=False):
    """A VCALENDAR holding ``events`` (EventPages with ``issue_areas`` ideally prefetched).

    ``cancelled``: METHOD:CANCEL with STATUS:CANCELLED and the same UID and SEQUENCE, so a
    calendar app removes the entry it added from the confirmation.
    """
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        description=description or None,
        uid=uid,
        method="CANCEL" if cancelled else "PUBLISH",
        refresh_interval=FEED_REFRESH if feed else None,
    )
    if feed:
        calendar.add("X-PUBLISHED-TTL", FEED_REFRESH)
    hostname = site_hostname(events[0], request) if events else None
    for event in events:
        calendar.add_component(build_event(event, request=request, hostname=hostname, cancelled=cancelled))
    if events:
        first = min(event.start for event in events) - ZONE_MARGIN
        last = max(event.end for event in events) + ZONE_MARGIN
        calendar.add_missing_timezones(first_date=first.date(), last_date=last.date())
    return calendar


def calendar_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def google_calendar_url(event, url):
    """An "add to Google Calendar" link with the same details as the .ics file (no meeting link)."""
    moment = "%Y%m%dT%H%M%SZ"
    details = event.description_text
    if len(details) > 300:
        details = details[:300].rsplit(" ", 1)[0] + "…"
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{event.start.astimezone(datetime.UTC):{moment}}/{event.end.astimezone(datetime.UTC):{moment}}",
        "details": f"{details}\n\nDetails: {url}".strip(),
        "location": event.location_name,
        "ctz": event.timezone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)
