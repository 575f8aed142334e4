"""The statuses and roles of a registration, and the groups the rules use."""

from django.db import models

from inbox.models import MemberRole


class Status(models.TextChoices):
    PENDING = "pending", "Pending approval"
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "Waitlisted"
    CANCELLED = "cancelled", "Cancelled"
    REJECTED = "rejected", "Declined"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "No-show"
    SPAM = "spam", "Suspected spam"


Role = MemberRole


# One of these per email and event at a time.
ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED, Status.NO_SHOW)
# These hold a seat.
SEATED = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
# A member (or staff) may still cancel these.
CANCELLABLE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)
