"""The member-side registration rules: register, cancel, reminders, the signed link.

Every change happens in a transaction that first locks the event's row
(``seats.lock_event``), so concurrent registrations never put more
confirmed people in a session than it has seats. Emails are saved in the same
transaction and delivered after commit (``inbox.emails``). Staff-side changes
are the model's transitions (``Registration.transitions``), applied by
``inbox.transitions.apply_transition``; member cancellation is the same
"cancel" transition. Every change is logged with Wagtail's log entries.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from inbox.emails import queue_email
from inbox.transitions import TransitionError, apply_transition

from ..times import long_when
from .emails import RATING_SALT, manage_url, rating_url, send_email, send_status_email, token_from_signature
from .models import Registration, SessionMessage
from .seats import lock_event, registration_closed_reason  # noqa: F401 - registration_closed_reason: the rules' API
from .statuses import ACTIVE, CANCELLABLE, Status
from .workflow import initial_status

# Signing up again with the same address re-sends the status email at most this often.
RESEND_INTERVAL = timedelta(hours=1)


class RegistrationClosed(Exception):
    """Registration is not possible for this event; the message says why."""


def registration_for_signature(signed):
    token = token_from_signature(signed)
    if token is None:
        return None
    return Registration.objects.select_related("event").filter(manage_token=token).first()


def registration_for_rating(signed):
    """The attended registration a follow-up's rating link was signed for, or None."""
    token = token_from_signature(signed, salt=RATING_SALT)
    if token is None:
        return None
    return Registration.objects.select_related("event").filter(manage_token=token, status=Status.ATTENDED).first()


def rate(registration, score, comment=None):
    """Record an attendee's rating of their session (1–5; the latest counts) and, if given, their comment."""
    score = int(score)
    if not 1 <= score <= 5:
        raise ValueError("A rating is 1 to 5.")
    changes = {"rating": score, "rated_at": timezone.now()}
    if comment is not None:
        changes["rating_comment"] = comment.strip()
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(**changes)
        if registration.rating != score or (comment and comment.strip() != registration.rating_comment):
            record(registration, "rated", rating=score)
    for name, value in changes.items():
        setattr(registration, name, value)
    return registration


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
        event__cancelled_at__isnull=True,
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


def notify_change(event_id, before):
    """A published session moved, or its place or meeting link changed: tell its registrants.

    ``before`` holds the values it had (``EventPage.NOTIFY_FIELDS``); the event is read as it is now. A
    change of time or place goes to everyone still registered (confirmed people with a calendar entry
    that replaces theirs, the meeting link and what it was; the waitlisted and pending without either);
    a new meeting link only to the confirmed. Their day-before reminder is due again for a new date.
    """
    registrations = list(
        Registration.objects.filter(event_id=event_id, status__in=CANCELLABLE).select_related("event").order_by("pk")
    )
    if not registrations:
        return 0
    event = registrations[0].event.specific
    if event.has_ended() or event.is_cancelled:
        return 0
    changed = {name for name in before if before[name] != getattr(event, name)}
    moved = bool(changed & {"start", "end", "timezone"})
    relocated = "location_name" in changed
    new_link = "meeting_url" in changed and bool(event.meeting_url)
    if not (moved or relocated or new_link):
        return 0
    was = long_when(before["start"], before["end"], before["timezone"])
    extra = {
        "moved": moved,
        "relocated": relocated,
        "new_link": new_link,
        "was_when": f"{was['date']}, {was['text']}",
        "was_location": before["location_name"] or "",
    }
    sent = 0
    with transaction.atomic():
        for registration in registrations:
            if registration.status != Status.CONFIRMED and not (moved or relocated):
                continue  # only the confirmed have the link
            send_email(registration, "changed", extra=extra)
            record(registration, "time_changed", sequence=event.sequence, changed=", ".join(sorted(changed)))
            sent += 1
        if moved:
            Registration.objects.filter(event_id=event_id).update(reminder_sent_at=None)
    return sent


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


class SessionNotCancellable(Exception):
    """The session can't be cancelled (it has ended, or was cancelled already); the message says why."""


def next_session(event, now=None):
    """The next session of ``event``'s series still going ahead (live, public, not cancelled), or None."""
    series = getattr(event, "series", None)
    if series is None:
        return None
    now = now or timezone.now()
    return (
        series.sessions()
        .filter(start__gt=now, cancelled_at__isnull=True)
        .exclude(pk=event.pk)
        .order_by("start", "pk")
        .first()
    )


def cancel_session(event, *, actor=None, message="", reason="cancelled"):
    """Cancel a session as one act; returns how many registrants were told.

    The session is marked cancelled (its page says so, its calendar entries become STATUS:CANCELLED
    with a higher SEQUENCE, it takes no more registrations and sends no reminders), every active
    registration is cancelled without promoting anyone from the waitlist, and each person gets one
    email: what happened, staff's ``message``, a calendar cancel if their calendar holds the session,
    and the series' next session. ``reason`` is logged ("cancelled", "unpublished").
    """
    message = (message or "").strip()
    now = timezone.now()
    with transaction.atomic():
        event = lock_event(event).specific
        if event.cancelled_at:
            raise SessionNotCancellable("This session was already cancelled.")
        if event.has_ended(now):
            raise SessionNotCancellable("This session has already taken place, so it can't be cancelled.")
        event.cancelled_at, event.cancellation_message = now, message
        event.sequence += 1
        # A save, not an update: the page cache and the listings see it at once (home/cache.py).
        event.save(update_fields=["cancelled_at", "cancellation_message", "sequence"])
        following = next_session(event, now)
        told = 0
        registrations = list(event.registrations.filter(status__in=CANCELLABLE).order_by("created_at", "pk"))
        for registration in registrations:
            try:
                registration = apply_transition(
                    registration, "cancel", actor=actor, message=message, data={"quiet": True, "reason": reason}
                )
            except TransitionError:
                continue
            send_email(registration, "session_cancelled", message=message, extra={"next_session": following})
            told += 1
        log(
            instance=event,
            action="lpsite.event.cancelled",
            user=actor,
            data={"registrants_told": told, "message": message, "reason": reason},
        )
    return told


# Follow-ups go this long after a session ends, and not for sessions that ended longer ago than the window
# (attendance taken months later does not email anyone).
FOLLOWUP_DELAY = timedelta(hours=1)
FOLLOWUP_WINDOW = timedelta(days=30)


def followup_extra(registration, now):
    """What a follow-up email says beyond the registration: the series' own note, the session's recording,
    slides and related resources, the rating links (attendees) or the series' next session (no-shows)."""
    event = registration.event.specific
    series = event.series
    attended = registration.status == Status.ATTENDED
    note = ""
    if series is not None:
        note = series.followup_attended_text if attended else series.followup_no_show_text
    extra = {"note": note.strip(), "attended": attended}
    if attended:
        areas = [area.pk for area in event.issue_areas.all()]
        extra["resources"] = [
            {"title": resource.title, "url": resource.get_full_url()} for resource in event.get_related_resources(areas)
        ]
        extra["rating_links"] = [(score, rating_url(registration, score)) for score in range(1, 6)]
    else:
        extra["next_session"] = next_session(event, now)
    return extra


def send_followups(now=None):
    """Email each attendee a thank-you (recording, slides, resources, a one-click rating) and each no-show a
    "sorry we missed you" (recording, the series' next session), an hour after their session ended.

    Run hourly (cron): each registration is claimed once (``followup_sent_at``), so running it again, or in
    two places at once, sends nothing twice. Sessions that ended more than FOLLOWUP_WINDOW ago are left
    alone. Returns how many were sent.
    """
    now = now or timezone.now()
    candidates = (
        Registration.objects.filter(
            status__in=(Status.ATTENDED, Status.NO_SHOW),
            followup_sent_at__isnull=True,
            event__end__lte=now - FOLLOWUP_DELAY,
            event__end__gt=now - FOLLOWUP_WINDOW,
            event__cancelled_at__isnull=True,
        )
        .select_related("event")
        .order_by("event_id", "pk")
    )
    sent = 0
    for registration in candidates:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, followup_sent_at__isnull=True, status=registration.status
            ).update(followup_sent_at=now)
            if not claimed:
                continue
            template = "followup_attended" if registration.status == Status.ATTENDED else "followup_no_show"
            send_email(registration, template, extra=followup_extra(registration, now))
            record(registration, "followup_sent", kind=registration.status)
            sent += 1
    return sent


def audience_counts(event):
    """{SessionMessage audience: how many of ``event``'s registrants it reaches}, in one query."""
    by_status = dict(event.registrations.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        audience: sum(by_status.get(status, 0) for status in statuses)
        for audience, statuses in SessionMessage.AUDIENCE_STATUSES.items()
    }


def message_registrants(event, *, audience, subject, body, sender, token, include_link=True):
    """Email staff's message to the registrants of ``event`` in ``audience``: one email each, logged on each
    registration; the meeting link (with ``include_link``) only to the confirmed. Returns (SessionMessage,
    sent now): the same form sent twice (its ``token``) sends once."""
    with transaction.atomic():
        message, created = SessionMessage.objects.get_or_create(
            token=token,
            defaults={"event": event, "audience": audience, "subject": subject, "body": body, "sent_by": sender},
        )
        if not created:
            return message, False
        statuses = SessionMessage.AUDIENCE_STATUSES[audience]
        registrations = event.registrations.filter(status__in=statuses).select_related("event").order_by("name", "pk")
        for registration in registrations:
            send_email(
                registration,
                "message",
                extra={"subject": subject, "body": body, "include_link": include_link},
            )
            record(registration, "messaged", user=sender, subject=subject, message_id=message.pk)
            message.recipients += 1
        message.save(update_fields=["recipients"])
    return message, True
