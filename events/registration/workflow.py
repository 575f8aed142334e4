"""Seats, the initial status and the side effects of the registration transitions.

Nothing here imports a model: an event is locked through its own model
(``type(event)``), registrations are reached through ``event.registrations``.
Callers hold a transaction; ``lock_event`` is the first lock every writer
takes (then the registration's row), so two requests never deadlock.
"""

from home.inbox.transitions import apply_transition

from .emails import send_email, send_status_email
from .statuses import ACTIVE, SEATED, Status


def lock_event(event):
    """The event, re-read with its row locked (SELECT ... FOR UPDATE; SQLite's writer lock)."""
    return type(event)._default_manager.select_for_update().get(pk=event.pk)


def seats_taken(event, exclude=None):
    seated = event.registrations.filter(status__in=SEATED)
    if exclude is not None:
        seated = seated.exclude(pk=exclude.pk)
    return seated.count()


def has_free_seat(event, exclude=None):
    return event.capacity is None or seats_taken(event, exclude=exclude) < event.capacity


def initial_status(event, spam_reason="", exclude=None):
    """Where a new (or restored) registration starts: the one place this rule lives."""
    if spam_reason:
        return Status.SPAM
    if event.requires_approval:
        return Status.PENDING
    if has_free_seat(event, exclude=exclude):
        return Status.CONFIRMED
    return Status.WAITLISTED


def promote_from_waitlist(event, actor=None, exclude=None):
    """Confirm the longest-waiting person if a seat is free (the caller holds the event's lock)."""
    if event.has_ended() or not has_free_seat(event):
        return None
    waiting = event.registrations.filter(status=Status.WAITLISTED)
    if exclude is not None:
        waiting = waiting.exclude(pk=exclude.pk)
    first = waiting.order_by("created_at", "pk").first()
    if first is None:
        return None
    return apply_transition(first, "confirm", actor=actor)


# Transition handlers: called by apply_transition with the registration's row locked and its
# new status saved.


def approve(registration, actor=None, **_):
    """Pending to confirmed; to the waitlist instead when the session is full."""
    if not has_free_seat(registration.event, exclude=registration):
        registration.status = Status.WAITLISTED
        return "lpsite.registration.waitlisted"
    return None


def free_seat(registration, actor=None, **_):
    """A registration that leaves its seat (cancel, decline, waitlist) gives it to the next in line."""
    promote_from_waitlist(registration.event, actor=actor, exclude=registration)


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
