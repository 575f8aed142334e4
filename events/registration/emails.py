"""The registration emails (templates/emails/events/) and the member's signed manage link."""

from django.core import signing
from django.urls import reverse

from home.emails import queue_email
from home.site_url import site_root_url

from .. import ical
from .statuses import Status

MANAGE_SALT = "lpsite.events.manage-registration"

EMAIL_FOR_STATUS = {
    Status.CONFIRMED: "confirmed",
    Status.WAITLISTED: "waitlisted",
    Status.PENDING: "pending",
    Status.REJECTED: "declined",
    Status.CANCELLED: "cancelled",
}
WITH_MEETING_LINK = {"confirmed", "approved", "promoted", "reminder", "changed"}


def manage_signature(registration):
    return signing.Signer(salt=MANAGE_SALT).sign(registration.manage_token)


def token_from_signature(signed):
    """The manage token in a signed link, or None when it was tampered with."""
    try:
        return signing.Signer(salt=MANAGE_SALT).unsign(signed)
    except signing.BadSignature:
        return None


def manage_url(registration):
    path = reverse("manage_registration", args=[manage_signature(registration)])
    return site_root_url() + path


def send_email(registration, template, message="", extra=None):
    """Queue one of the registration emails (templates/emails/events/<template>)."""
    event = registration.event.specific
    context = {
        "registration": registration,
        "event": event,
        "when": f"{event.when_long['date']}, {event.when_long['text']}",
        "event_url": event.get_full_url() or "",
        "manage_url": manage_url(registration),
        "message": message,
        "meeting_url": event.meeting_url if template in WITH_MEETING_LINK else "",
    }
    context.update(extra or {})
    attachments = []
    if template in WITH_MEETING_LINK or template == "cancelled":
        # The event's own calendar entry (same UID as the public one, so updates merge; a
        # cancellation removes it); the meeting link stays in the email body, never in a file.
        cancelled = template == "cancelled"
        calendar = ical.build_calendar([event], request=None, name=event.title, cancelled=cancelled)
        attachments.append((f"{event.slug}.ics", calendar.to_ical(), "text/calendar"))
    return queue_email(
        registration.email,
        f"events/{template}",
        context,
        purpose=f"registration.{template}",
        related=registration,
        attachments=attachments,
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
        return send_email(registration, template, message=message)

    send.__name__ = f"send_{template}"
    return send


def email_for_new_status(registration, message="", data=None):
    """A Transition ``email`` callable: confirmed after approval reads "approved", else the status email."""
    if registration.status == Status.CONFIRMED:
        return send_email(registration, "approved" if (data or {}).get("approved") else "promoted", message=message)
    return send_status_email(registration)
