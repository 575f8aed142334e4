"""The abstract base of every moderated submission (registrations, help-desk requests, interest), and the outbox
(``OutboundEmail``: every email the site sends)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from wagtail.contrib.forms.models import AbstractFormSubmission

from .registry import inbox_for


class MemberRole(models.TextChoices):
    """Who a member is: asked by every public form (registrations, the Help Desk, the interest list)."""

    ELECTED = "elected", "Elected official"
    STAFF = "staff", "Staff of an elected official"
    ALUMNI = "alumni", "Alumni (former elected official)"
    OTHER = "other", "Other"


class InboxSubmission(AbstractFormSubmission):
    """A form submission that staff moderate in an inbox.

    Concrete models redeclare ``status`` with their own ``Status`` TextChoices
    (``status = models.CharField(max_length=32, choices=Status.choices, db_index=True)``)
    and list their ``transitions`` (a tuple of ``inbox.transitions.Transition``).
    The member's answers stay in ``form_data`` (Wagtail's ``AbstractFormSubmission``).
    """

    # No public page shows a submission: saving one leaves every cached page alone (home/cache.py). A
    # subclass whose rows a public page counts says which (events: a session's seats).
    page_cache_scopes = ()

    status = models.CharField(max_length=32, db_index=True, help_text="Where the submission is in its workflow.")
    spam_reason = models.CharField(
        max_length=255, blank=True, help_text="Why the spam defence flagged it (empty for a person)."
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member looking after it.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the member sent it.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When it last changed.")

    # A tuple of inbox.transitions.Transition, in the order the buttons show.
    transitions = ()
    # The status a flagged submission is stored with (None: the model keeps no spam).
    SPAM_STATUS = "spam"
    # The order bulk actions take rows in: that of the locks each transition takes
    # (``lock_for_transition``'s rows, then the submission's own), e.g. ("event_id", "pk").
    lock_order = ("pk",)

    class Meta:
        abstract = True

    @classmethod
    def get_transition(cls, name):
        """The transition called ``name``, or None."""
        return next((t for t in cls.transitions if t.name == name), None)

    def available_transitions(self, user=None):
        """The transitions that may start from this submission's status (and that ``user`` may run)."""
        return [t for t in self.transitions if not t.refusal(self) and (user is None or t.user_may(user))]

    def lock_for_transition(self):
        """Lock what a transition needs before the submission's own row (e.g. an event, for its seats).

        Called inside the transaction, before the row is locked; the default locks nothing more.
        Always lock in the same order as the model's other writers, so two requests never deadlock.
        """

    def get_status_display_safe(self):
        """The status label, or the raw value when it is not one of the choices."""
        field = self._meta.get_field("status")
        return dict(field.flatchoices).get(self.status, self.status)


class InboxFormPageMixin:
    """For a Wagtail form page (``FormMixin``) whose submissions an inbox moderates.

    Wagtail's Forms screens (the listing, a page's submissions, their export and
    their delete view) leave such pages out for everyone: the kit's
    ``filter_form_submissions_for_user`` hook (``inbox/admin.py``). The
    submissions address of the page leads its inbox's staff to the inbox instead,
    where nothing a member sends is deleted; anyone else is refused.
    """

    def serve_submissions_list_view(self, request, *args, **kwargs):
        inbox = inbox_for(self.get_submission_class())
        if inbox is None or not inbox.user_can_manage(request.user):
            raise PermissionDenied
        messages.info(request, f"What members send through “{self.title}” is in the {inbox.get_menu_label()} inbox.")
        return redirect(inbox.url_helper.index_url)


class OutboundEmail(models.Model):
    """An email the site sends, saved before delivery so none is ever lost.

    ``inbox.emails.queue_email`` renders and saves it in the caller's
    transaction (and ``inbox.emails.OutboxEmailBackend``, the ``EMAIL_BACKEND``,
    saves what Django's mail API sends: password resets, Wagtail's
    notifications); a task delivers it after commit. Delivery first *claims* the
    email (``sending`` with the time, committed), sends outside any lock, then
    records the outcome. A mail server that is down leaves it ``failed`` with
    the error and the time of the next attempt (exponential backoff);
    ``retry_emails`` (cron) takes up failed emails that are due, emails left
    ``queued`` by a process that died before enqueueing, and stale claims of a
    process that died while sending, up to ``EMAIL_MAX_ATTEMPTS`` attempts.
    """

    # No public page shows these rows: a save changes no cached page (home/cache.py).
    page_cache_scopes = ()

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.JSONField(default=list, help_text="Recipient addresses.")
    cc = models.JSONField(default=list, blank=True, help_text="Copied addresses.")
    bcc = models.JSONField(default=list, blank=True, help_text="Blind-copied addresses.")
    from_email = models.CharField(
        max_length=254, blank=True, help_text="The sender, when not the site's default (DEFAULT_FROM_EMAIL)."
    )
    headers = models.JSONField(default=dict, blank=True, help_text="Other headers the sender set.")
    reply_to = models.JSONField(default=list, blank=True, help_text="Reply-To addresses (e.g. the member).")
    subject = models.CharField(max_length=255, help_text="Subject line, one line.")
    text_body = models.TextField(help_text="Plain-text body.")
    html_body = models.TextField(blank=True, help_text="HTML body (optional).")
    attachments = models.JSONField(
        default=list, blank=True, help_text="Files to attach: filename, mimetype and base64 content."
    )
    purpose = models.CharField(max_length=80, blank=True, db_index=True, help_text="What it is, e.g. 'confirmed'.")
    related_key = models.CharField(
        max_length=120, blank=True, db_index=True, help_text="What it is about, e.g. 'events.registration:42'."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Delivery attempts so far.")
    last_error = models.TextField(blank=True, help_text="The mail server's answer on the last failure.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was saved.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the mail server accepted it.")
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker started sending it (status 'sending')."
    )
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Not retried before this time (backoff after a failure)."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbound email"
        permissions = [("retry_outboundemail", "Can see failed emails and send them again")]
        # Moved from home (inbox migration 0001): the table keeps its name and its rows.
        db_table = "home_outboundemail"

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"


class StaffDigest(models.Model):
    """A staffer's morning digest (Account › Notifications): each morning, what waits in the inboxes they work in,
    sent by ``manage.py send_staff_digests``; nothing on a morning when nothing waits."""

    page_cache_scopes = ()  # no public page shows it

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_digest")
    daily = models.BooleanField(
        default=False,
        verbose_name="Email me each morning what waits in my inboxes",
        help_text="Sent only on mornings when something waits: new, overdue, unassigned, or assigned to you.",
    )
    last_sent_on = models.DateField(null=True, blank=True, editable=False, help_text="The morning last sent.")

    def __str__(self):
        return f"{self.user}: {'daily' if self.daily else 'off'}"
