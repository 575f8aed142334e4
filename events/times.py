"""Time zones and how event times read on the site.

Members are on both coasts, so every time is shown in Pacific and Eastern
time ("Thu, Feb 22 | 1pm PT / 4pm ET"), plus the event's own zone when it is
neither (an in-person convening in Chicago reads "8am PT / 10am CT / 11am ET").
Dates follow the event's own zone; a zone whose local date differs says so.
"""

import datetime
import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

DEFAULT_TIMEZONE = "America/New_York"
PACIFIC = "America/Los_Angeles"
EASTERN = "America/New_York"

# Generic US labels, as members say them ("1pm PT", not "1pm PDT").
ZONE_LABELS = {
    "America/New_York": "ET",
    "America/Detroit": "ET",
    "America/Indiana/Indianapolis": "ET",
    "America/Kentucky/Louisville": "ET",
    "US/Eastern": "ET",
    "America/Chicago": "CT",
    "US/Central": "CT",
    "America/Denver": "MT",
    "America/Boise": "MT",
    "US/Mountain": "MT",
    "America/Phoenix": "MST",
    "America/Los_Angeles": "PT",
    "US/Pacific": "PT",
    "America/Anchorage": "AKT",
    "Pacific/Honolulu": "HT",
    "America/Puerto_Rico": "AT",
}

COMMON_ZONES = [
    ("America/New_York", "Eastern time (New York)"),
    ("America/Chicago", "Central time (Chicago)"),
    ("America/Denver", "Mountain time (Denver)"),
    ("America/Phoenix", "Arizona (Phoenix, no daylight saving)"),
    ("America/Los_Angeles", "Pacific time (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
]


@lru_cache(maxsize=64)
def get_zone(name):
    """The ZoneInfo for an IANA name, or None when the name is unknown."""
    if not name or not isinstance(name, str):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def validate_timezone(value):
    """Model-field validator: the value must be a time zone name we know (tz database, e.g. America/New_York)."""
    if get_zone(value) is None:
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Choose one from the list, e.g. Eastern time (New York).",
            code="unknown_timezone",
            params={"value": value},
        )


def timezone_choices():
    """Select choices: the US zones first, then every other IANA zone."""
    common = {name for name, _ in COMMON_ZONES}
    others = sorted(name for name in zoneinfo.available_timezones() if name not in common)
    return [
        ("Common in the US", COMMON_ZONES),
        ("All time zones", [(name, name.replace("_", " ")) for name in others]),
    ]


def zone_label(name, moment):
    """'PT', 'ET', 'CT' for US zones; the zone's own abbreviation ('GMT', 'CET') otherwise."""
    return ZONE_LABELS.get(name) or moment.tzname() or name


def clock(moment):
    """'1pm', '4:30pm', '12pm' (noon)."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def clock_range(start, end):
    """'1–2:30pm', '11am–12:30pm', or '10pm – Fri 1am' when it ends the next day."""
    if end.date() != start.date():
        return f"{clock(start)} – {date_format(end, 'D')} {clock(end)}"
    if (start.hour < 12) == (end.hour < 12):
        return f"{clock(start)[:-2]}–{clock(end)}"
    return f"{clock(start)}–{clock(end)}"


def display_zones(own_zone_name):
    """The zone names to show an event in: PT, ET and its own when it is neither."""
    names = [PACIFIC, EASTERN]
    own_label = ZONE_LABELS.get(own_zone_name)
    if own_zone_name not in names and own_label not in ("PT", "ET") and get_zone(own_zone_name):
        names.append(own_zone_name)
    return names


def _localised(moment, own_zone_name):
    """(zone name, local datetime) for each display zone, west to east."""
    pairs = [(name, moment.astimezone(get_zone(name))) for name in display_zones(own_zone_name)]
    pairs.sort(key=lambda pair: pair[1].utcoffset())
    return pairs


def own_zone(name):
    return get_zone(name) or get_zone(DEFAULT_TIMEZONE)


def short_when(start, zone_name):
    """{'date': 'Thu, Feb 22', 'times': '1pm PT / 4pm ET', 'text': 'Thu, Feb 22 | 1pm PT / 4pm ET'}."""
    # Worked out once per moment and zone (a series page shows each session twice: card and form).
    return dict(_short_when(start, zone_name, get_language()))


@lru_cache(maxsize=4096)
def _short_when(start, zone_name, _language):
    local_start = start.astimezone(own_zone(zone_name))
    date_text = date_format(local_start, "D, M j")
    parts = []
    for name, local in _localised(start, zone_name):
        part = f"{clock(local)} {zone_label(name, local)}"
        if local.date() != local_start.date():
            part += f" ({date_format(local, 'D')})"
        parts.append(part)
    times = " / ".join(parts)
    return {"date": date_text, "times": times, "text": f"{date_text} | {times}"}


def long_when(start, end, zone_name):
    """The event page's 'When': full date in its own zone and a time range per zone."""
    local_start = start.astimezone(own_zone(zone_name))
    rows = []
    for name, local in _localised(start, zone_name):
        local_end = end.astimezone(local.tzinfo)
        label = zone_label(name, local)
        row = {"zone": name, "label": label, "range": clock_range(local, local_end), "day": ""}
        if local.date() != local_start.date():
            row["day"] = date_format(local, "D, M j")
        rows.append(row)
    return {
        "date": date_format(local_start, "l, F j, Y"),
        "short_date": date_format(local_start, "D, M j"),
        "rows": rows,
        "text": " / ".join(f"{row['range']} {row['label']}" for row in rows),
        "zone_name": zone_name,
    }


def equivalence(moment, zone_name):
    """'2:00 PM PT = 5:00 PM ET': the moment in its own zone first, then PT and ET (the hint under 'start')."""
    zone_names = [zone_name] + [name for name in (PACIFIC, EASTERN) if name not in display_zones_labels(zone_name)]
    parts = []
    for name in zone_names:
        local = moment.astimezone(own_zone(name))
        hour = local.hour % 12 or 12
        parts.append(f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'} {zone_label(name, local)}")
    return " = ".join(parts)


def display_zones_labels(zone_name):
    """The zone itself plus the US zones that share its label (Detroit is ET like New York)."""
    label = ZONE_LABELS.get(zone_name)
    return {zone_name} | {name for name, other in ZONE_LABELS.items() if label and other == label}


def to_wall_clock(moment, zone_name):
    """The naive local time an event's editor typed, for showing it back in the form."""
    return moment.astimezone(own_zone(zone_name)).replace(tzinfo=None)


def from_wall_clock(naive, zone_name):
    """An aware datetime from a wall-clock time in the event's zone, or None if it does not exist.

    A time skipped when clocks spring forward (2:30am on the second Sunday of
    March in the US) does not exist; the caller reports it to the editor.
    """
    zone = own_zone(zone_name)
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    return aware if round_trip == naive else None
