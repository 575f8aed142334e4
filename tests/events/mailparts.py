"""Read sent emails back the way a mail client does: the raw message through Python's ``email`` parser."""

import email
from email import policy

from django.core import mail
from icalendar import Calendar


def parsed(message):
    """A Django EmailMessage as a mail client receives it (headers and MIME parts, decoded)."""
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def calendar_parts(message):
    """[(Content-Type's method, disposition, Calendar)] of every text/calendar part."""
    found = []
    for part in parsed(message).walk():
        if part.get_content_type() == "text/calendar":
            found.append(
                (part.get_param("method"), part.get_content_disposition(), Calendar.from_ical(part.get_content()))
            )
    return found


def the_calendar(message):
    """The one calendar the email carries (as an alternative and as the same file attached): (method, VEVENT)."""
    parts = calendar_parts(message)
    assert parts, f"no calendar part in {message.subject!r}"
    methods = {method for method, _, _ in parts}
    assert len(methods) == 1, methods
    assert {disposition for _, disposition, _ in parts} == {None, "attachment"}  # in the body and as a file
    method, _, calendar = parts[0]
    assert calendar.get("METHOD") == method  # what the Content-Type says is what the file says
    [vevent] = calendar.walk("VEVENT")
    return method, vevent


def text_of(message):
    return parsed(message).get_body(preferencelist=("plain",)).get_content()


def emails_to(address):
    return [m for m in mail.outbox if address in m.to]
