"""Hostile request encodings get the site's 400 page, never a 500."""

import pytest
from django.test import Client

from events.factories import EventPageFactory, TrainingIndexPageFactory
from events.registration.models import Registration

pytestmark = pytest.mark.django_db

CHARSETS = ["utf-7", "utf-16", "latin-1", "utf-32", "x-no-such-charset"]


@pytest.fixture
def event(home_page):
    return EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page))


def hostile_post(url, charset, content_type="application/x-www-form-urlencoded"):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    body = f"csrfmiddlewaretoken={'a' * 32}&name=Jenn&email=jenn%40example.org&username=admin&password=x"
    return client.generic("POST", url, body.encode(), content_type=f"{content_type}; charset={charset}")


@pytest.mark.parametrize("charset", CHARSETS)
def test_admin_login_refuses_other_charsets_with_a_400_page(home_page, charset):
    response = hostile_post("/admin/login/", charset)
    assert response.status_code == 400
    assert "We couldn't read that request" in response.content.decode()


@pytest.mark.parametrize("charset", CHARSETS)
def test_registration_form_refuses_other_charsets_and_saves_nothing(event, charset):
    response = hostile_post(event.url + "register/", charset)
    assert response.status_code == 400
    assert "We couldn't read that request" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_malformed_multipart_body_is_a_400(event):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    response = client.generic(
        "POST", event.url + "register/", b"--x\r\nnot a part", content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 400 or response.status_code == 403
    assert response.status_code < 500


def test_a_query_string_with_an_unknown_charset_is_a_400(home_page):
    response = Client().get("/search/?query=x", CONTENT_TYPE="text/plain; charset=x-no-such-charset")
    assert response.status_code == 400


def test_utf8_posts_still_reach_the_form(event):
    client = Client()
    response = client.generic(
        "POST",
        event.url + "register/",
        b"name=Jenn&email=jenn%40example.org",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 400  # the form's own errors (role missing), not the error page
    assert "We couldn't read that request" not in response.content.decode()
    assert "This field is required" in response.content.decode()


def test_a_disallowed_host_gets_the_400_page(home_page):
    response = Client().get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "We couldn't read that request" in response.content.decode()


# Under production settings: the whole middleware stack, DEBUG off, HTTPS only -------------------------------------


PRODUCTION_NAMES = [
    "DEBUG",
    "MIDDLEWARE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]


@pytest.fixture
def production(monkeypatch):
    """lpsite/settings/production.py's request handling (its middleware, DEBUG and HTTPS settings), read from
    the module itself; the database, cache, storage and email stay the test suite's."""
    import importlib
    import sys

    from django.test import override_settings

    from lpsite.settings import base

    monkeypatch.setattr(base, "SECRET_KEY", "production-settings-under-test")  # production refuses to load without
    sys.modules.pop("lpsite.settings.production", None)
    module = importlib.import_module("lpsite.settings.production")
    sys.modules.pop("lpsite.settings.production", None)
    values = {name: getattr(module, name) for name in PRODUCTION_NAMES}
    assert values["DEBUG"] is False
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in values["MIDDLEWARE"]  # the full stack, not the tests'
    with override_settings(**values):
        yield values


def test_every_public_form_refuses_other_charsets_under_production_settings(production, home_page, settings):
    from tests.battery.targets import FORMS

    settings.FORM_RATE_LIMIT = None
    targets = [(target.name, *target.build(home_page)[:1], target.saved) for target in FORMS]
    targets += [
        ("staff sign-in", "/admin/login/", lambda: Registration.objects.none()),
        ("password reset", "/admin/password_reset/", lambda: Registration.objects.none()),
    ]
    names = {name for name, *_ in targets}
    assert {"email me my link", "help desk member update", "cancel a registration", "help desk"} <= names
    for name, url, saved in targets:
        before = saved().count()
        for charset in CHARSETS:
            client = Client(enforce_csrf_checks=True)
            client.cookies["csrftoken"] = "a" * 32
            body = f"csrfmiddlewaretoken={'a' * 32}&name=Jenn&email=jenn%40example.org&text=x&action=cancel"
            response = client.generic(
                "POST",
                url,
                body.encode(),
                content_type=f"application/x-www-form-urlencoded; charset={charset}",
                secure=True,
            )
            assert response.status_code == 400, (name, charset, response.status_code)
            page = response.content.decode()
            assert "We couldn't read that request" in page, (name, charset)
            assert "nothing was saved" in page
            assert response["Strict-Transport-Security"].startswith("max-age=31536000")
            assert saved().count() == before, (name, charset)


def test_production_settings_still_take_a_good_post(production, event, settings):
    settings.FORM_RATE_LIMIT = None
    import time

    from inbox.spam import make_token

    client = Client()
    data = {"name": "Jenn Weaver", "email": "jenn@example.org", "role": "elected", "website": ""}
    response = client.post(event.url + "register/", {**data, "form_token": make_token(time.time() - 30)}, secure=True)
    assert response.status_code == 303
    assert Registration.objects.count() == 1
    # And plain HTTP is sent to HTTPS, as in production.
    assert client.get(event.url).status_code == 301


@pytest.mark.parametrize("query", ["issue=%00", "q=housing%00", "%00=x"])
def test_a_nul_in_the_query_string_is_a_400_not_a_database_error(home_page, query):
    # PostgreSQL refuses NUL in any text comparison: the library looked the issue area up with it.
    response = Client().get(f"/resources/?{query}")
    assert response.status_code == 400
    assert Client().get("/resources/?q=housing").status_code in (200, 404)
