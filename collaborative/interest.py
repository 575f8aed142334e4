"""“Interested in getting involved? Get in touch”: the form page and what it stores.

``InterestPage`` is a plain page whose code owns the form (name, email,
role, jurisdiction, leadership position, message) and the shared spam
defence (``inbox.spam``). Each post is saved first as a
``CollaborativeInterest`` (a Wagtail form submission; the answers stay in
``form_data``), spam included with its reason; then the member gets an
acknowledgement with a private signed link to what they sent, and staff a
notification, both by email after commit. Staff follow up in
"Inbox › Collaborative interest" (``collaborative/inbox.py``).
"""

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.roles import MANAGE_COLLABORATIVE_INTEREST
from inbox.emails import queue_email
from inbox.models import InboxSubmission, MemberRole
from inbox.people import holder_addresses
from inbox.spam import HONEYPOT_FIELD, RATE_LIMIT_MESSAGE, TOKEN_FIELD, SpamProtectedForm, rate_limited
from inbox.transitions import Transition
from inbox.validators import MultiLineTextField, PersonNameField, PublicEmailField, SingleLineTextField

LINK_SALT = "lpsite.collaborative.interest-link"


def log(name):
    return f"lpsite.collaborative_interest.{name}"


def mark_spam(obj, *, actor=None, message="", data=None):
    who = (actor.get_full_name() or actor.get_username()) if actor else "staff"
    obj.spam_reason = f"Marked as spam by {who}"


def restore(obj, *, actor=None, message="", data=None):
    obj.spam_reason = ""


def send_emails(obj, *, message="", data=None):
    """The member's acknowledgement (with their private link) and the staff notification."""
    page = obj.page.specific
    context = {"submission": obj, "page": page, "private_url": obj.private_full_url()}
    queue_email([obj.email], "collaborative/interest_received", context, purpose="interest", related=obj)
    staff = staff_addresses()
    if staff:
        context["inbox_url"] = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "collaborative_collaborativeinterest_modeladmin_inspect", args=[obj.pk]
        )
        queue_email(staff, "collaborative/interest_staff", context, purpose="interest-staff", related=obj)


class CollaborativeInterest(InboxSubmission):
    """One person's "I'm interested" from the Leadership Collaborative's form."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CLOSED = "closed", "Closed"
        SPAM = "spam", "Suspected spam"

    Role = MemberRole

    class Position(models.TextChoices):
        STATE_COMMITTEE = "state_committee", "State organizing committee"
        STEERING_COMMITTEE = "steering_committee", "Program steering committee"
        CAUCUS = "caucus", "Caucus leadership committee"
        OTHER = "other", "Another leadership position"
        NONE = "none", "No leadership position yet"

    name = models.CharField(max_length=200, help_text="The member's name.")
    email = models.EmailField(max_length=254, db_index=True, help_text="Where staff reply.")
    status = models.CharField(
        max_length=32, choices=Status.choices, default=Status.NEW, db_index=True, help_text="Where follow-up stands."
    )

    transitions = (
        Transition(
            "contacted",
            "Mark contacted",
            sources=(Status.NEW,),
            target=Status.CONTACTED,
            takes_message=True,
            message_label="Note (how you got in touch; staff only)",
            log_action=log("contacted"),
            log_label="Marked contacted",
            bulk=True,
            style="primary",
        ),
        Transition(
            "close",
            "Close",
            sources=(Status.NEW, Status.CONTACTED),
            target=Status.CLOSED,
            takes_message=True,
            message_label="Note (why it is closed; staff only)",
            log_action=log("closed"),
            log_label="Closed",
            bulk=True,
        ),
        Transition(
            "reopen",
            "Reopen",
            sources=(Status.CLOSED,),
            target=Status.NEW,
            log_action=log("reopened"),
            log_label="Reopened",
        ),
        Transition(
            "note",
            "Add a note",
            sources=(Status.NEW, Status.CONTACTED, Status.CLOSED, Status.SPAM),
            needs_message=True,
            message_label="Note (staff only; the member never sees it)",
            log_action=log("noted"),
            log_label="Note added",
        ),
        Transition(
            "spam",
            "Mark as spam",
            sources=(Status.NEW,),
            target=Status.SPAM,
            handler=mark_spam,
            log_action=log("marked_spam"),
            log_label="Marked as spam",
            bulk=True,
            style="danger",
        ),
        Transition(
            "restore",
            "Not spam: restore",
            sources=(Status.SPAM,),
            target=Status.NEW,
            handler=restore,
            email=send_emails,
            log_action=log("restored"),
            log_label="Restored from spam",
            bulk=True,
        ),
    )
    extra_log_actions = {log("created"): "Sent"}

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "collaborative interest"
        verbose_name_plural = "collaborative interest"
        # Seeing and acting on the inbox: held by its staff group (home/roles.py).
        permissions = [("manage_collaborative_interest", "Can see and act on Leadership Collaborative interest")]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def answer(self, name):
        return (self.form_data or {}).get(name, "")

    @property
    def role_label(self):
        return dict(self.Role.choices).get(self.answer("role"), self.answer("role"))

    @property
    def position_label(self):
        return dict(self.Position.choices).get(self.answer("leadership_position"), self.answer("leadership_position"))

    @property
    def jurisdiction(self):
        return self.answer("jurisdiction")

    @property
    def message(self):
        return self.answer("message")

    def signed_token(self):
        """'<pk>-<hmac>': letters, digits and a hyphen only, as Wagtail's page URLs require."""
        return f"{self.pk}-{link_signature(self.pk)}"

    def private_url(self):
        """The member's private link to what they sent (no account needed)."""
        page = self.page.specific
        return page.url + page.reverse_subpage("sent", kwargs={"signed": self.signed_token()})

    def private_full_url(self):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.private_url()

    @classmethod
    def from_signed(cls, signed):
        pk, _, signature = (signed or "").partition("-")
        if not pk.isdecimal() or not constant_time_compare(signature, link_signature(int(pk))):
            return None
        return cls.objects.filter(pk=int(pk)).first()


def link_signature(pk):
    return salted_hmac(LINK_SALT, str(pk), algorithm="sha256").hexdigest()[:40]


class InterestForm(SpamProtectedForm):
    # Names and addresses are cleaned and checked by inbox/validators.py, like every public form.
    name = PersonNameField(max_length=200, label="Your name")
    email = PublicEmailField(label="Email", help_text="We reply to this address.")
    role = forms.ChoiceField(choices=CollaborativeInterest.Role.choices, label="I am", widget=forms.RadioSelect)
    jurisdiction = SingleLineTextField(
        max_length=200,
        label="Jurisdiction",
        help_text="The city, county or school district you serve, e.g. 'Hillsborough, NC'.",
    )
    leadership_position = forms.ChoiceField(
        choices=CollaborativeInterest.Position.choices,
        label="Leadership position in the network",
        help_text="The Leadership Collaborative is for members who hold one; tell us if you don't yet.",
    )
    message = MultiLineTextField(
        max_length=4000,
        required=False,
        label="Message",
        help_text="What you would like to bring to or get from the collaborative (optional).",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_jurisdiction(self):
        return " ".join(self.cleaned_data["jurisdiction"].split())

    def answers(self):
        skip = {HONEYPOT_FIELD, TOKEN_FIELD, "captcha"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class InterestPage(RoutablePageMixin, Page):
    """ "Interested in getting involved? Get in touch": the Leadership Collaborative's interest form.

    Posts are kept as ``CollaborativeInterest`` (spam included, with its
    reason) and followed up by Communications leads in the admin inbox.
    """

    intro = RichTextField(
        features=["bold", "italic", "link"], blank=True, help_text="A sentence or two above the form."
    )
    thank_you_text = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        help_text="Shown after sending, e.g. 'We'll be in touch within a week.'",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("thank_you_text")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["collaborative.CollaborativePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "get-involved form page"

    def get_submission_class(self):
        return CollaborativeInterest

    def render_form(self, request, form, status=200):
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context, status=status)

    @path("", name="form")
    def form_view(self, request):
        if request.method != "POST":
            return self.render_form(request, InterestForm())
        if rate_limited(request, scope="collaborative-interest"):
            form = InterestForm(request.POST)
            form.full_clean()  # keep what they typed on the page
            form.add_error(None, RATE_LIMIT_MESSAGE)
            return self.render_form(request, form, status=429)
        form = InterestForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        self.save_submission(form)
        if form.spam_reason:
            # Kept for staff to restore, but we cannot say it went through to the right people yet.
            request.session["interest_spam"] = True
        return redirect(self.url + self.reverse_subpage("thanks"))

    @transaction.atomic
    def save_submission(self, form):
        from wagtail.log_actions import log as log_action

        data = form.answers()
        spam = bool(form.spam_reason)
        submission = CollaborativeInterest.objects.create(
            page=self,
            name=data["name"],
            email=data["email"],
            form_data=data,
            status=CollaborativeInterest.Status.SPAM if spam else CollaborativeInterest.Status.NEW,
            spam_reason=form.spam_reason,
        )
        log_action(submission, log("created"))
        if not spam:
            send_emails(submission)
        return submission

    @path("thanks/", name="thanks")
    def thanks_view(self, request):
        context = self.get_context(request)
        context["sent"] = True
        context["held"] = request.session.pop("interest_spam", False)
        return TemplateResponse(request, self.get_template(request), context)

    @path("sent/<str:signed>/", name="sent")
    def sent_view(self, request, signed):
        submission = CollaborativeInterest.from_signed(signed)
        if submission is None or submission.page_id != self.pk:
            raise Http404("This link is not valid.")
        context = self.get_context(request)
        context["submission"] = submission
        response = TemplateResponse(request, "collaborative/interest_sent.html", context)
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
        return response


def staff_addresses():
    """Where staff notifications go: the people who can act on them, holders of the inbox's permission (the
    Communications leads), never the site's contact address (the Help Desk's mailbox cannot open this inbox)."""
    return holder_addresses(MANAGE_COLLABORATIVE_INTEREST)
