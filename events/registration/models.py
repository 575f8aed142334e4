"""Registrations: the submissions of an event's registration form.

Imported by ``events.models``. ``Registration`` is an inbox submission
(``inbox.models.InboxSubmission``, a Wagtail ``AbstractFormSubmission``):
``form_data`` holds every answer, including the extra questions editors add
with the form builder (``EventFormField`` per event, ``SeriesFormField`` per
series, inherited by its sessions), while the code owns the fields the
workflow needs. Its state machine is the ``transitions`` tuple below, applied
by ``inbox.transitions.apply_transition``.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractFormField

from inbox.models import InboxSubmission
from inbox.transitions import Transition

from . import workflow
from .emails import email_after, send_status_email
from .seats import SEATS, lock_event
from .statuses import ACTIVE, CANCELLABLE, SEATED, Role, Status


def new_manage_token():
    return secrets.token_urlsafe(24)


class EventFormField(AbstractFormField):
    """An extra question on one event's registration form."""

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="form_fields")


class SeriesFormField(AbstractFormField):
    """An extra question asked at registration for every session of a series."""

    page = ParentalKey("events.EventSeriesPage", on_delete=models.CASCADE, related_name="form_fields")


def log(name):
    return f"lpsite.registration.{name}"


class Registration(InboxSubmission):
    """One person's registration for one session."""

    def page_cache_scopes(self):
        """A registration changes the seats its session shows, and nothing else public (home/cache.py)."""
        return (SEATS, f"{SEATS}:{self.event_id}")

    Status = Status
    Role = Role
    ACTIVE = ACTIVE
    SEATED = SEATED

    transitions = (
        Transition(
            "approve",
            "Approve",
            sources=(Status.PENDING,),
            target=Status.CONFIRMED,
            handler=workflow.approve,
            email=workflow.approval_email,
            log_action=log("approved"),
            log_label="Approved",
            bulk=True,
            style="primary",
        ),
        Transition(
            "decline",
            "Decline…",
            sources=(Status.PENDING, Status.WAITLISTED, Status.CONFIRMED),
            target=Status.REJECTED,
            takes_message=True,
            handler=workflow.free_seat,
            email=email_after("declined"),
            log_action=log("declined"),
            log_label="Declined",
            bulk=True,
            style="danger",
            confirm="Decline this registration? The member is told by email.",
        ),
        Transition(
            "waitlist",
            "Move to waitlist",
            sources=(Status.PENDING, Status.CONFIRMED),
            target=Status.WAITLISTED,
            handler=workflow.free_seat,
            email=email_after("waitlisted"),
            log_action=log("waitlisted"),
            log_label="Moved to the waitlist",
            bulk=True,
        ),
        Transition(
            "confirm",
            "Confirm from waitlist",
            sources=(Status.WAITLISTED,),
            target=Status.CONFIRMED,
            email=email_after("promoted"),
            log_action=log("promoted"),
            log_label="Confirmed from the waitlist",
            bulk=True,
        ),
        Transition(
            "cancel",
            "Cancel",
            sources=CANCELLABLE,
            target=Status.CANCELLED,
            handler=workflow.free_seat,
            email=email_after("cancelled"),
            log_action=log("cancelled"),
            log_label="Cancelled",
            bulk=True,
            style="danger",
            confirm="Cancel this registration? The member is told by email.",
        ),
        Transition(
            "resend",
            "Resend email",
            sources=CANCELLABLE,
            email=send_status_email,
            log_action=log("resent"),
            log_label="Email resent",
        ),
        Transition(
            "attended",
            "Mark attended",
            sources=(Status.CONFIRMED, Status.NO_SHOW),
            target=Status.ATTENDED,
            guard=workflow.attendance_guard,
            log_action=log("attended"),
            log_label="Marked attended",
            bulk=True,
        ),
        Transition(
            "no_show",
            "Mark no-show",
            sources=(Status.CONFIRMED, Status.ATTENDED),
            target=Status.NO_SHOW,
            guard=workflow.attendance_guard,
            log_action=log("no_show"),
            log_label="Marked no-show",
            bulk=True,
        ),
        Transition(
            "restore",
            "Not spam: restore",
            sources=(Status.SPAM,),
            handler=workflow.restore,
            email=workflow.restored_email,
            log_action=log("restored"),
            log_label="Restored from spam",
            bulk=True,
        ),
    )
    # Logged outside transitions (by the member-side rules).
    extra_log_actions = {
        log("created"): "Registered",
        log("reminded"): "Registered again (email resent)",
        log("waitlisted"): "Moved to the waitlist",
        log("reminder_sent"): "Reminder sent",
        log("time_changed"): "Told of a change to the session",
        log("session_cancelled"): "Cancelled with the session",
        log("messaged"): "Sent a message from staff",
        log("walk_in"): "Added as a walk-in",
        log("followup_sent"): "Follow-up sent",
        log("rated"): "Rated the session",
    }
    # Bulk actions take rows by event, then by row: the order of their locks (lock_for_transition),
    # so two bulk actions over the same sessions never wait on each other in a circle.
    lock_order = ("event_id", "pk")

    event = models.ForeignKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="registrations", help_text="The session."
    )
    name = models.CharField(max_length=200, help_text="The registrant's name.")
    email = models.EmailField(max_length=254, help_text="Where the meeting link goes (stored lower-case).")
    role = models.CharField(max_length=20, choices=Role.choices, help_text="Who they are.")
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Their jurisdiction or organisation, e.g. 'Hillsborough, NC'."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, db_index=True, help_text="Where the registration stands."
    )
    manage_token = models.CharField(max_length=64, unique=True, default=new_manage_token, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The SEQUENCE of the last calendar entry emailed to them (none yet: empty); each new one is higher.",
    )
    in_calendar = models.BooleanField(
        default=False,
        editable=False,
        help_text="Whether the last calendar entry emailed to them added the session (a REQUEST) rather than "
        "removed it (a CANCEL).",
    )
    followup_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the after-session follow-up was emailed."
    )
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The attendee's rating of the session, 1 to 5, from the follow-up email.",
    )
    rating_comment = models.TextField(blank=True, max_length=2000, help_text="What the attendee added to the rating.")
    rated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "registration"
        # Seeing and acting on the inbox: held by its staff group (home/roles.py).
        permissions = [("manage_event_registrations", "Can see and act on event registrations")]
        indexes = [
            # A session's registrations newest first (the inbox filtered by session), and its waitlist in
            # order (each waitlisted row's place).
            models.Index(fields=["event", "status", "created_at"], name="registration_session_status"),
            models.Index(fields=["event", "created_at"], name="registration_session_time"),
            # The inbox, newest first.
            models.Index(fields=["created_at", "id"], name="registration_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["pending", "confirmed", "waitlisted", "attended", "no_show"]),
                name="one_active_registration_per_email_per_event",
            )
        ]

    def __str__(self):
        return f"{self.name} – {self.event.title}"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        if not self.page_id and self.event_id:
            self.page_id = self.event_id
        super().save(*args, **kwargs)

    def lock_for_transition(self):
        """Seats are counted per event: lock the event first, as every registration writer does."""
        lock_event(self.event)

    @property
    def is_active(self):
        return self.status in ACTIVE

    @property
    def gets_meeting_link(self):
        return self.status == Status.CONFIRMED

    def answers(self):
        """(label, answer) of every question, core and extra, for staff."""
        labels = {
            "name": "Name",
            "email": "Email",
            "role": "Role",
            "organisation": "Jurisdiction or organisation",
        }
        labels.update(dict(self.event.questions_page().get_data_fields()))
        rows = []
        for key, value in (self.form_data or {}).items():
            if key in {"form_token", "website", "captcha", "sessions"}:
                continue
            if key == "role":
                value = Role(value).label if value in Role.values else value
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            rows.append((labels.get(key, key.replace("_", " ").capitalize()), value))
        return rows


class SessionMessage(models.Model):
    """A message events staff sent to a session's registrants (one email each, through the outbox).

    ``token`` is the form's own: the same form sent twice (a double click, a refresh) sends once.
    """

    # No public page shows these rows: a save changes no cached page (home/cache.py).
    page_cache_scopes = ()

    class Audience(models.TextChoices):
        ACTIVE = "active", "Everyone registered (confirmed, waitlisted, pending)"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "Waitlisted"
        PENDING = "pending", "Pending approval"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"

    AUDIENCE_STATUSES = {
        Audience.ACTIVE: (Status.CONFIRMED, Status.WAITLISTED, Status.PENDING),
        Audience.CONFIRMED: (Status.CONFIRMED,),
        Audience.WAITLISTED: (Status.WAITLISTED,),
        Audience.PENDING: (Status.PENDING,),
        Audience.ATTENDED: (Status.ATTENDED,),
        Audience.NO_SHOW: (Status.NO_SHOW,),
    }

    event = models.ForeignKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="messages", help_text="The session."
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, help_text="Who it went to.")
    subject = models.CharField(max_length=150, help_text="The email's subject.")
    body = models.TextField(max_length=5000, help_text="The message, plain text.")
    recipients = models.PositiveIntegerField(default=0, help_text="How many people it was sent to.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class AttendanceImport(models.Model):
    """A participants report (Zoom's CSV) read into a session's attendance, and what it could not match."""

    # No public page shows these rows: a save changes no cached page (home/cache.py).
    page_cache_scopes = ()

    event = models.ForeignKey("events.EventPage", on_delete=models.CASCADE, related_name="attendance_imports")
    filename = models.CharField(max_length=255, blank=True)
    participants = models.PositiveIntegerField(default=0, help_text="Distinct people in the report.")
    matched = models.PositiveIntegerField(default=0, help_text="Of them, registrants marked attended.")
    unmatched = models.JSONField(
        default=list, blank=True, help_text="[{name, email, minutes}] of participants no registration matched."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename or 'Participants report'} ({self.participants} participants)"
