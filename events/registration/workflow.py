"""Seats, the initial status and the side effects of the registration transitions.

Nothing here imports a model: an event is locked through its own model
(``type(event)``), registrations are reached through ``event.registrations``.
Callers hold a transaction; ``lock_event`` is the first lock every writer
takes (then the registration's row), so two requests never deadlock.
"""

from django.utils import timezone

from inbox.transitions import apply_transition

from .emails import send_email, send_status_email
from .seats import has_free_seat, waitlist
from .statuses import ACTIVE, Status


def initial_status(event, spam_reason="", exclude=None):
    """Where a new (or restored) registration starts: the one place this rule lives."""
    if spam_reason:
        return Status.SPAM
    if event.requires_approval:
        return Status.PENDING
    if has_free_seat(event, exclude=exclude):
        return Status.CONFIRMED
    return Status.WAITLISTED


def promote_from_waitlist(event, actor=None, exclude=()):
    """Confirm the longest-waiting person if a seat is free (the caller holds the event's lock); ``exclude``
    holds ids of registrations not to promote."""
    if event.has_ended() or event.cancelled_at or not has_free_seat(event):
        return None
    waiting = waitlist(event)
    if exclude:
        waiting = waiting.exclude(pk__in=exclude)
    first = waiting.first()
    if first is None:
        return None
    return apply_transition(first, "confirm", actor=actor)


def attendance_guard(registration):
    """Attendance can be taken only once the session has started (and never for a cancelled one)."""
    event = registration.event
    if event.cancelled_at:
        return "The session was cancelled, so there is no attendance to take."
    if event.start > timezone.now():
        return "Attendance can be taken once the session has started."
    return ""


# Transition handlers: called by apply_transition with the registration's row locked and its
# new status saved.


def approve(registration, actor=None, **_):
    """Pending to confirmed; to the waitlist instead when the session is full."""
    if not has_free_seat(registration.event, exclude=registration):
        registration.status = Status.WAITLISTED
        return "lpsite.registration.waitlisted"
    return None


def free_seat(registration, actor=None, data=None, **_):
    """A registration that leaves its seat (cancel, decline, waitlist) gives it to the next in line.

    Never to someone leaving in the same act (a bulk action's other rows, ``data["batch"]``), and not
    at all when the act is the whole session's (``data["quiet"]``: cancelling it, logged as such)."""
    data = data or {}
    if data.get("quiet"):
        return "lpsite.registration.session_cancelled"
    promote_from_waitlist(registration.event, actor=actor, exclude={registration.pk, *data.get("batch", ())})


def restore(registration, actor=None, **_):
    """Not spam after all: the normal rules apply now (or cancelled, if they registered again since)."""
    registration.spam_reason = ""
    duplicate = (
        registration.event.registrations.filter(email=registration.email, status__in=ACTIVE)
        .exclude(pk=registration.pk)
        .exists()
    )
    if duplicate:
        registration.status = Status.CANCELLED
        registration.restored_as_duplicate = True
    else:
        registration.status = initial_status(registration.event, exclude=registration)


# Transition emails.


def approval_email(registration, message="", **_):
    if registration.status == Status.CONFIRMED:
        return send_email(registration, "approved")
    return send_status_email(registration)


def restored_email(registration, message="", **_):
    if getattr(registration, "restored_as_duplicate", False):
        return None  # they have another active registration and its emails already
    return send_status_email(registration)
