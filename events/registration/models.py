"""Registrations: the submissions of an event's registration form.

Imported by ``events.models``. ``Registration`` is a Wagtail form submission
(``AbstractFormSubmission``): ``form_data`` holds every answer, including the
extra questions editors add with the form builder (``EventFormField`` per
event, ``SeriesFormField`` per series, inherited by its sessions), while the
code owns the fields the workflow needs.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractFormField, AbstractFormSubmission


def new_manage_token():
    return secrets.token_urlsafe(24)


class EventFormField(AbstractFormField):
    """An extra question on one event's registration form."""

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="form_fields")


class SeriesFormField(AbstractFormField):
    """An extra question asked at registration for every session of a series."""

    page = ParentalKey("events.EventSeriesPage", on_delete=models.CASCADE, related_name="form_fields")


class Registration(AbstractFormSubmission):
    """One person's registration for one session."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled"
        REJECTED = "rejected", "Declined"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"
        SPAM = "spam", "Suspected spam"

    class Role(models.TextChoices):
        ELECTED = "elected", "Elected official"
        STAFF = "staff", "Staff of an elected official"
        ALUMNI = "alumni", "Alumni (former elected official)"
        OTHER = "other", "Other"

    # One of these per email and event at a time.
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED, Status.NO_SHOW)
    # These hold a seat.
    SEATED = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    event = models.ForeignKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="registrations", help_text="The session."
    )
    name = models.CharField(max_length=200, help_text="The registrant's name.")
    email = models.EmailField(max_length=254, help_text="Where the meeting link goes (stored lower-case).")
    role = models.CharField(max_length=20, choices=Role.choices, help_text="Who they are.")
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Their jurisdiction or organisation, e.g. 'Hillsborough, NC'."
    )
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    spam_reason = models.CharField(max_length=255, blank=True, help_text="Why it was flagged as spam.")
    manage_token = models.CharField(max_length=64, unique=True, default=new_manage_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
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

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def gets_meeting_link(self):
        return self.status == self.Status.CONFIRMED

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
                value = self.Role(value).label if value in self.Role.values else value
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            rows.append((labels.get(key, key.replace("_", " ").capitalize()), value))
        return rows
