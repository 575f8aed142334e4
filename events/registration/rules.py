"""The member-side registration rules: register, cancel, reminders, the signed link.

Every change happens in a transaction that first locks the event's row
(``workflow.lock_event``), so concurrent registrations never put more
confirmed people in a session than it has seats. Emails are saved in the same
transaction and delivered after commit (``home.emails``). Staff-side changes
are the model's transitions (``Registration.transitions``), applied by
``home.inbox.transitions.apply_transition``; member cancellation is the same
"cancel" transition. Every change is logged with Wagtail's log entries.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from home.emails import queue_email
from home.inbox.transitions import TransitionError, apply_transition

from .emails import manage_url, send_email, send_status_email, token_from_signature
from .models import Registration
from .statuses import ACTIVE, CANCELLABLE, Status
from .workflow import initial_status, lock_event

# Signing up again with the same address re-sends the status email at most this often.
RESEND_INTERVAL = timedelta(hours=1)


class RegistrationClosed(Exception):
    """Registration is not possible for this event; the message says why."""


def registration_closed_reason(event, now=None):
    """Why registration is closed, or "" while it is open."""
    now = now or timezone.now()
    if not event.live:
        return "This session is not open for registration."
    if event.end <= now:
        return "This session has already taken place."
    if event.start <= now:
        return "Registration for this session has closed: it has already started."
    if event.registration_closes and event.registration_closes <= now:
        return "Registration for this session has closed."
    return ""


def registration_for_signature(signed):
    token = token_from_signature(signed)
    if token is None:
        return None
    return Registration.objects.select_related("event").filter(manage_token=token).first()


def record(registration, action, user=None, **data):
    log(instance=registration, action=f"lpsite.registration.{action}", user=user, data=data or None)


def resent_recently(registration, now=None):
    """Whether signing up again already re-sent this registration's email within the hour."""
    now = now or timezone.now()
    return (
        ModelLogEntry.objects.for_instance(registration)
        .filter(action="lpsite.registration.reminded", timestamp__gt=now - RESEND_INTERVAL)
        .exists()
    )


def register(event, *, name, email, role, organisation="", form_data=None, spam_reason="", now=None):
    """Register someone; returns (registration, created).

    The same email already holding an active registration gets that one back
    (``created`` False) and a fresh copy of its email (at most once an hour),
    not a second row. Raises RegistrationClosed when the event is not open.
    """
    email = email.strip().lower()
    with transaction.atomic():
        event = lock_event(event)
        reason = registration_closed_reason(event, now)
        if reason:
            raise RegistrationClosed(reason)
        existing = event.registrations.filter(email=email, status__in=ACTIVE).first()
        if existing:
            existing.email_resent = False
            if not spam_reason and not resent_recently(existing, now):
                send_status_email(existing)
                record(existing, "reminded", reason="registered again")
                existing.email_resent = True
            return existing, False
        status = initial_status(event, spam_reason)
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    page=event,
                    name=name.strip(),
                    email=email,
                    role=role,
                    organisation=organisation.strip(),
                    status=status,
                    spam_reason=spam_reason[:255],
                    form_data=form_data or {},
                )
        except IntegrityError:  # the same person, a moment earlier, in another request
            existing = event.registrations.get(email=email, status__in=ACTIVE)
            return existing, False
        record(registration, "created", status=status, spam_reason=spam_reason or None)
        send_status_email(registration)
        return registration, True


def cancel_by_member(registration):
    """The member cancels through their link; a freed seat goes to the next on the waitlist."""
    if registration.status not in CANCELLABLE:
        return registration
    try:
        return apply_transition(registration, "cancel", actor=None, data={"by_member": True})
    except TransitionError:  # cancelled a moment ago in another tab
        registration.refresh_from_db()
        return registration


def day_word(event, now):
    """ "Tomorrow", "Today" or the weekday, as it is where the event happens."""
    days = (event.local_start.date() - now.astimezone(event.zone).date()).days
    return {0: "Today", 1: "Tomorrow"}.get(days, f"On {event.local_start:%A}")


def send_reminders(now=None):
    """Email confirmed registrants on the day before their session, in the session's own zone; once each.

    Run hourly (cron): a registration is due from midnight of the day before, where the event
    happens, until the session starts, so the subject's "Tomorrow" is true there.
    """
    now = now or timezone.now()
    candidates = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__start__gt=now,
        event__start__lte=now + timedelta(hours=50),
        event__live=True,
    ).select_related("event")
    sent = 0
    for registration in candidates:
        event = registration.event
        if day_word(event, now) != "Tomorrow":
            continue
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                send_email(registration, "reminder", extra={"day_word": "Tomorrow"})
                record(registration, "reminder_sent")
                sent += 1
    return sent


def notify_time_change(event_id):
    """A published session moved (its SEQUENCE went up): tell confirmed registrants, with a new .ics.

    Their day-before reminder is due again for the new date.
    """
    confirmed = Registration.objects.filter(event_id=event_id, status=Status.CONFIRMED).select_related("event")
    with transaction.atomic():
        for registration in confirmed:
            if registration.event.has_ended():
                return
            send_email(registration, "changed")
            record(registration, "time_changed", sequence=registration.event.sequence)
        confirmed.update(reminder_sent_at=None)


def send_manage_links(email, now=None):
    """Email ``email`` the private links of its registrations for sessions still to come (if any)."""
    now = now or timezone.now()
    registrations = list(
        Registration.objects.filter(email=email.strip().lower(), status__in=ACTIVE, event__end__gt=now)
        .select_related("event")
        .order_by("event__start")
    )
    if not registrations:
        return None
    links = [{"event": r.event.specific, "url": manage_url(r), "status": r.get_status_display()} for r in registrations]
    return queue_email(
        email, "events/links", {"links": links, "name": registrations[0].name}, purpose="registration.links"
    )
