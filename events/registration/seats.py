"""Seats, the waitlist's order and whether a session takes registrations: read-only rules every other
module of the registration uses (nothing here writes or sends)."""

from django.db.models import Q
from django.utils import timezone

from .statuses import SEATED, Status

# The page cache's scope for seat counts (home/cache.py): "seats" for any session, "seats:<id>" for one.
SEATS = "seats"


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


def waitlist(event):
    """The waitlisted registrations of ``event`` in the order seats go to them: first come, first served."""
    return event.registrations.filter(status=Status.WAITLISTED).order_by("created_at", "pk")


def waitlist_position(registration):
    """1 for the next to get a seat; None when not waitlisted."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = waitlist(registration.event).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def registration_closed_reason(event, now=None):
    """Why registration is closed, or "" while it is open."""
    now = now or timezone.now()
    if event.cancelled_at:
        return "This session has been cancelled."
    if not event.live:
        return "This session is not open for registration."
    if event.end <= now:
        return "This session has already taken place."
    if event.start <= now:
        return "Registration for this session has closed: it has already started."
    if event.registration_closes and event.registration_closes <= now:
        return "Registration for this session has closed."
    return ""
