"""Attendance from Zoom's participants report, manual matching and walk-ins.

Zoom exports who joined a meeting as CSV (Reports → Usage → Participants, or a
webinar's Attendee report). Its shape varies: a meeting summary above the table or
not, ``Name (Original Name)`` or ``User Name (Original Name)``, ``User Email`` or
``Email``, hosts and panelists in sections of their own. :func:`read_participants`
finds the table by its email column, reads the attendees' section where there is
one, merges people who joined several times, and refuses what is not such a report
with a message staff can act on. Registrants are matched by normalised address
(case and ``+tags`` ignored: ``Jenn+zoom@Example.org`` is ``jenn@example.org``).
"""

import csv
import io
import re
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from inbox.transitions import TransitionError, apply_transition

from .models import AttendanceImport, Registration
from .seats import lock_event
from .statuses import ACTIVE, SEATED, Role, Status

MAX_BYTES = 5 * 1024 * 1024  # Zoom's report of a 1,000-person webinar is about 200 KB
MAX_ROWS = 20_000
EMAIL_HEADERS = ("user email", "email", "attendee email", "participant email", "email address")
NAME_HEADERS = ("name (original name)", "user name (original name)", "name", "participant", "user name")
MINUTES_HEADERS = ("duration (minutes)", "time in session (minutes)", "total duration (minutes)", "duration")
ATTENDED_HEADER = "attended"
SUMMARY_HEADERS = ("meeting id", "webinar id", "topic")
SKIPPED_SECTIONS = ("host details", "panelist details", "panelists", "host")


class AttendanceFileError(ValueError):
    """The uploaded file is not a participants report we can read; the message says what to do."""


class Participant(NamedTuple):
    name: str
    email: str
    minutes: int

    def as_dict(self, note=""):
        return {"name": self.name, "email": self.email, "minutes": self.minutes, "note": note}


def normalise_email(address):
    """The address as it is matched: lower case, no ``+tag`` in its local part."""
    address = (address or "").strip().lower()
    local, at, domain = address.partition("@")
    if not at:
        return address
    return f"{local.split('+', 1)[0]}@{domain}"


def _decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise AttendanceFileError(
        "This file isn't a CSV file we can read. Export the participants report from Zoom as CSV and upload that."
    )


def _column(header, names):
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _minutes(value):
    match = re.match(r"\s*(\d+)", value or "")
    return int(match.group(1)) if match else 0


def read_participants(upload):
    """The distinct people in a Zoom participants report (an uploaded file), in the order they first joined."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise AttendanceFileError(f"This file is larger than {MAX_BYTES // (1024 * 1024)} MB: is it Zoom's report?")
    if not data.strip():
        raise AttendanceFileError("This file is empty.")
    text = _decode(data)
    try:
        rows = list(_rows(text))
    except csv.Error as error:
        raise AttendanceFileError(f"This file isn't a CSV file we can read ({error}).") from None
    tables = _tables(rows)
    if not tables:
        raise AttendanceFileError(
            "We couldn't find a column of email addresses. Upload Zoom's participants report: in Zoom, "
            "Reports → Usage → Participants → Export (or a webinar's Attendee report)."
        )
    attendee_tables = [table for title, table in tables if "attendee" in title]
    chosen = attendee_tables or [table for title, table in tables if title not in SKIPPED_SECTIONS]
    people = {}
    for table in chosen:
        for participant in table:
            key = normalise_email(participant.email) or f"name:{participant.name.lower()}"
            if key in people:
                known = people[key]
                people[key] = known._replace(minutes=known.minutes + participant.minutes)
            else:
                people[key] = participant
    return list(people.values())


def _rows(text):
    reader = csv.reader(io.StringIO(text))
    for count, row in enumerate(reader, start=1):
        if count > MAX_ROWS:
            raise AttendanceFileError(f"This file has more than {MAX_ROWS:,} rows: is it Zoom's report?")
        yield [cell.strip() for cell in row]


def _tables(rows):
    """[(section title, [Participant])] for each table with an email column, its section's title (lower case)."""
    tables = []
    section = ""
    columns = None
    for row in rows:
        cells = [cell for cell in row if cell]
        if not cells:
            columns = None
            continue
        lowered = [cell.lower() for cell in row]
        email = _column(lowered, EMAIL_HEADERS)
        if email is not None and any(name in lowered for name in SUMMARY_HEADERS):
            columns = None  # the meeting's summary (its host's address), not who joined
            continue
        if email is not None:
            columns = {
                "email": email,
                "name": _column(lowered, NAME_HEADERS),
                "first": _column(lowered, ("first name",)),
                "last": _column(lowered, ("last name",)),
                "minutes": _column(lowered, MINUTES_HEADERS),
                "attended": _column(lowered, (ATTENDED_HEADER,)),
            }
            tables.append((section, []))
            continue
        if len(cells) == 1 and "@" not in cells[0]:
            section = cells[0].lower()  # "Attendee Details", "Host Details"
            columns = None
            continue
        if columns is None:
            continue  # the meeting summary above the table

        def cell(name, row=row, columns=columns):
            index = columns[name]
            return row[index] if index is not None and index < len(row) else ""

        if columns["attended"] is not None and cell("attended").lower() in ("no", "false", "0"):
            continue  # registered for the webinar, never joined
        address = cell("email")
        name = cell("name") or " ".join(part for part in (cell("first"), cell("last")) if part)
        name = re.sub(r"\s*\(.*\)\s*$", "", name).strip() or name  # "Jenn Weaver (Jenn's iPad)"
        if "@" not in address:
            address = ""
        if not address and not name:
            continue
        tables[-1][1].append(Participant(name[:200], address[:254], _minutes(cell("minutes"))))
    return tables


class AttendanceNotOpen(Exception):
    """Attendance can't be taken for this session (yet); the message says why."""


def check_open(event, now=None):
    if event.cancelled_at:
        raise AttendanceNotOpen("The session was cancelled, so there is no attendance to take.")
    if event.start > (now or timezone.now()):
        raise AttendanceNotOpen("Attendance can be taken once the session has started.")


def _note_for(registration):
    if registration is None:
        return "No registration with this address."
    return f"Their registration is {registration.get_status_display().lower()}."


def import_participants(event, participants, *, actor, filename="", others_no_show=True):
    """Mark the registrants the report names attended and, with ``others_no_show``, the other confirmed
    ones no-show; keep who it could not match for staff to match by hand. Returns the AttendanceImport."""
    check_open(event)
    with transaction.atomic():
        event = lock_event(event)
        registrations = list(event.registrations.exclude(status=Status.SPAM).order_by("-created_at"))
        seated = {normalise_email(r.email): r for r in registrations if r.status in SEATED}
        others = {}
        for registration in registrations:
            others.setdefault(normalise_email(registration.email), registration)
        present, unmatched = set(), []
        for participant in participants:
            registration = seated.get(normalise_email(participant.email)) if participant.email else None
            if registration is not None:
                present.add(registration.pk)
            else:
                other = others.get(normalise_email(participant.email)) if participant.email else None
                unmatched.append(participant.as_dict(_note_for(other)))
        data = {"source": "zoom"}
        for registration in seated.values():
            target = "attended" if registration.pk in present else ("no_show" if others_no_show else None)
            if target and registration.status != target:
                apply_transition(registration, target, actor=actor, data=data)
        return AttendanceImport.objects.create(
            event=event,
            filename=(filename or "")[:255],
            participants=len(participants),
            matched=len(present),
            unmatched=unmatched,
            created_by=actor,
        )


def resolve(report, index):
    """Take entry ``index`` off an import's unmatched list (it has been matched or added)."""
    with transaction.atomic():
        report = AttendanceImport.objects.select_for_update().get(pk=report.pk)
        if 0 <= index < len(report.unmatched):
            report.unmatched = report.unmatched[:index] + report.unmatched[index + 1 :]
            report.save(update_fields=["unmatched"])
    return report


def mark_attended(registration, *, actor):
    """A registrant matched by hand (they joined from another address): attended."""
    check_open(registration.event)
    if registration.status == Status.ATTENDED:
        return registration
    return apply_transition(registration, "attended", actor=actor, data={"source": "matched by hand"})


def add_walk_in(event, *, name, email, actor, organisation=""):
    """Someone who came without a seat: attended. An active registration of theirs (waitlisted, pending,
    confirmed) becomes attended; otherwise a new registration is made, marked as a walk-in."""
    check_open(event)
    email = email.strip().lower()
    with transaction.atomic():
        event = lock_event(event)
        existing = event.registrations.filter(email=email, status__in=ACTIVE).first()
        if existing is not None:
            if existing.status in (Status.CONFIRMED, Status.NO_SHOW):
                return apply_transition(existing, "attended", actor=actor, data={"source": "walk-in"}), False
            if existing.status != Status.ATTENDED:
                previous = existing.status
                existing.status = Status.ATTENDED
                existing.save(update_fields=["status", "updated_at"])
                log(
                    instance=existing,
                    action="lpsite.registration.walk_in",
                    user=actor,
                    data={"previous": previous, "status": Status.ATTENDED},
                )
            return existing, False
        registration = Registration.objects.create(
            event=event,
            page=event,
            name=name.strip(),
            email=email,
            role=Role.OTHER,
            organisation=organisation.strip(),
            status=Status.ATTENDED,
            form_data={"name": name.strip(), "email": email, "organisation": organisation.strip(), "walk_in": True},
        )
        log(
            instance=registration,
            action="lpsite.registration.walk_in",
            user=actor,
            data={"status": Status.ATTENDED},
        )
        return registration, True


__all__ = [
    "AttendanceFileError",
    "AttendanceNotOpen",
    "Participant",
    "TransitionError",
    "add_walk_in",
    "check_open",
    "import_participants",
    "mark_attended",
    "normalise_email",
    "read_participants",
    "resolve",
]
