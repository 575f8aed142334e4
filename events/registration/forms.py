"""The registration forms: one event, or several sessions of a series at once."""

from django import forms
from wagtail.contrib.forms.forms import BaseForm as WagtailBaseForm

from home.spam import HONEYPOT_FIELD, TOKEN_FIELD, SpamProtectedForm
from home.validators import PersonNameField, PublicEmailField, SingleLineTextField

from .statuses import Role

CORE_FIELDS = ("name", "email", "role", "organisation")


class RegistrationForm(SpamProtectedForm, WagtailBaseForm):
    """The fields the workflow needs; editors' extra questions are added after them."""

    # Names, addresses and free text are cleaned and checked by home/validators.py, like every public form.
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
        return f"{when['date']} | {when['times']}: {event.title}"


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
