"""The registration rules, in one place for the public forms and the inbox.

Every change happens in a transaction that first locks the event's row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers), so
concurrent registrations never put more confirmed people in a session than it
has seats. Emails are queued in the same transaction and delivered after
commit (``home.emails``). Every change is logged with Wagtail's log entries.
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from home.emails import queue_email

from . import ical
from .registration_models import Registration

Status = Registration.Status
MANAGE_SALT = "lpsite.events.manage-registration"

EMAIL_FOR_STATUS = {
    Status.CONFIRMED: "confirmed",
    Status.WAITLISTED: "waitlisted",
    Status.PENDING: "pending",
    Status.REJECTED: "declined",
    Status.CANCELLED: "cancelled",
}
WITH_MEETING_LINK = {"confirmed", "approved", "promoted", "reminder"}


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


def locked_event(event):
    from .models import EventPage

    return EventPage.objects.select_for_update().get(pk=event.pk)


def seats_taken(event):
    return event.registrations.filter(status__in=Registration.SEATED).count()


def has_free_seat(event):
    return event.capacity is None or seats_taken(event) < event.capacity


# Links ---------------------------------------------------------------------


def manage_signature(registration):
    return signing.Signer(salt=MANAGE_SALT).sign(registration.manage_token)


def registration_for_signature(signed):
    try:
        token = signing.Signer(salt=MANAGE_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("event").filter(manage_token=token).first()


def manage_url(registration):
    from django.conf import settings

    path = reverse("manage_registration", args=[manage_signature(registration)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# Emails --------------------------------------------------------------------


def send_email(registration, template, message=""):
    """Queue one of the registration emails (templates/emails/events/)."""
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
    attachments = []
    if template in WITH_MEETING_LINK:
        # The event's own calendar entry (same UID as the public one, so updates merge); the
        # meeting link stays in the email body, never in a calendar file.
        calendar = ical.build_calendar([event], request=None, name=event.title)
        attachments.append((f"{event.slug}.ics", calendar.to_ical(), "text/calendar"))
    return queue_email(
        registration.email,
        f"events/{template}",
        context,
        purpose=f"registration.{template}",
        related=registration,
        attachments=attachments,
    )


def send_status_email(registration):
    template = EMAIL_FOR_STATUS.get(registration.status)
    if template:
        return send_email(registration, template)
    return None


def record(registration, action, user=None, **data):
    log(instance=registration, action=f"lpsite.registration.{action}", user=user, data=data or None)


# Member actions ------------------------------------------------------------


def register(event, *, name, email, role, organisation="", form_data=None, spam_reason="", now=None):
    """Register someone; returns (registration, created).

    The same email already holding an active registration gets that one back
    (``created`` False) and a fresh copy of its email, not a second row.
    Raises RegistrationClosed when the event is not open.
    """
    email = email.strip().lower()
    with transaction.atomic():
        event = locked_event(event)
        reason = registration_closed_reason(event, now)
        if reason:
            raise RegistrationClosed(reason)
        existing = event.registrations.filter(email=email, status__in=Registration.ACTIVE).first()
        if existing:
            if not spam_reason:
                send_status_email(existing)
                record(existing, "reminded", reason="registered again")
            return existing, False
        if spam_reason:
            status = Status.SPAM
        elif event.requires_approval:
            status = Status.PENDING
        elif has_free_seat(event):
            status = Status.CONFIRMED
        else:
            status = Status.WAITLISTED
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
            existing = event.registrations.get(email=email, status__in=Registration.ACTIVE)
            return existing, False
        record(registration, "created", status=status, spam_reason=spam_reason or None)
        send_status_email(registration)
        return registration, True


def promote_from_waitlist(event, user=None, exclude=None):
    """Confirm the longest-waiting person if a seat is free (caller holds the lock)."""
    if event.has_ended() or not has_free_seat(event):
        return None
    waiting = event.registrations.filter(status=Status.WAITLISTED)
    if exclude is not None:
        waiting = waiting.exclude(pk=exclude.pk)
    first = waiting.order_by("created_at", "pk").first()
    if first is None:
        return None
    first.status = Status.CONFIRMED
    first.save(update_fields=["status", "updated_at"])
    record(first, "promoted", user=user)
    send_email(first, "promoted")
    return first


def cancel(registration, user=None, by_member=False):
    """Cancel; a freed seat goes to the first on the waitlist, who is told."""
    with transaction.atomic():
        event = locked_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status in (Status.CANCELLED, Status.REJECTED, Status.SPAM):
            return registration
        was_seated = registration.status in Registration.SEATED
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        record(registration, "cancelled", user=user, by_member=by_member)
        send_email(registration, "cancelled")
        if was_seated:
            promote_from_waitlist(event, user=user)
        return registration


# Staff actions (the inbox) -----------------------------------------------


def _change(registration, new_status, action, user, email=None, message="", **data):
    with transaction.atomic():
        event = locked_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        old = registration.status
        registration.status = new_status
        registration.save(update_fields=["status", "updated_at"])
        record(registration, action, user=user, previous=old, message=message or None, **data)
        if email:
            send_email(registration, email, message=message)
        if old in Registration.SEATED and new_status not in Registration.SEATED:
            promote_from_waitlist(event, user=user, exclude=registration)
        return registration


def approve(registration, user):
    """Pending (or waitlisted) to confirmed; if the session is full, to the waitlist."""
    with transaction.atomic():
        event = locked_event(registration.event)
        if has_free_seat(event):
            return _change(registration, Status.CONFIRMED, "approved", user, email="approved")
        return _change(registration, Status.WAITLISTED, "waitlisted", user, email="waitlisted", reason="full")


def decline(registration, user, message=""):
    return _change(registration, Status.REJECTED, "declined", user, email="declined", message=message)


def move_to_waitlist(registration, user):
    return _change(registration, Status.WAITLISTED, "waitlisted", user, email="waitlisted")


def confirm_from_waitlist(registration, user):
    """Staff may confirm past capacity on purpose (a speaker, a host)."""
    return _change(registration, Status.CONFIRMED, "promoted", user, email="promoted")


def staff_cancel(registration, user):
    return cancel(registration, user=user)


def resend(registration, user):
    send_status_email(registration)
    record(registration, "resent", user=user)
    return registration


def mark_attendance(registration, user, attended):
    status = Status.ATTENDED if attended else Status.NO_SHOW
    return _change(registration, status, "attended" if attended else "no_show", user)


def restore_spam(registration, user):
    """Not spam after all: the registration follows the normal rules now."""
    with transaction.atomic():
        event = locked_event(registration.event)
        if event.registrations.filter(email=registration.email, status__in=Registration.ACTIVE).exists():
            return _change(registration, Status.CANCELLED, "restored", user, note="already registered")
        if event.requires_approval:
            status = Status.PENDING
        elif has_free_seat(event):
            status = Status.CONFIRMED
        else:
            status = Status.WAITLISTED
        registration = _change(registration, status, "restored", user)
        registration.spam_reason = ""
        registration.save(update_fields=["spam_reason"])
        send_status_email(registration)
        return registration


# Reminders -----------------------------------------------------------------


def send_reminders(now=None, window_hours=36):
    """Email confirmed registrants of sessions starting within ``window_hours``; once each."""
    from datetime import timedelta

    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__start__gt=now,
        event__start__lte=now + timedelta(hours=window_hours),
        event__live=True,
    ).select_related("event")
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                send_email(registration, "reminder")
                record(registration, "reminder_sent")
                sent += 1
    return sent
