"""VTIMEZONE blocks written as rules, the way calendar apps read them best.

A calendar file names each time in its zone (``DTSTART;TZID=America/New_York``) and
must describe that zone in a VTIMEZONE. icalendar's generator lists every past and
future change as a one-off date; Mozilla's ical.js (Thunderbird) placed some sessions
an hour early from those lists on the days before a daylight-saving change. Outlook,
Google and Apple write the zone's current rule instead:

    BEGIN:DAYLIGHT
    DTSTART:20250309T020000
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
    TZOFFSETFROM:-0500 / TZOFFSETTO:-0400 / TZNAME:EDT

The rule comes from the tz database itself: the POSIX TZ string at the end of the
zone's TZif file (``EST5EDT,M3.2.0,M11.1.0``), which is what the zone does from its
last listed change on. Before it is used it is checked against ``zoneinfo`` for every
day of the span the calendar needs (its events, a year either side): a zone whose rule
changed within that span, or whose rule a yearly RRULE cannot say (a change at 24:00
or later, a day of the year), is written as its actual changes in the span instead,
each at its own local time.
"""

import datetime
import importlib.resources
import os
import re
import zoneinfo
from functools import lru_cache
from typing import NamedTuple

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)

_NAME = r"(?:<(?P<{0}q>[^>]+)>|(?P<{0}>[A-Za-z]{{3,}}))"
_OFFSET = r"(?P<{0}>[+-]?\d{{1,2}}(?::\d{{2}}(?::\d{{2}})?)?)"
_POSIX = re.compile(
    "^"
    + _NAME.format("std")
    + _OFFSET.format("std_offset")
    + "(?:"
    + _NAME.format("dst")
    + "(?:"
    + _OFFSET.format("dst_offset")
    + ")?"
    + r",(?P<start>[^,]+),(?P<end>[^,]+)"
    + ")?$"
)
_MONTH_RULE = re.compile(r"^M(?P<month>\d{1,2})\.(?P<week>[1-5])\.(?P<weekday>[0-6])(?:/(?P<time>[+-]?[\d:]+))?$")


class Change(NamedTuple):
    """A yearly change of offset: in ``month``, the ``week``-th (5: last) ``weekday`` (0 Sunday) at ``time``,
    local time before the change (the clock still reading ``offset_from``)."""

    month: int
    week: int
    weekday: int
    time: datetime.timedelta
    offset_from: datetime.timedelta
    offset_to: datetime.timedelta
    name: str
    daylight: bool

    def moment(self, year):
        """The change in ``year`` as a UTC datetime."""
        first = datetime.date(year, self.month, 1)
        # POSIX weekdays count from Sunday (0); Python's from Monday (0).
        day = first + datetime.timedelta(days=(self.weekday - (first.weekday() + 1) % 7) % 7)
        day += datetime.timedelta(weeks=self.week - 1)
        while day.month != self.month:  # week 5 means the last one
            day -= datetime.timedelta(weeks=1)
        local = datetime.datetime.combine(day, datetime.time()) + self.time
        return (local - self.offset_from).replace(tzinfo=UTC)

    def local_start(self, year):
        """The change in ``year`` in local time before it (a VTIMEZONE observance's DTSTART)."""
        return (self.moment(year) + self.offset_from).replace(tzinfo=None)

    def rrule(self):
        week = -1 if self.week == 5 else self.week
        return vRecur(
            freq="YEARLY", bymonth=self.month, byday=f"{week}{['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][self.weekday]}"
        )


class Rule(NamedTuple):
    """A zone's POSIX rule: its standard offset and name, and its two yearly changes (none without DST)."""

    std_offset: datetime.timedelta
    std_name: str
    changes: tuple  # () or (to daylight, to standard)

    def offset(self, moment):
        """The UTC offset the rule gives at ``moment`` (aware)."""
        if not self.changes:
            return self.std_offset
        to_daylight, to_standard = self.changes
        year = moment.astimezone(UTC).year
        begins, ends = to_daylight.moment(year), to_standard.moment(year)
        # In the southern hemisphere daylight saving time spans the new year (it begins after it ends).
        daylight = begins <= moment < ends if begins < ends else moment >= begins or moment < ends
        return to_daylight.offset_to if daylight else self.std_offset


def _seconds(text):
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")]
    parts += [0] * (3 - len(parts))
    return sign * datetime.timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2])


def parse_posix(text):
    """A :class:`Rule` from a POSIX TZ string, or None for what a yearly RRULE cannot say."""
    match = _POSIX.match(text.strip())
    if not match:
        return None
    # POSIX offsets are west of Greenwich ("EST5"): the UTC offset is their negation.
    std_offset = -_seconds(match["std_offset"])
    std_name = match["stdq"] or match["std"]
    if not (match["dst"] or match["dstq"]):
        return Rule(std_offset, std_name, ())
    dst_offset = -_seconds(match["dst_offset"]) if match["dst_offset"] else std_offset + datetime.timedelta(hours=1)
    dst_name = match["dstq"] or match["dst"]
    changes = []
    for part, offset_from, offset_to, name in (
        (match["start"], std_offset, dst_offset, dst_name),
        (match["end"], dst_offset, std_offset, std_name),
    ):
        # Summer time is the later clock, whichever POSIX calls standard (Ireland's is its winter time).
        daylight = offset_to > offset_from
        rule = _MONTH_RULE.match(part)
        if not rule:
            return None  # a day of the year (Jn, n): no yearly RRULE says it
        time = _seconds(rule["time"]) if rule["time"] else datetime.timedelta(hours=2)
        if not datetime.timedelta(0) <= time < DAY:
            return None  # 24:00 or later, or before midnight: the change falls on another weekday
        changes.append(
            Change(
                int(rule["month"]),
                int(rule["week"]),
                int(rule["weekday"]),
                time,
                offset_from,
                offset_to,
                name,
                daylight,
            )
        )
    return Rule(std_offset, std_name, tuple(changes))


def _zone_file(key):
    for directory in zoneinfo.TZPATH:
        path = os.path.join(directory, *key.split("/"))
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                return handle.read()
    try:
        resource = importlib.resources.files("tzdata").joinpath("zoneinfo", *key.split("/"))
        return resource.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


def posix_rule(key):
    """The zone's rule from the footer of its TZif file (version 2 and later), or None."""
    data = _zone_file(key)
    if not data or not data.startswith(b"TZif") or data[4:5] in (b"\0", b""):
        return None
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        return parse_posix(footer.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def _days(first, last):
    moment = datetime.datetime.combine(first, datetime.time(12), tzinfo=UTC)
    end = datetime.datetime.combine(last, datetime.time(12), tzinfo=UTC)
    while moment <= end:
        yield moment
        moment += DAY


def rule_holds(rule, zone, first, last):
    """Whether ``rule`` gives ``zone``'s offset on every day from ``first`` to ``last`` and at each of its
    changes (either side of the very second)."""
    for moment in _days(first, last):
        if rule.offset(moment) != moment.astimezone(zone).utcoffset():
            return False
    second = datetime.timedelta(seconds=1)
    for year in range(first.year, last.year + 1):
        for change in rule.changes:
            at = change.moment(year)
            if at.astimezone(zone).utcoffset() != change.offset_to:
                return False
            if (at - second).astimezone(zone).utcoffset() != change.offset_from:
                return False
    return True


def _observance(daylight, offset_from, offset_to, name, start):
    component = TimezoneDaylight() if daylight else TimezoneStandard()
    component.add("TZOFFSETFROM", offset_from)
    component.add("TZOFFSETTO", offset_to)
    component.add("TZNAME", name)
    component.add("DTSTART", start)
    return component


def _from_rule(key, rule, first_year):
    timezone = Timezone()
    timezone.add("TZID", key)
    if not rule.changes:
        timezone.add_component(
            _observance(False, rule.std_offset, rule.std_offset, rule.std_name, datetime.datetime(first_year, 1, 1))
        )
        return timezone
    for change in rule.changes:
        component = _observance(
            change.daylight, change.offset_from, change.offset_to, change.name, change.local_start(first_year)
        )
        component.add("RRULE", change.rrule())
        timezone.add_component(component)
    return timezone


def _changes(zone, first, last):
    """Every change of ``zone``'s offset between ``first`` and ``last``: (UTC moment, from, to, name, dst)."""
    found = []
    previous = None
    for moment in _days(first, last):
        if previous is not None and previous.astimezone(zone).utcoffset() != moment.astimezone(zone).utcoffset():
            low, high = previous, moment  # the change lies in (low, high]: find its second
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            found.append((high, low.astimezone(zone).utcoffset(), local.utcoffset(), local.tzname(), bool(local.dst())))
        previous = moment
    return found


def _from_changes(key, zone, first, last):
    """The zone as its actual changes in the span, each at its local time before the change."""
    timezone = Timezone()
    timezone.add("TZID", key)
    begin = datetime.datetime.combine(first, datetime.time(), tzinfo=UTC).astimezone(zone)
    timezone.add_component(
        _observance(bool(begin.dst()), begin.utcoffset(), begin.utcoffset(), begin.tzname(), begin.replace(tzinfo=None))
    )
    for moment, offset_from, offset_to, name, daylight in _changes(zone, first, last):
        start = (moment + offset_from).replace(tzinfo=None)
        timezone.add_component(_observance(daylight, offset_from, offset_to, name or "", start))
    return timezone


@lru_cache(maxsize=128)
def vtimezone(key, first, last):
    """The VTIMEZONE of the IANA zone ``key`` for dates ``first`` to ``last``: its rule where that rule holds
    over the whole span (checked against ``zoneinfo``), else its actual changes in the span."""
    zone = zoneinfo.ZoneInfo(key)
    rule = posix_rule(key)
    # The rule is written from the year before the span: its first weeks then follow an onset (a calendar
    # reads no offset before the first one), so it is checked from there too.
    since = datetime.date(first.year - 1, 1, 1)
    if rule is not None and rule_holds(rule, zone, since, last):
        return _from_rule(key, rule, since.year)
    return _from_changes(key, zone, first, last)
