"""One validator for addresses and names, used by every public form."""

import time

import pytest
from django import forms
from django.core.exceptions import ValidationError

from events.factories import EventPageFactory, TrainingIndexPageFactory
from events.registration.models import Registration
from inbox.spam import SpamProtectedForm, make_token
from inbox.validators import (
    MultiLineTextField,
    PersonNameField,
    PublicEmailField,
    clean_multiline,
    clean_name,
    validate_public_email,
)

RLO = "\u202e"  # right-to-left override
LRI, PDI = "\u2066", "\u2069"
ZWSP, ZWJ, BOM = "\u200b", "\u200d", "\ufeff"


@pytest.mark.parametrize(
    "address",
    [
        "a@localhost",
        "a@[127.0.0.1]",
        "a@[IPv6:::1]",
        "a@127.0.0.1",
        "a@intranet",
        "x" * 65 + "@example.org",
        "a@" + "b" * 64 + ".org",
        "a@" + ("b" * 63 + ".") * 4 + "org",  # 261 characters
        f"jenn{ZWSP}@example.org",
        f"jenn@exa{RLO}mple.org",
        "jenn@example.org\r\nBcc: x@example.org",
        "not an address",
    ],
)
def test_addresses_no_member_can_receive_mail_at_are_refused(address):
    with pytest.raises(ValidationError):
        validate_public_email(address)
    form_field = PublicEmailField()
    with pytest.raises(ValidationError):
        form_field.clean(address)


@pytest.mark.parametrize(
    "address",
    ["jenn@example.org", "x" * 64 + "@example.org", "j.weaver+lp@mail.hillsborough.nc.us", "a@b.co", "jenn@bücher.de"],
)
def test_ordinary_addresses_pass(address):
    validate_public_email(address)
    assert PublicEmailField().clean(address) == address


def test_the_local_part_limit_is_explained():
    with pytest.raises(ValidationError, match="at most 64 characters"):
        validate_public_email("x" * 65 + "@example.org")


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("Jenn Weaver", "Jenn Weaver"),
        (f"Jenn {RLO}revaeW", "Jenn revaeW"),
        (f"{LRI}Admin{PDI} Staff", "Admin Staff"),
        (f"Je{ZWSP}nn{ZWJ} {BOM}Weaver", "Jenn Weaver"),
        ("  Jenn\n\tWeaver\x07 ", "Jenn Weaver"),
        ("Zoë Ng", "Zoë Ng"),
        ("Zoe\u0308 Ng", "Zoë Ng"),  # NFC
        ("李小龙", "李小龙"),
    ],
)
def test_names_lose_invisible_and_direction_characters(raw, cleaned):
    assert clean_name(raw) == cleaned
    assert PersonNameField().clean(raw) == cleaned


@pytest.mark.parametrize("raw", [ZWSP * 3, f"{RLO}{PDI}", "\x00\x01", "   ", "---", BOM])
def test_names_with_nothing_readable_are_refused(raw):
    with pytest.raises(ValidationError):
        PersonNameField().clean(raw)


def test_messages_keep_their_lines_but_lose_controls():
    assert clean_multiline(f"Hello{RLO}\r\n\r\n\r\nLine two\x07") == "Hello\n\nLine two"
    assert MultiLineTextField().clean(f"a{ZWSP}b\nc") == "ab\nc"


class QuestionForm(SpamProtectedForm):
    extra = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea)


def test_every_text_answer_of_a_public_form_is_cleaned():
    form = QuestionForm(
        {"extra": f"Mayor{RLO}", "notes": f"one{ZWSP}\ntwo", "form_token": make_token(time.time() - 30)}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["extra"] == "Mayor"
    assert form.cleaned_data["notes"] == "one\ntwo"


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["a@localhost", "a@[127.0.0.1]", "x" * 65 + "@example.org"])
def test_the_registration_form_refuses_them_and_mails_nothing(home_page, client, settings, mailoutbox, address):
    settings.FORM_RATE_LIMIT = None
    event = EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page))
    data = {
        "name": "Jenn Weaver",
        "email": address,
        "role": "elected",
        "website": "",
        "form_token": make_token(time.time() - 30),
    }
    response = client.post(event.url + "register/", data)
    assert response.status_code == 400
    assert "email" in response.context["registration_form"].errors
    assert not Registration.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_registration_form_stores_a_cleaned_name(home_page, client, settings):
    settings.FORM_RATE_LIMIT = None
    event = EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page))
    data = {
        "name": f"Jenn {RLO}revaeW{ZWSP}",
        "email": "jenn@example.org",
        "role": "elected",
        "organisation": f"{LRI}Hillsborough{PDI}",
        "website": "",
        "form_token": make_token(time.time() - 30),
    }
    assert client.post(event.url + "register/", data).status_code == 303  # to the confirmation page
    registration = Registration.objects.get()
    assert registration.name == "Jenn revaeW"
    assert registration.form_data["organisation"] == "Hillsborough"
