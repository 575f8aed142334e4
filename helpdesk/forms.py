"""The Help Desk intake form (code-owned fields + editors' questions + spam defence) and the member's follow-up form."""

from django import forms
from django.utils import timezone
from wagtail.contrib.forms.forms import BaseForm as WagtailBaseForm

from inbox.spam import HONEYPOT_FIELD, TOKEN_FIELD, SpamProtectedForm
from inbox.validators import MultiLineTextField, PersonNameField, PublicEmailField, SingleLineTextField
from taxonomy.models import IssueArea

from .models import Category, HelpDeskRequest

MAX_DETAILS = 5000

CORE_LABELS = {
    "name": "Name",
    "email": "Email",
    "role": "Role",
    "office": "Office",
    "jurisdiction": "Jurisdiction",
    "category": "Category",
    "issue_area": "Issue area",
    "question": "Question",
    "details": "Details",
    "needed_by": "Needed by",
    "preferred_contact": "Preferred contact",
    "phone": "Phone",
}
CORE_FIELDS = tuple(CORE_LABELS)


def one_line(value):
    return " ".join((value or "").split())


class IssueAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class HelpDeskForm(SpamProtectedForm, WagtailBaseForm):
    """What the Help Desk needs to answer a member; editors' extra questions come after."""

    # Names and addresses are cleaned and checked by inbox/validators.py, like every public form.
    name = PersonNameField(max_length=200, label="Your name")
    email = PublicEmailField(
        label="Email", help_text="We reply to this address, and send you a private link to follow your request."
    )
    role = forms.ChoiceField(choices=HelpDeskRequest.Role.choices, label="I am", widget=forms.RadioSelect)
    office = SingleLineTextField(
        max_length=200, required=False, label="Office", help_text="For example 'Office of Councilmember Lee'."
    )
    jurisdiction = SingleLineTextField(
        max_length=200, required=False, label="Jurisdiction", help_text="For example 'Durham County, NC'."
    )
    category = forms.ChoiceField(
        choices=Category.choices, label="What kind of support do you need?", widget=forms.RadioSelect
    )
    issue_area = IssueAreaChoiceField(
        queryset=IssueArea.objects.order_by("name"),
        required=False,
        empty_label="Not sure / another issue",
        label="Issue area",
    )
    question = SingleLineTextField(
        max_length=200,
        label="Your question, in a line",
        help_text="For example 'Examples of just-cause eviction ordinances from other cities?'",
    )
    details = MultiLineTextField(
        max_length=MAX_DETAILS,
        label="Details of your request",
        help_text="What you are working on, what you have tried, who else is involved. Up to 5,000 characters.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please tell us the details of your request, so we can help."},
    )
    needed_by = forms.DateField(
        required=False,
        label="Needed by (optional)",
        help_text="Your timeline: a vote, a hearing or a deadline. Leave empty if there is none.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date like 2026-03-31."},
    )
    preferred_contact = forms.ChoiceField(
        choices=HelpDeskRequest.Contact.choices,
        initial=HelpDeskRequest.Contact.EMAIL,
        label="How would you like to hear back?",
        widget=forms.RadioSelect,
    )
    phone = SingleLineTextField(
        max_length=40,
        required=False,
        label="Phone (for a call)",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_name(self):
        return one_line(self.cleaned_data["name"])

    def clean_office(self):
        return one_line(self.cleaned_data.get("office"))

    def clean_jurisdiction(self):
        return one_line(self.cleaned_data.get("jurisdiction"))

    def clean_question(self):
        question = one_line(self.cleaned_data["question"])
        if not question:
            raise forms.ValidationError("Please write your question.")
        return question

    def clean_details(self):
        details = (self.cleaned_data["details"] or "").strip()
        if not details:
            raise forms.ValidationError("Please tell us the details of your request, so we can help.")
        return details

    def clean_needed_by(self):
        needed_by = self.cleaned_data.get("needed_by")
        if needed_by and needed_by < timezone.localdate():
            raise forms.ValidationError("This date has passed. Choose today or a later date, or leave it empty.")
        return needed_by

    def clean_phone(self):
        return one_line(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("preferred_contact") == HelpDeskRequest.Contact.PHONE and not cleaned.get("phone"):
            self.add_error("phone", "Add a phone number so we can call you, or choose another way to hear back.")
        return cleaned

    def core_data(self):
        data = {name: self.cleaned_data.get(name) for name in CORE_FIELDS}
        data["office"] = data["office"] or ""
        data["jurisdiction"] = data["jurisdiction"] or ""
        data["phone"] = data["phone"] or ""
        return data

    def answers(self):
        """Everything for form_data (JSON): core fields readable, extra questions as given, no spam machinery."""
        skip = {HONEYPOT_FIELD, TOKEN_FIELD, "captcha"}
        answers = {}
        for name, value in self.cleaned_data.items():
            if name in skip:
                continue
            if name == "issue_area":
                value = value.name if value else ""
            elif name in ("role", "category", "preferred_contact"):
                value = dict(self.fields[name].choices).get(value, value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            answers[name] = value
        return answers


def help_desk_form_class(page):
    """``HelpDeskForm`` plus the extra questions of ``page`` (Wagtail's form builder)."""
    builder = page.form_builder(page.get_form_fields())
    extra = {
        name: field
        for name, field in builder.formfields.items()
        if name not in HelpDeskForm.base_fields and name not in (HONEYPOT_FIELD, TOKEN_FIELD)
    }
    return type("HelpDeskFormWithQuestions", (HelpDeskForm,), {**extra, "field_order": [*CORE_FIELDS, *extra]})


class MemberUpdateForm(forms.Form):
    """The box on the member's private link: more details for the Help Desk."""

    text = MultiLineTextField(
        max_length=MAX_DETAILS,
        label="Add more details",
        help_text="They go straight to the Help Desk staff handling your request. Up to 5,000 characters.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write something to add before sending."},
    )

    def clean_text(self):
        text = (self.cleaned_data["text"] or "").strip()
        if not text:
            raise forms.ValidationError("Write something to add before sending.")
        return text
