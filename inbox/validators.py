"""One place that decides what an email address and a name from the public may be.

Every public form uses these fields (registration, the Help Desk, the
member's follow-up box, the interest form), and the questions editors add
through Wagtail's form builder get them too (:class:`PublicFormBuilder`):

    from inbox.validators import PersonNameField, PublicEmailField, SingleLineTextField

    class HelpDeskForm(SpamProtectedForm):
        name = PersonNameField()
        email = PublicEmailField()
        organisation = SingleLineTextField(required=False)
        message = MultiLineTextField()

Code that takes an address or a name outside a form calls
:func:`validate_public_email` and :func:`clean_name` directly.

Addresses: Django's ``validate_email`` first, then no IP literal
(``a@[127.0.0.1]``), no dotless domain (``a@localhost``), a local part of at
most 64 characters and domain labels of at most 63 (RFC 5321), 254 in all.

Names and other text: Unicode "other" characters (categories Cc, Cf, Cs, Co,
Cn: control characters, zero-width characters, bidirectional overrides and
isolates, private-use and unassigned code points) are removed, so nothing in
an inbox or an email can reorder or hide what surrounds it; runs of
whitespace become one space; the result is NFC-normalised. A name left with
no letter (only invisible characters, only punctuation) is refused.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from wagtail.contrib.forms.forms import FormBuilder

MAX_LOCAL_PART = 64
MAX_DOMAIN_LABEL = 63
MAX_ADDRESS = 254

INVALID_EMAIL = "Enter a valid email address you can receive mail at, like name@example.org."


def strip_invisible(text):
    """``text`` without Unicode "other" characters (Cc, Cf, Cs, Co, Cn)."""
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))


def clean_single_line(text):
    """One line of visible text: invisible characters removed, whitespace collapsed, NFC."""
    text = unicodedata.normalize("NFC", str(text))
    return " ".join(strip_invisible(" ".join(text.split())).split())


def clean_multiline(text):
    """Visible text keeping its line breaks (a message): each line cleaned, no more than one blank line in a row."""
    lines = [clean_single_line(line) for line in unicodedata.normalize("NFC", str(text)).splitlines()]
    kept = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def refuse_nul(value):
    """NUL is never typed by a person: refuse it rather than clean it (Django's CharField does the same)."""
    if "\x00" in value:
        raise ValidationError("Null characters are not allowed.", code="null_characters_not_allowed")
    return value


def clean_name(value):
    """A person's name, cleaned; ValidationError when nothing readable is left."""
    cleaned = clean_single_line(value)
    if not any(unicodedata.category(ch).startswith("L") for ch in cleaned):
        raise ValidationError("Please enter your name using letters.", code="invalid_name")
    return cleaned


def validate_public_email(value):
    """Refuse what ``validate_email`` lets through but no member can receive mail at."""
    message = INVALID_EMAIL
    if not isinstance(value, str) or len(value) > MAX_ADDRESS or value != strip_invisible(value):
        raise ValidationError(message, code="invalid")
    validate_email(value)
    local, _, domain = value.rpartition("@")
    if len(local) > MAX_LOCAL_PART:
        raise ValidationError(
            f"The part before the @ can be at most {MAX_LOCAL_PART} characters.", code="local_part_too_long"
        )
    if domain.startswith("["):
        raise ValidationError(message, code="ip_literal")
    labels = domain.rstrip(".").split(".")
    if len(labels) < 2:
        raise ValidationError(message, code="dotless_domain")
    if any(len(label) > MAX_DOMAIN_LABEL for label in labels):
        raise ValidationError(message, code="label_too_long")
    if labels[-1].isdigit():
        raise ValidationError(message, code="ip_address")


class PublicEmailField(forms.EmailField):
    """An email address from the public (see :func:`validate_public_email`)."""

    default_validators = [validate_public_email]
    default_error_messages = {"invalid": INVALID_EMAIL}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_ADDRESS)
        kwargs.setdefault("label", "Email")
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(**kwargs)


class SingleLineTextField(forms.CharField):
    """One line of text from the public, cleaned with :func:`clean_single_line`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_single_line(refuse_nul(super().to_python(value)))


class PersonNameField(SingleLineTextField):
    """A person's name: cleaned, and refused when it holds no letter."""

    default_validators = [clean_name]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Your name")
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "name"}))
        super().__init__(**kwargs)


class MultiLineTextField(forms.CharField):
    """A message from the public, cleaned with :func:`clean_multiline`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea)
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_multiline(refuse_nul(super().to_python(value)))


class PublicFormBuilder(FormBuilder):
    """Wagtail's form builder for the questions editors add to public forms (event and series
    registration, the Help Desk): an "email" question is a :class:`PublicEmailField` and text
    questions are cleaned like the code-owned fields, not Django's plain fields."""

    def create_singleline_field(self, field, options):
        options["max_length"] = 255
        return SingleLineTextField(**options)

    def create_multiline_field(self, field, options):
        options.setdefault("widget", forms.Textarea)
        return MultiLineTextField(**options)

    def create_email_field(self, field, options):
        return PublicEmailField(**options)
