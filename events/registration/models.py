"""Registrations: the submissions of an event's registration form.

Imported by ``events.models``. ``Registration`` is an inbox submission
(``home.inbox.models.InboxSubmission``, a Wagtail ``AbstractFormSubmission``):
``form_data`` holds every answer, including the extra questions editors add
with the form builder (``EventFormField`` per event, ``SeriesFormField`` per
series, inherited by its sessions), while the code owns the fields the
workflow needs. Its state machine is the ``transitions`` tuple below, applied
by ``home.inbox.transitions.apply_transition``.
"""

import secrets

from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractFormField

from home.inbox.models import InboxSubmission
from home.inbox.transitions import Transition

from . import workflow
from .emails import email_after, send_status_email
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
            log_action=log("attended"),
            log_label="Marked attended",
            bulk=True,
        ),
        Transition(
            "no_show",
            "Mark no-show",
            sources=(Status.CONFIRMED, Status.ATTENDED),
            target=Status.NO_SHOW,
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
        log("time_changed"): "Told of the new time",
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

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "registration"
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
        workflow.lock_event(self.event)

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
