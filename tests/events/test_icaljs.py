"""Calendar files as Thunderbird reads them: Mozilla's ical.js, run with Node.js.

ical.js takes a calendar's own VTIMEZONE at its word, where Python's icalendar looks the zone up in
the tz database: so this is where a VTIMEZONE that says something else shows (sessions an hour early
on the days before a daylight-saving change, from the per-transition blocks written before). Needs
``node`` and the npm package ``ical.js`` (``.ci/run`` installs it into ``.ci/icaljs``; ``ICALJS`` names
another copy of its ``dist/ical.js``). Without them the tests skip, unless ``ICALJS_REQUIRED=1``.
"""

import datetime
import json
import os
import shutil
import subprocess
import zoneinfo
from pathlib import Path

import pytest

from events import ical
from events.models import EventPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).parent / "js" / "starts.mjs"
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles"]


@pytest.fixture(scope="module")
def icaljs():
    module = Path(os.environ.get("ICALJS") or ROOT / ".ci/icaljs/node_modules/ical.js/dist/ical.js")
    node = shutil.which("node")
    if node and module.is_file():
        return node, module
    message = "needs Node.js and ical.js (npm install ical.js; ICALJS=<its dist/ical.js>)"
    if os.environ.get("ICALJS_REQUIRED"):
        pytest.fail(message + " and ICALJS_REQUIRED is set")
    pytest.skip(message)


def read_with_icaljs(icaljs, content, tmp_path):
    node, module = icaljs
    path = tmp_path / "calendar.ics"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603 - node with our own script and file
        [node, str(SCRIPT), str(module), str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def utc(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def session_times(zone):
    """Local times from 2026 to 2027: an afternoon a week, and every hour and a half-hour past it of the five
    days around each clock change (the hour that happens twice included; the one that never does left out:
    editors can't enter it)."""
    first, last = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
    days = {first + datetime.timedelta(weeks=week) for week in range(104)}
    day = first
    while day < last:
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=zone)
        if noon.utcoffset() != (noon + datetime.timedelta(days=1)).utcoffset():
            days |= {day + datetime.timedelta(days=n) for n in range(-2, 3)}
        day += datetime.timedelta(days=1)
    for day in sorted(days):
        for minutes in range(0, 24 * 60, 30):
            local = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=minutes)
            if minutes != 16 * 60 and noon_of(day, zone) == noon_of(day + datetime.timedelta(days=3), zone):
                continue  # an ordinary week's afternoon only
            start = local.replace(tzinfo=zone)
            if start.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) == local:
                yield start


def noon_of(day, zone):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zone).utcoffset()


def test_sessions_around_every_clock_change_are_where_zoneinfo_puts_them(icaljs, tmp_path, site):
    """Two years of sessions in five zones, dense around each daylight-saving change."""
    sessions = [
        EventPage(
            title=f"{zone_name} {start:%Y-%m-%d %H:%M}",
            start=start,
            end=start + datetime.timedelta(hours=1),
            timezone=zone_name,
            location_name="Zoom",
        )
        for zone_name in ZONES
        for start in session_times(zoneinfo.ZoneInfo(zone_name))
    ]
    calendar = ical.build_calendar(sessions, request=None, name="Every clock change")
    read = read_with_icaljs(icaljs, calendar.to_ical(), tmp_path)
    assert len(read) == len(sessions) > 1500
    wrong = [
        (session.title, read[ical.event_uid(session, hostname="localhost")]["start"], utc(session.start))
        for session in sessions
        if read[ical.event_uid(session, hostname="localhost")]["start"] != utc(session.start)
    ]
    assert wrong == []


def test_the_demo_feed_reads_the_same_in_thunderbird(icaljs, tmp_path, client, demo):
    response = client.get("/trainings/calendar/")
    read = read_with_icaljs(icaljs, response.content, tmp_path)
    events = {ical.event_uid(event, hostname="localhost"): event for event in EventPage.objects.live()}
    assert read and set(read) <= set(events)
    for uid, entry in read.items():
        event = events[uid]
        assert (entry["start"], entry["end"]) == (utc(event.start), utc(event.end)), event.title
        assert "&amp;" not in (entry["description"] or "")
        assert entry["status"] == ("CANCELLED" if event.cancelled_at else "CONFIRMED")
    assert any(entry["status"] == "CANCELLED" for entry in read.values())
