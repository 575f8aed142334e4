"""The shared spam defence: honeypot, signed timestamp, rate limit, reCAPTCHA."""

import time
from unittest import mock
from urllib.error import URLError

import pytest
from django import forms
from django.test import RequestFactory, override_settings

from inbox import spam
from inbox.spam import SpamProtectedForm, make_token, parse_rate, rate_limited


class ContactForm(SpamProtectedForm):
    name = forms.CharField()


def post(token=None, website="", **extra):
    data = {"name": "Jenn Weaver", "website": website, **extra}
    if token is not None:
        data["form_token"] = token
    form = ContactForm(data)
    return form


def shown(seconds_ago):
    return make_token(time.time() - seconds_ago)


def test_a_person_who_takes_their_time_is_not_spam():
    form = post(shown(10))
    assert form.is_valid()
    assert form.spam_reason == ""


def test_a_post_faster_than_the_minimum_is_shown_again_with_a_note_and_the_second_post_passes():
    token = shown(0.5)  # autofill and a quick click
    form = post(token)
    assert not form.is_valid()  # never stored as spam while the page says "thank you"
    assert form.spam_reason == ""
    assert form.non_field_errors() == [spam.TOO_FAST_NOTE]
    assert 'value="' + token + '"' in str(form[spam.TOKEN_FIELD])  # the same timestamp goes back in the form
    with mock.patch("inbox.spam.time.time", return_value=time.time() + 5):
        again = post(token)  # the person checks and sends it again
        assert again.is_valid() and again.spam_reason == ""


@override_settings(SPAM_MIN_SUBMIT_SECONDS=0)
def test_the_minimum_is_a_setting():
    form = post(shown(0.1))
    assert form.is_valid() and form.spam_reason == ""


def test_an_expired_form_is_shown_again_with_a_note_and_a_fresh_timestamp():
    old = shown(86400 + 60)
    form = post(old)
    assert not form.is_valid() and form.spam_reason == ""
    assert form.non_field_errors() == [spam.EXPIRED_NOTE]
    fresh = form.data[spam.TOKEN_FIELD]
    assert fresh != old and time.time() - spam.read_token(fresh) < 5
    assert f'value="{fresh}"' in str(form[spam.TOKEN_FIELD])
    with mock.patch("inbox.spam.time.time", return_value=time.time() + 10):
        assert post(fresh).is_valid()


@override_settings(SPAM_TOKEN_MAX_AGE=3600)
def test_the_maximum_age_is_a_setting():
    assert post(shown(3000)).is_valid()
    assert not post(shown(3700)).is_valid()


def test_filling_the_honeypot_is_suspected_spam():
    form = post(shown(10), website="http://spam.example")
    assert form.is_valid()
    assert form.spam_reason == "Filled in the hidden honeypot field"


@pytest.mark.parametrize(
    "token", [None, "", "garbage", shown(10)[:-3] + "abc"], ids=["none", "empty", "garbage", "tampered"]
)
def test_missing_or_tampered_timestamps_are_suspected_spam(token):
    form = post(token)
    assert form.is_valid()
    assert form.spam_reason == "Missing or tampered form timestamp"


def test_the_form_renders_a_fresh_token_and_a_hidden_honeypot():
    form = ContactForm()
    html = str(form)
    assert 'name="form_token"' in html and 'type="hidden"' in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert spam.read_token(form.fields["form_token"].initial) == pytest.approx(time.time(), abs=5)
    assert [f.name for f in form.visible_fields_for_people] == ["name"]


@pytest.mark.parametrize(
    ("rate", "parsed"), [("5/m", (5, 60)), ("100/h", (100, 3600)), ("2/s", (2, 1)), (None, None), ("none", None)]
)
def test_rate_parsing(rate, parsed):
    assert parse_rate(rate) == parsed


def test_the_rate_limit_counts_per_ip(settings):
    settings.FORM_RATE_LIMIT = "3/m"
    from django.core.cache import cache

    cache.clear()
    one = RequestFactory().post("/", REMOTE_ADDR="203.0.113.1")
    other = RequestFactory().post("/", REMOTE_ADDR="203.0.113.2")
    assert [rate_limited(one) for _ in range(4)] == [False, False, False, True]
    assert rate_limited(other) is False


def test_the_rate_limit_can_be_turned_off(settings):
    settings.FORM_RATE_LIMIT = None
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    assert not any(rate_limited(request) for _ in range(50))


RECAPTCHA_KEYS = {"RECAPTCHA_PUBLIC_KEY": "site-key", "RECAPTCHA_PRIVATE_KEY": "secret-key"}


def test_no_recaptcha_without_keys():
    assert "captcha" not in ContactForm().fields


@override_settings(**RECAPTCHA_KEYS)
def test_recaptcha_checked_when_keys_are_set():
    assert "captcha" in ContactForm().fields
    passed = mock.Mock(is_valid=True, extra_data={}, action=None)
    with mock.patch("django_recaptcha.client.submit", return_value=passed) as submit:
        form = post(shown(10), **{"g-recaptcha-response": "token-from-widget"})
        assert form.is_valid(), form.errors
    assert submit.call_args.kwargs["private_key"] == "secret-key"
    assert submit.call_args.kwargs["recaptcha_response"] == "token-from-widget"


@override_settings(**RECAPTCHA_KEYS)
def test_recaptcha_failure_is_a_form_error():
    failed = mock.Mock(is_valid=False, error_codes=["invalid-input-response"], extra_data={}, action=None)
    with mock.patch("django_recaptcha.client.submit", return_value=failed):
        form = post(shown(10), **{"g-recaptcha-response": "bad"})
        assert not form.is_valid()
    assert "captcha" in form.errors


@override_settings(**RECAPTCHA_KEYS)
@pytest.mark.parametrize("error", [TimeoutError("timed out"), URLError("unreachable"), OSError("network down")])
def test_recaptcha_service_down_gives_a_clear_error_not_a_500(error):
    with mock.patch("django_recaptcha.client.submit", side_effect=error):
        form = post(shown(10), **{"g-recaptcha-response": "token"})
        assert not form.is_valid()
    assert "couldn't check the anti-spam test" in form.errors["captcha"][0]


# Through the real forms: a page left open for a month ------------------------------------------


def _token_on(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").find("input", attrs={"name": "form_token"})["value"]


def _expired_then_sent(client, url, data, saved, *, ok_status):
    """Show the form 30 days ago, send it now: the note, nothing saved; the form shown again sends."""
    import datetime

    import time_machine
    from django.core import mail
    from django.utils import timezone

    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=30)):
        old_token = _token_on(client.get(url.removesuffix("register/")).text)
    with time_machine.travel(now):
        response = client.post(url, {**data, "form_token": old_token})
    assert response.status_code == 400
    assert spam.EXPIRED_NOTE.replace("'", "&#x27;") in response.text
    assert not saved().exists()
    assert mail.outbox == []
    fresh = _token_on(response.text)
    assert fresh != old_token
    with time_machine.travel(now + datetime.timedelta(seconds=20)):
        assert client.post(url, {**data, "form_token": fresh}).status_code == ok_status
    assert saved().count() == 1
    assert saved().get().status != "spam"


@pytest.mark.django_db
def test_an_expired_help_desk_form_shows_the_note_and_saves_nothing(client, home_page, settings):
    from helpdesk.factories import HelpDeskPageFactory
    from helpdesk.models import HelpDeskRequest
    from tests.helpdesk.conftest import intake

    settings.FORM_RATE_LIMIT = None
    page = HelpDeskPageFactory(parent=home_page)
    data = {k: v for k, v in intake().items() if k != "form_token"}
    _expired_then_sent(client, page.url, data, HelpDeskRequest.objects.all, ok_status=302)


@pytest.mark.django_db
def test_an_expired_registration_form_shows_the_note_and_saves_nothing(client, home_page, settings):
    from events.factories import EventPageFactory, TrainingIndexPageFactory
    from events.registration.models import Registration

    settings.FORM_RATE_LIMIT = None
    event = EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page))
    data = {"name": "Jenn Weaver", "email": "jenn@example.org", "role": "elected", "website": ""}
    _expired_then_sent(client, event.url + "register/", data, Registration.objects.all, ok_status=303)
