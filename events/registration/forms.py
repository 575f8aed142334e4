"""The registration forms: one event, or several sessions of a series at once."""

from django import forms
from wagtail.contrib.forms.forms import BaseForm as WagtailBaseForm

from inbox.spam import HONEYPOT_FIELD, TOKEN_FIELD, SpamProtectedForm
from inbox.validators import MultiLineTextField, PersonNameField, PublicEmailField, SingleLineTextField

from .. import listing
from .models import SessionMessage
from .statuses import Role

CORE_FIELDS = ("name", "email", "role", "organisation")


class RegistrationForm(SpamProtectedForm, WagtailBaseForm):
    """The fields the workflow needs; editors' extra questions are added after them."""

    # Names, addresses and free text are cleaned and checked by inbox/validators.py, like every public form.
    name = PersonNameField(max_length=200, label="Your name")
    email = PublicEmailField(
        label="Email",
        help_text="Your Zoom link goes to this address. Each person signs up individually.",
    )
    role = forms.ChoiceField(choices=Role.choices, label="I am", widget=forms.RadioSelect)
    organisation = SingleLineTextField(
        max_length=200,
        required=False,
        label="Jurisdiction or organisation",
        help_text="For example 'Hillsborough, NC' or 'Office of Councilmember Lee'.",
    )

    def core_data(self):
        return {name: self.cleaned_data.get(name, "") for name in CORE_FIELDS}

    def answers(self):
        """Everything to keep in form_data: core fields and extra questions, no spam machinery."""
        skip = {HONEYPOT_FIELD, TOKEN_FIELD, "captcha", "sessions"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


def form_class_with_questions(base, page_with_fields):
    """``base`` plus the extra questions of ``page_with_fields`` (Wagtail's form builder)."""
    fields = page_with_fields.get_form_fields() if page_with_fields is not None else []
    builder = page_with_fields.form_builder(fields) if page_with_fields is not None else None
    extra = {}
    if builder is not None:
        for name, field in builder.formfields.items():
            if name in base.base_fields or name in (HONEYPOT_FIELD, TOKEN_FIELD):
                continue  # the code owns these names
            extra[name] = field
    order = [*CORE_FIELDS, *(["sessions"] if "sessions" in base.base_fields else []), *extra]
    attrs = {**extra, "field_order": order}
    return type(f"{base.__name__}WithQuestions", (base,), attrs)


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, event):
        when = event.when
        label = f"{when['date']} | {when['times']}: {event.title}"
        seats = listing.seats(event)
        if seats is not None and seats.full:
            label += f" (full: you'd be number {seats.next_place} on the waitlist)"
        return label


class MultiSessionForm(RegistrationForm):
    """Register for several sessions of a series in one go."""

    sessions = SessionChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Sessions",
        help_text="Tick every session you'd like to attend; each gets its own confirmation.",
        error_messages={"required": "Choose at least one session."},
    )

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions


# Staff's forms (the registrations inbox: events/registration/admin.py).


class MessageRegistrantsForm(forms.Form):
    """A message to a session's registrants: one email each, through the outbox."""

    audience = forms.ChoiceField(label="Send to", widget=forms.RadioSelect)
    subject = SingleLineTextField(max_length=150, label="Subject")
    body = MultiLineTextField(
        max_length=5000,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text. Each person's email starts with “Hello <their name>,” and ends with the session's "
        "details and their private registration link.",
    )
    include_link = forms.BooleanField(
        required=False,
        initial=True,
        label="Include the meeting link (confirmed registrants only: nobody else ever gets it)",
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = counts or {}
        self.fields["audience"].choices = [
            (value, f"{label} ({self.counts.get(value, 0)})") for value, label in SessionMessage.Audience.choices
        ]

    def clean_audience(self):
        audience = self.cleaned_data["audience"]
        if not self.counts.get(audience):
            raise forms.ValidationError("Nobody registered for this session is in that group: choose another.")
        return audience


class CancelSessionForm(forms.Form):
    message = MultiLineTextField(
        required=False,
        max_length=2000,
        label="Message to registrants (optional)",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why it is cancelled, or what comes instead. It goes in everyone's email and on the session's page.",
    )
    unpublish = forms.BooleanField(required=False, label="Also unpublish the page (it then disappears from the site)")


class AttendanceUploadForm(forms.Form):
    report = forms.FileField(
        label="Zoom participants report (CSV)",
        help_text="In Zoom: Reports → Usage → this meeting's Participants → Export (or a webinar's Attendee report).",
    )
    others_no_show = forms.BooleanField(
        required=False, initial=True, label="Mark confirmed registrants who aren't in the report as no-shows"
    )


class WalkInForm(forms.Form):
    name = PersonNameField(max_length=200, label="Name")
    email = PublicEmailField(label="Email")
    organisation = SingleLineTextField(max_length=200, required=False, label="Jurisdiction or organisation")
