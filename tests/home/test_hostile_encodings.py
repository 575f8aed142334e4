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
