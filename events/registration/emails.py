"""The registration emails (templates/emails/events/), their calendar parts and the member's signed links.

Which emails exist and what each one's calendar part does is in docs/emails.md. In short: an
email that confirms a seat (confirmed, approved, promoted, changed) carries the registrant's own
calendar entry as an iTIP ``REQUEST`` (with the meeting link); an email that takes a seat away
from someone whose calendar holds the session (cancelled, declined, moved to the waitlist, the
session cancelled) carries a ``CANCEL`` of that entry; nothing else carries a calendar part, so
nobody waiting or pending is offered the session as if they had a seat.
"""

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from home.site_url import site_root_url
from inbox.emails import queue_email

from .. import ical
from .seats import registration_closed_reason, waitlist_position
from .statuses import Status

MANAGE_SALT = "lpsite.events.manage-registration"
RATING_SALT = "lpsite.events.rate-session"

EMAIL_FOR_STATUS = {
    Status.CONFIRMED: "confirmed",
    Status.WAITLISTED: "waitlisted",
    Status.PENDING: "pending",
    Status.REJECTED: "declined",
    Status.CANCELLED: "cancelled",
}
# The emails that hold a seat: their calendar part adds (or updates) the session in the registrant's calendar.
REQUEST_TEMPLATES = {"confirmed", "approved", "promoted", "changed"}
# The emails that may carry the meeting link (to confirmed registrants only).
WITH_MEETING_LINK = {"confirmed", "approved", "promoted", "reminder", "changed", "message"}


def manage_signature(registration):
    return signing.Signer(salt=MANAGE_SALT).sign(registration.manage_token)


def token_from_signature(signed, salt=MANAGE_SALT):
    """The manage token in a signed link, or None when it was tampered with."""
    try:
        return signing.Signer(salt=salt).unsign(signed)
    except signing.BadSignature:
        return None


def manage_url(registration):
    path = reverse("manage_registration", args=[manage_signature(registration)])
    return site_root_url() + path


def rating_url(registration, score):
    """The one-click rating link of the follow-up email: signed, so it rates only this registration."""
    signed = signing.Signer(salt=RATING_SALT).sign(registration.manage_token)
    return site_root_url() + reverse("rate_session", args=[signed, score])


def calendar_method(registration, template):
    """REQUEST, CANCEL or None: what this email's calendar part does for this registrant."""
    event = registration.event.specific
    holds_seat = registration.status == Status.CONFIRMED and not event.is_cancelled
    if holds_seat and template in REQUEST_TEMPLATES:
        return ical.REQUEST
    if registration.in_calendar and not holds_seat:
        return ical.CANCEL
    return None


def calendar_part(registration, method, now=None):
    """The registrant's own calendar entry for an email, as bytes; records its SEQUENCE on the registration.

    Each entry a registrant gets has a higher SEQUENCE than the one before it (and never lower than the
    public file's), so their calendar app always takes the newest."""
    event = registration.event.specific
    previous = registration.calendar_sequence
    sequence = event.sequence if previous is None else max(event.sequence, previous + 1)
    calendar = ical.registrant_calendar(
        registration, method=method, sequence=sequence, stamp=now or timezone.now(), manage_url=manage_url(registration)
    )
    registration.calendar_sequence, registration.in_calendar = sequence, method == ical.REQUEST
    type(registration).objects.filter(pk=registration.pk).update(
        calendar_sequence=sequence, in_calendar=registration.in_calendar
    )
    return calendar.to_ical()


def event_context(event):
    return {
        "event": event,
        "when": f"{event.when_long['date']}, {event.when_long['text']}",
        "event_url": event.get_full_url() or "",
    }


def send_email(registration, template, message="", extra=None):
    """Queue one of the registration emails (templates/emails/events/<template>), with its calendar part."""
    event = registration.event.specific
    gets_link = template in WITH_MEETING_LINK and registration.status == Status.CONFIRMED and not event.is_cancelled
    method = calendar_method(registration, template)
    had_entry = registration.in_calendar
    context = {
        **event_context(event),
        "registration": registration,
        "manage_url": manage_url(registration),
        "message": message,
        "meeting_url": event.meeting_url if gets_link else "",
        "calendar": method,
        "was_confirmed": had_entry,
        "waitlist_position": waitlist_position(registration),
        "can_register_again": registration.status == Status.CANCELLED and not registration_closed_reason(event),
    }
    context.update(extra or {})
    attachments, alternatives = [], []
    if method:
        content = calendar_part(registration, method)
        mimetype = f"text/calendar; method={method}"
        # As a version of the body (Outlook acts on it there) and as a file (Gmail, Apple Mail, a download).
        alternatives.append((content, mimetype))
        attachments.append((f"{event.slug}.ics", content, mimetype))
    return queue_email(
        registration.email,
        f"events/{template}",
        context,
        purpose=f"registration.{template}",
        related=registration,
        attachments=attachments,
        alternatives=alternatives,
    )


def send_status_email(registration, **_):
    """The email that tells the member their current status (none for attended, no-show or spam)."""
    template = EMAIL_FOR_STATUS.get(registration.status)
    if template:
        return send_email(registration, template)
    return None


def email_after(template):
    """A Transition ``email`` callable sending ``template`` (with staff's message, if any)."""

    def send(registration, message="", data=None):
        if (data or {}).get("quiet"):
            return None  # a session-wide act sends its own email (rules.cancel_session)
        return send_email(registration, template, message=message)

    send.__name__ = f"send_{template}"
    return send


def email_for_new_status(registration, message="", data=None):
    """A Transition ``email`` callable: confirmed after approval reads "approved", else the status email."""
    if registration.status == Status.CONFIRMED:
        return send_email(registration, "approved" if (data or {}).get("approved") else "promoted", message=message)
    return send_status_email(registration)
