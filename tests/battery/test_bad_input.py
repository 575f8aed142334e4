"""The bad-input battery: hostile posts and query strings over every public form and listing.

Targets are listed in ``tests/battery/targets.py``; a new form or listing
joins by being added there. Whatever arrives, the answer is never a 5xx and
nothing is saved that should not be (refused input saves nothing; a tampered
token is kept as spam, never as a real submission).
"""

import unicodedata

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from inbox.validators import validate_public_email
from tests.conftest import make_home_page, shared_data

from .targets import FORMS, LISTINGS, fresh_token

pytestmark = pytest.mark.django_db

EXAMPLES = hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any text a client can send: every code point UTF-8 can carry (no lone surrogates).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)

HOSTILE_QUERY_VALUES = [
    "",
    "x" * 10_000,
    "\x00",
    "a\r\nSet-Cookie: x=1",
    "' OR 1=1 --",
    '"quoted" (brackets) AND NOT *',
    "<script>alert(1)</script>",
    "99999999999999999999999999",
    "-1",
    "0",
    "1e9",
    "NaN",
    "\u202egnp.exe",
    "🏳️‍🌈" * 50,
    "%",
]
RAW_QUERY_STRINGS = ["%FF%FE%00", "%ZZ", "a=%E2%82", "&&&==&", "x" * 5000 + "=1"]


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORM_RATE_LIMIT = None
    cache.clear()


@pytest.fixture(scope="module")
def battery_home(django_db_setup, django_db_blocker):
    """The test site, built once for the module (rolled back after it)."""
    with shared_data(django_db_blocker):
        with django_db_blocker.unblock():
            home = make_home_page()
        yield home


@pytest.fixture
def home_page(battery_home):
    return battery_home


@pytest.fixture(scope="module", params=FORMS, ids=lambda target: target.name)
def built_form(request, battery_home, django_db_blocker):
    """Each form's page and valid submission, built once for all the tests that attack it: pytest runs a
    module-scoped parameter's tests together. Rolled back before the next form is built, so no form sees
    another's pages or rows."""
    target = request.param
    with shared_data(django_db_blocker):
        with django_db_blocker.unblock():
            url, data = target.build(battery_home)
        yield target, url, data


@pytest.fixture
def form(built_form, db):
    """(the target as this test sees it, its URL, a valid submission with a token of its own)."""
    target, url, data = built_form
    data = dict(data)
    if "form_token" in data:
        data["form_token"] = fresh_token()
    return target, url, data


@pytest.fixture(scope="module", params=LISTINGS, ids=lambda target: target.name)
def built_listing(request, battery_home, django_db_blocker):
    target = request.param
    with shared_data(django_db_blocker):
        with django_db_blocker.unblock():
            url = target.build(battery_home)
        yield target, url


@pytest.fixture
def listing(built_listing, db):
    return built_listing


def count(target):
    return target.saved().count()


def assert_refused(response, target, before):
    assert 400 <= response.status_code < 500, response.status_code
    assert count(target) == before, "a refused submission was saved"


def assert_clean(target):
    """Whatever was saved holds no invisible or control characters (line breaks only where a message keeps
    them) and a deliverable address."""
    for row in target.saved():
        for name in target.text_fields:
            value = getattr(row, target.stored_as.get(name, name), None)
            if value is None:
                value = (getattr(row, "form_data", None) or {}).get(name, "")
            allowed = {"\n"} if name in target.multiline_fields else set()
            bad = [ch for ch in str(value) if unicodedata.category(ch).startswith("C") and ch not in allowed]
            assert not bad, (name, value)
        if target.stored_email:
            validate_public_email(target.stored_email(row))
        elif target.email_field:
            validate_public_email(getattr(row, target.email_field))


def skip_without(fields, what):
    if not fields:
        pytest.skip(f"this form has no {what}")


# Forms ---------------------------------------------------------------------------------------------------------------


def test_a_valid_submission_is_saved(form):
    target, url, data = form
    before = count(target)
    response = Client().post(url, data)
    assert response.status_code in target.success  # saved, then the confirmation page
    assert count(target) > before
    assert_clean(target)


@pytest.mark.parametrize(
    "field_kind, value",
    [
        ("text", "x" * 100_000),
        ("text", "Jenn\x00Weaver"),
        ("text", ""),
        ("email", "jenn@example.org\r\nBcc: victim@example.org"),
        ("email", "a@localhost"),
        ("email", "a@[127.0.0.1]"),
        ("email", "x" * 65 + "@example.org"),
        ("email", "=cmd|' /C calc'!A0@example.org"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(form, field_kind, value):
    target, url, data = form
    if field_kind == "email":
        fields = [target.email_field] if target.email_field else []
    elif value == "":
        fields = target.required_fields
    else:
        fields = [name for name in target.text_fields if name != target.email_field]
    skip_without(fields, "such field")
    for name in fields:
        before = count(target)
        assert_refused(Client().post(url, {**data, name: value}), target, before)


def test_line_breaks_and_direction_overrides_are_cleaned(form):
    target, url, data = form
    fields = [name for name in target.text_fields if name != target.email_field]
    skip_without(fields, "free-text field")
    hostile = dict.fromkeys(fields, "Jenn\r\nBcc: x@example.org \u202eWeaver\u200b")
    response = Client().post(url, {**data, **hostile})
    assert response.status_code in target.success
    assert_clean(target)


def test_several_values_for_one_field_and_strange_names_do_not_break_it(form):
    target, url, data = form
    client = Client()
    body = {**data, "name": ["Jenn", "Weaver"], "email[]": "x", "__proto__": "1", "form_token": [fresh_token(), "x"]}
    assert client.post(url, body).status_code < 500
    assert_clean(target)


@given(values=st.lists(ANY_TEXT, min_size=8, max_size=8))
@EXAMPLES
def test_any_text_in_any_field_never_breaks_a_form(form, values):
    target, url, data = form
    posted = {**data, **dict(zip(target.text_fields, values, strict=False))}
    response = Client().post(url, posted)
    assert response.status_code < 500
    assert_clean(target)


@pytest.mark.parametrize("charset", ["utf-7", "utf-16", "latin-1", "utf-32", "bogus"])
def test_bad_charsets_get_a_400_and_save_nothing(form, charset):
    target, url, data = form
    before = count(target)
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "b" * 32
    response = client.generic(
        "POST",
        url,
        b"name=Jenn&email=jenn%40example.org",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert count(target) == before


@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "options"])
def test_other_methods_save_nothing(form, method):
    target, url, data = form
    before = count(target)
    response = getattr(Client(), method)(url, data) if method in ("get", "head") else getattr(Client(), method)(url)
    assert response.status_code < 500
    assert count(target) == before


@pytest.mark.parametrize(
    "token",
    [None, "", "garbage", "eyJ0IjoxfQ:1abc:tampered", "x" * 5000, "\x00"],
    ids=["missing", "empty", "garbage", "bad-signature", "huge", "nul"],
)
def test_tampered_tokens_are_kept_as_spam_never_as_real_submissions(form, token):
    target, url, data = form
    if not target.has_token:
        pytest.skip("this form has no spam token")
    posted = {key: value for key, value in data.items() if key != "form_token"}
    if token is not None:
        posted["form_token"] = token
    response = Client().post(url, posted)
    assert response.status_code < 500
    statuses = set(target.saved().values_list(target.status_field, flat=True))
    assert statuses <= {target.spam_status}, statuses


def test_closed_or_unpublished_targets_refuse_and_save_nothing(form, home_page):
    target, url, data = form
    for closed_url, closed_data, expected in target.closed(home_page):
        before = count(target)
        response = Client().post(closed_url, closed_data)
        assert response.status_code == expected, closed_url
        assert count(target) == before


def test_too_many_fields_is_a_400(form, settings):
    target, url, data = form
    before = count(target)
    body = "&".join(f"f{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)).encode()
    response = Client().generic("POST", url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert count(target) == before


# Listings ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE_QUERY_VALUES)
def test_hostile_query_values_never_break_a_listing(listing, value):
    target, url = listing
    client = Client()
    for param in target.params:
        response = client.get(url, {param: value})
        assert response.status_code < 500, (param, value, response.status_code)


@pytest.mark.parametrize("query", RAW_QUERY_STRINGS)
def test_malformed_query_strings_never_break_a_listing(listing, query):
    target, url = listing
    response = Client().get(f"{url}?{query}")
    assert response.status_code < 500


@given(values=st.lists(ANY_TEXT, min_size=1, max_size=5))
@EXAMPLES
def test_any_text_in_any_parameter_never_breaks_a_listing(listing, values):
    target, url = listing
    params = {param: values[i % len(values)] for i, param in enumerate(target.params)}
    response = Client().get(url, params)
    assert response.status_code < 500


@pytest.mark.parametrize("method", ["post", "put", "delete", "head", "options"])
def test_listings_answer_every_method_without_a_5xx(listing, method):
    target, url = listing
    assert getattr(Client(), method)(url).status_code < 500
