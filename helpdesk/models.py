"""The Help Desk: its page (an intake form), the requests members send, their thread,
the experts staff connect members with, and the replies staff reuse.

``HelpDeskRequest`` is a Wagtail form submission (``AbstractFormSubmission``):
``form_data`` keeps every answer, including the extra questions editors add
with the form builder (``HelpDeskFormField``), while the code owns the fields
the workflow needs. What happens to a request (submit, assign, reply, connect,
resolve, purge) lives in ``helpdesk/cases.py``.
"""

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES
from inbox.models import InboxFormPageMixin, InboxSubmission, MemberRole
from inbox.transitions import Transition
from inbox.validators import PublicFormBuilder


def new_manage_token():
    return secrets.token_urlsafe(24)


def private_storage():
    """Where members' emails and attachments are kept: the ``private`` storage, never served at a public URL
    (staff download them through the inbox, which checks the Help Desk permission)."""
    return storages["private"]


class Category(models.TextChoices):
    POLICY = "policy", "Policy"
    STRATEGY = "strategy", "Strategy"
    COMMUNICATIONS = "communications", "Communications"


def retention_text(days=None):
    """HELPDESK_RETENTION_DAYS in words for the privacy note, e.g. 'Two years' or '90 days'."""
    days = settings.HELPDESK_RETENTION_DAYS if days is None else days
    if days % 365 == 0:
        years = days // 365
        return "One year" if years == 1 else f"{years} years"
    if days % 30 == 0 and days >= 60:
        return f"{days // 30} months"
    return "One day" if days == 1 else f"{days} days"


# --- The page -----------------------------------------------------------------


class HelpDeskStep(Orderable):
    """One step of "How it works"."""

    page = ParentalKey("helpdesk.HelpDeskPage", on_delete=models.CASCADE, related_name="steps")
    text = models.TextField(help_text="What happens at this step, in one or two sentences.")

    panels = [FieldPanel("text")]


class SupportType(Orderable):
    """A type of support (Policy, Strategy, Communications) with examples."""

    page = ParentalKey("helpdesk.HelpDeskPage", on_delete=models.CASCADE, related_name="support_types")
    heading = models.CharField(max_length=100, help_text="e.g. 'Policy'.")
    examples = models.TextField(help_text="One example per line, e.g. 'Policy review and analysis'.")

    panels = [FieldPanel("heading"), FieldPanel("examples")]

    def example_list(self):
        return [line.strip(" •-\t") for line in self.examples.splitlines() if line.strip(" •-\t")]


class HelpDeskFormField(AbstractFormField):
    """An extra question editors add to the Help Desk form (after the fields the code owns)."""

    page = ParentalKey("helpdesk.HelpDeskPage", on_delete=models.CASCADE, related_name="form_fields")


class HelpDeskPage(InboxFormPageMixin, AbstractForm):
    """The Help Desk: how it works, the types of support, and the intake form.

    The form's core fields (name, email, role, office, category, issue area,
    question, details, timeline, preferred contact) belong to the code
    (``helpdesk/forms.py``); editors add extra questions with the form
    builder. A submission becomes a ``HelpDeskRequest`` with a reference, and
    the member is redirected to a thank-you page.
    """

    subtitle = models.CharField(
        max_length=200,
        blank=True,
        help_text="The line under the title, e.g. 'Have a policy, strategy or communications question?'.",
    )
    intro = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="What the Help Desk does, in a paragraph or two."
    )
    how_it_works_heading = models.CharField(
        max_length=100, default="How it works", help_text="Heading above the steps."
    )
    how_it_works_intro = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="A paragraph before the steps."
    )
    support_heading = models.CharField(
        max_length=100,
        default="What types of support does the Help Desk offer?",
        help_text="Heading above the types of support.",
    )
    support_intro = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="A paragraph before the types of support."
    )
    library_heading = models.CharField(
        max_length=100, blank=True, default="Looking for more resources?", help_text="Heading of the library box."
    )
    library_text = models.TextField(blank=True, help_text="A sentence pointing to the resource library.")
    library_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The resource library page the box links to.",
    )
    form_heading = models.CharField(
        max_length=100, default="Send a request to the Help Desk", help_text="Heading above the form."
    )
    form_intro = models.TextField(blank=True, help_text="A sentence above the form.")
    thank_you_text = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="What happens next, shown on the thank-you page after the reference.",
    )

    content_panels = AbstractForm.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("how_it_works_heading"), FieldPanel("how_it_works_intro"), InlinePanel("steps", label="Step")],
            heading="How it works",
        ),
        MultiFieldPanel(
            [
                FieldPanel("support_heading"),
                FieldPanel("support_intro"),
                InlinePanel("support_types", label="Type of support"),
            ],
            heading="Types of support",
        ),
        MultiFieldPanel(
            [FieldPanel("library_heading"), FieldPanel("library_text"), PageChooserPanel("library_page")],
            heading="Resource library box",
        ),
        MultiFieldPanel(
            [FieldPanel("form_heading"), FieldPanel("form_intro"), InlinePanel("form_fields", label="Extra question")],
            heading="Form",
        ),
        FieldPanel("thank_you_text"),
    ]

    search_fields = AbstractForm.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("intro"),
        index.SearchField("how_it_works_intro"),
        index.SearchField("support_intro"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "Help Desk page"

    preview_modes = [("form", "Form")]
    default_preview_mode = "form"
    form_builder = PublicFormBuilder

    def get_submission_class(self):
        return HelpDeskRequest

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["retention_text"] = retention_text()
        return context

    def get_form_class(self):
        return help_desk_form_class(self)

    def get_data_fields(self):
        return [("submit_time", "Submission date"), *CORE_LABELS.items()] + [
            (field.clean_name, field.label) for field in self.get_form_fields()
        ]

    def serve(self, request, *args, **kwargs):
        return serve_help_desk_page(self, request, *args, **kwargs)


# --- Requests -------------------------------------------------------------------


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year (``HD-<year>-<number>``)."""

    # No public page shows these rows: a save changes no cached page (home/cache.py).
    page_cache_scopes = ()

    year = models.PositiveSmallIntegerField(unique=True, help_text="The calendar year.")
    last_number = models.PositiveIntegerField(default=0, help_text="The last number given out this year.")

    class Meta:
        verbose_name = "reference counter"

    def __str__(self):
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_reference(cls, year=None, *, using="default"):
        """The next reference of the year, e.g. ``HD-2026-0042``.

        One ``UPDATE ... SET last_number = last_number + 1`` comes first: on
        PostgreSQL it locks the year's row until the caller's transaction ends,
        so concurrent requests queue and each gets its own number; on SQLite
        the UPDATE takes the database's write lock at once (no read-then-write
        upgrade that could fail), which serialises them the same way. The first
        reference of a year creates the row; a concurrent creator loses the
        unique-constraint race and increments instead.
        """
        year = year or timezone.localdate().year
        counters = cls.objects.using(using)
        with transaction.atomic(using=using):
            for _attempt in range(3):
                if counters.filter(year=year).update(last_number=F("last_number") + 1):
                    number = counters.filter(year=year).values_list("last_number", flat=True).get()
                    return f"HD-{year}-{number:04d}"
                try:
                    with transaction.atomic(using=using):
                        counters.create(year=year, last_number=1)
                    return f"HD-{year}-0001"
                except IntegrityError:
                    continue
        raise RuntimeError("Could not allocate a Help Desk reference")


def _handler(name):
    """A transition handler from helpdesk/workflow.py, looked up when it runs (no import cycle)."""

    def handler(obj, **kwargs):
        return getattr(workflow, name)(obj, **kwargs)

    handler.__name__ = name
    return handler


OPEN_STATUSES = ("new", "in_progress", "waiting_on_member", "connected")
REAL_STATUSES = (*OPEN_STATUSES, "resolved", "closed")


class HelpDeskRequest(InboxSubmission):
    """One question a member sent to the Help Desk, tracked from intake to closure."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        WAITING_ON_MEMBER = "waiting_on_member", "Waiting on member"
        CONNECTED = "connected", "Connected"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"
        SPAM = "spam", "Suspected spam"

    Role = MemberRole

    class Contact(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"

    class Channel(models.TextChoices):
        FORM = "form", "The Help Desk form"
        EMAIL = "email", "Email"

    Category = Category

    OPEN = (Status.NEW, Status.IN_PROGRESS, Status.WAITING_ON_MEMBER, Status.CONNECTED)
    DONE = (Status.RESOLVED, Status.CLOSED)
    # Open and on staff's side: the due date counts ("overdue" pauses while the case waits on the member).
    ON_STAFF = (Status.NEW, Status.IN_PROGRESS, Status.CONNECTED)

    reference = models.CharField(
        max_length=20, unique=True, editable=False, help_text="The member's reference, e.g. 'HD-2026-0042'."
    )
    name = models.CharField(max_length=200, help_text="The member's name.")
    email = models.EmailField(max_length=254, help_text="Where replies go (stored lower-case).")
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text="Who they are (not asked of a request sent by email).",
    )
    office = models.CharField(max_length=200, blank=True, help_text="Their office, e.g. 'Office of Councilmember Lee'.")
    jurisdiction = models.CharField(max_length=200, blank=True, help_text="e.g. 'Durham County, NC'.")
    category = models.CharField(
        max_length=20,
        choices=Category.choices,
        blank=True,
        db_index=True,
        help_text="Policy, strategy or communications (not yet sorted for a request sent by email).",
    )
    issue_area = models.ForeignKey(
        "taxonomy.IssueArea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="helpdesk_requests",
        help_text="The library's issue area it is about, if any.",
    )
    question = models.CharField(max_length=200, help_text="The question in a line.")
    details = models.TextField(help_text="The details of the request.")
    needed_by = models.DateField(null=True, blank=True, help_text="The member's timeline, if they gave one.")
    preferred_contact = models.CharField(
        max_length=10, choices=Contact.choices, default=Contact.EMAIL, help_text="How they'd like to hear back."
    )
    phone = models.CharField(max_length=40, blank=True, help_text="Phone number, for a call.")

    status = models.CharField(
        max_length=32, choices=Status.choices, default=Status.NEW, db_index=True, help_text="Where the case is."
    )
    channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.FORM, help_text="How the member first asked."
    )
    due_date = models.DateField(null=True, blank=True, db_index=True, help_text="When an answer is due.")
    manage_token = models.CharField(max_length=64, unique=True, default=new_manage_token, editable=False)
    closed_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When it was last resolved or closed."
    )
    anonymised_at = models.DateTimeField(
        null=True, blank=True, help_text="When the personal data was removed (retention period)."
    )
    submission_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="What was sent (address, question, details) as a digest: the same post again files nothing new.",
    )
    member_replied_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the member last wrote, if no one has replied since: the inbox marks it.",
    )
    library_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The library resource drafted from this case's answer.",
    )

    H = "lpsite.helpdesk."
    transitions = (
        Transition("start", "Start working on it", sources=("new",), target="in_progress",
                   handler=_handler("on_status"), log_action=H + "started", style="primary"),
        Transition("reply", "Reply to the member", sources=REAL_STATUSES, needs_message=True,
                   handler=_handler("on_reply"), log_action=H + "replied", message_label="Reply"),
        Transition("note", "Add an internal note", sources=(*REAL_STATUSES, "spam"), needs_message=True,
                   handler=_handler("on_note"), log_action=H + "note", message_label="Internal note (staff only)"),
        Transition("assign_to", "Assign to the chosen person", sources=(*REAL_STATUSES, "spam"),
                   handler=_handler("on_assign"), log_action="lpsite.inbox.assigned", bulk=True),
        Transition("assign_to_me", "Assign to me", sources=(*REAL_STATUSES, "spam"),
                   handler=_handler("on_assign_to_me"), log_action="lpsite.inbox.assigned", bulk=True),
        Transition("connect", "Connect with experts", sources=OPEN_STATUSES, target="connected",
                   handler=_handler("on_connect"), log_action=H + "connected", takes_message=True,
                   message_label="Introduction (to the member and the experts)"),
        Transition("wait", "Waiting on the member", sources=("new", "in_progress", "connected"),
                   target="waiting_on_member", handler=_handler("on_status"), log_action=H + "waiting"),
        Transition("resume", "Back in progress", sources=("waiting_on_member", "connected"), target="in_progress",
                   handler=_handler("on_status"), log_action=H + "resumed"),
        Transition("resolve", "Resolve", sources=OPEN_STATUSES, target="resolved", handler=_handler("on_done"),
                   log_action=H + "resolved", style="primary"),
        Transition("close", "Close", sources=(*OPEN_STATUSES, "resolved"), target="closed",
                   handler=_handler("on_close"), log_action=H + "closed", bulk=True, takes_message=True,
                   message_label="A line for the member (they are told it is closed either way)"),
        Transition("reopen", "Reopen", sources=("resolved", "closed"), target="in_progress",
                   handler=_handler("on_reopen"), log_action=H + "reopened"),
        Transition("to_library", "Draft a library resource from the answer", sources=("resolved", "closed"),
                   handler=_handler("on_to_library"), log_action=H + "to_library"),
        Transition("mark_spam", "Mark as spam", sources=OPEN_STATUSES, target="spam", handler=_handler("on_spam"),
                   log_action=H + "spam", bulk=True, style="danger"),
        Transition("not_spam", "Not spam: restore", sources=("spam",), target="new",
                   handler=_handler("on_not_spam"), log_action=H + "not_spam", bulk=True),
    )  # fmt: skip
    # Actions the inspect view offers with their own forms (reply, experts, assignee, library).
    CUSTOM_FORMS = ("reply", "note", "assign_to", "assign_to_me", "connect", "to_library")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "Help Desk request"
        # Seeing and acting on the inbox: held by its staff group (home/roles.py).
        permissions = [("manage_helpdesk_requests", "Can see and act on Help Desk requests")]

    def __str__(self):
        return f"{self.reference} – {self.question}"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        if not self.reference:
            self.reference = ReferenceCounter.next_reference(timezone.localtime(self.created_at).year)
        # The one place closed_at follows the status, whatever moved it (a transition, a reply's
        # "then", the member): set when a case is resolved or closed, cleared when it leaves them,
        # so the purge counts the retention period from the last closing only.
        if self.status in self.DONE:
            self.closed_at = self.closed_at or timezone.now()
        else:
            self.closed_at = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "closed_at"}
        super().save(*args, **kwargs)

    # The member's words for where their request stands (the inbox's own are staff's: "Waiting on member").
    MEMBER_STATUS = {
        "new": "Received",
        "in_progress": "We're working on it",
        "waiting_on_member": "We've asked you something",
        "connected": "We've connected you with someone",
        "resolved": "Answered",
        "closed": "Closed",
    }

    @property
    def member_status(self):
        return self.MEMBER_STATUS.get(self.status, self.get_status_display())

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def is_overdue(self):
        return bool(self.status in self.ON_STAFF and self.due_date and self.due_date < timezone.localdate())

    @property
    def age_days(self):
        return (timezone.now() - self.created_at).days

    def thread(self):
        return self.activities.select_related("author").order_by("created_at", "pk")

    def member_thread(self):
        return self.thread().filter(kind__in=RequestActivity.MEMBER_VISIBLE).prefetch_related("attachments")

    def answers(self):
        """(label, answer) of every question, core and extra, for staff."""
        labels = dict(CORE_LABELS)
        if self.page_id:
            labels.update({f.clean_name: f.label for f in HelpDeskFormField.objects.filter(page_id=self.page_id)})
        rows = []
        for key, value in (self.form_data or {}).items():
            if key in {"form_token", "website", "captcha"}:
                continue
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            rows.append((labels.get(key, key.replace("_", " ").capitalize()), value))
        return rows


class RequestActivity(models.Model):
    """One entry of a request's thread: who did what, when."""

    # No public page shows these rows: a save changes no cached page (home/cache.py).
    page_cache_scopes = ()

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Request received"
        NOTE = "note", "Internal note"
        REPLY = "reply", "Reply to the member"
        MEMBER_UPDATE = "member_update", "Member added details"
        STATUS = "status", "Status change"
        ASSIGNMENT = "assignment", "Assignment"
        REFERRAL = "referral", "Connected with experts"
        LIBRARY = "library", "Answer drafted for the library"

    MEMBER_VISIBLE = (Kind.SUBMITTED, Kind.REPLY, Kind.MEMBER_UPDATE, Kind.REFERRAL)

    request = models.ForeignKey(
        HelpDeskRequest, on_delete=models.CASCADE, related_name="activities", help_text="The request."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True, help_text="What happened.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member; empty when the member wrote it.",
    )
    text = models.TextField(blank=True, help_text="The note, reply or details.")
    data = models.JSONField(default=dict, blank=True, help_text="Details: statuses, resources, experts.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "request activity"
        verbose_name_plural = "request activities"

    def __str__(self):
        return f"{self.request.reference}: {self.get_kind_display()}"

    @property
    def by_member(self):
        return self.kind in (self.Kind.SUBMITTED, self.Kind.MEMBER_UPDATE)

    # What the member's page calls each entry of their thread (the inbox says "Reply to the member").
    MEMBER_KIND = {
        "submitted": "Your request",
        "reply": "Our reply",
        "member_update": "You added",
        "referral": "Introduction",
    }

    @property
    def member_kind(self):
        return self.MEMBER_KIND.get(self.kind, self.get_kind_display())

    @property
    def status_label(self):
        """For a status entry: the status the case moved to ("Waiting on member"), else ""."""
        if self.kind != self.Kind.STATUS:
            return ""
        to = (self.data or {}).get("to", "")
        return dict(HelpDeskRequest.Status.choices).get(to, to)

    @property
    def author_label(self):
        if self.by_member:
            return "Member"
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return "System"


class RequestAttachment(models.Model):
    """A file a member sent with an email about their request: kept privately with the request (never at a
    public URL); staff download it from the case page."""

    page_cache_scopes = ()  # no public page shows it

    request = models.ForeignKey(HelpDeskRequest, on_delete=models.CASCADE, related_name="attachments")
    activity = models.ForeignKey(
        RequestActivity, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=private_storage, upload_to="helpdesk/attachments/%Y/%m/", max_length=255)
    filename = models.CharField(max_length=255, help_text="The name the member gave it.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.filename


class InboundEmail(models.Model):
    """Every email the Help Desk received, whatever became of it: one row per Message-ID (a webhook's retry or a
    second read of the mailbox adds nothing), the message itself kept privately, and what was done with it, so
    nothing a member sends is lost, even mail that added nothing (an auto-reply, a forged reply address)."""

    page_cache_scopes = ()  # no public page shows it

    class Outcome(models.TextChoices):
        JOINED = "joined", "Added to a request"
        OPENED = "opened", "Opened a new request"
        SPAM = "spam", "Kept as suspected spam"
        AUTOMATIC = "automatic", "Automatic mail: ignored"
        LOOP = "loop", "Sent by the site itself: ignored"
        UNREADABLE = "unreadable", "Unreadable: kept for staff"

    message_id = models.CharField(max_length=255, unique=True, help_text="The email's Message-ID.")
    source = models.CharField(max_length=40, help_text="How it came: 'imap' or the email service's name.")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    sender = models.CharField(max_length=254, blank=True, help_text="The From address.")
    subject = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes.")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, db_index=True)
    reason = models.CharField(max_length=255, blank=True, help_text="Why, in a line.")
    request = models.ForeignKey(
        HelpDeskRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    raw = models.FileField(
        storage=private_storage,
        upload_to="helpdesk/mail/%Y/%m/",
        max_length=255,
        blank=True,
        help_text="The message as received (.eml).",
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "email received"
        verbose_name_plural = "emails received"

    def __str__(self):
        return f"{self.sender or 'unknown sender'}: {self.subject or '(no subject)'}"


# --- Snippets -------------------------------------------------------------------


class Expert(index.Indexed, models.Model):
    """Someone Help Desk staff can connect members with: a member or a partner."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Local Progress member"
        PARTNER = "partner", "Partner"

    name = models.CharField(max_length=200, help_text="Their name.")
    organisation = models.CharField(max_length=200, blank=True, help_text="Their organisation or office.")
    email = models.EmailField(max_length=254, help_text="Where the introduction email goes.")
    kind = models.CharField(max_length=10, choices=Kind.choices, help_text="A member or a partner.")
    issue_areas = models.ManyToManyField(
        "taxonomy.IssueArea", blank=True, related_name="experts", help_text="What they know about."
    )
    bio = models.TextField(blank=True, help_text="A sentence the introduction email uses to present them.")
    active = models.BooleanField(default=True, help_text="Untick to stop offering them.")

    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        FieldPanel("email"),
        FieldPanel("kind"),
        FieldPanel("issue_areas"),
        FieldPanel("bio"),
        FieldPanel("active"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("organisation"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "expert"

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class SavedReply(index.Indexed, models.Model):
    """A reusable reply staff pick and edit before sending."""

    # No public page shows these rows: a save changes no cached page (home/cache.py).
    page_cache_scopes = ()

    title = models.CharField(max_length=150, help_text="How staff find it, e.g. 'Ordinance examples'.")
    body = models.TextField(help_text="The reply. '{name}' becomes the member's name and '{reference}' theirs.")
    category = models.CharField(
        max_length=20, choices=Category.choices, blank=True, help_text="The category it fits, if any."
    )

    panels = [FieldPanel("title"), FieldPanel("category"), FieldPanel("body")]
    search_fields = [index.SearchField("title"), index.SearchField("body"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = "saved reply"
        verbose_name_plural = "saved replies"

    def __str__(self):
        return self.title

    def render_for(self, request):
        return self.body.replace("{name}", request.name).replace("{reference}", request.reference)


# Cycle: these modules import this one's models, so they come last, once every model above exists
# (the functions above read these names when they run).
from . import workflow  # noqa: E402
from .forms import CORE_LABELS, help_desk_form_class  # noqa: E402
from .views import serve_help_desk_page  # noqa: E402
