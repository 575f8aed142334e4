"""Headers and methods: Permissions-Policy, the admin's CSP, HEAD wherever GET works, field limits."""

import pytest
from django.conf import global_settings, settings
from django.test import Client

from events.factories import EventPageFactory, EventSeriesPageFactory, TrainingIndexPageFactory
from events.registration import rules
from events.registration.emails import manage_url
from helpdesk import cases
from helpdesk.factories import HelpDeskPageFactory, HelpDeskRequestFactory
from news.factories import ArticlePageFactory, NewsIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(home_page):
    return EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page))


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_response_has_a_permissions_policy(home_page, client):
    for url in ["/", "/admin/login/", "/robots.txt", "/no-such-page/"]:
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy
        assert "geolocation=()" in policy
        assert "microphone=()" in policy
        assert "payment=()" in policy


def test_the_admin_has_its_own_content_security_policy(home_page, client):
    header = client.get("/admin/login/")["Content-Security-Policy"]
    policy = directives(header)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in header
    assert "*" not in header.split()


def test_the_public_site_keeps_the_strict_policy(home_page, client):
    policy = directives(client.get("/")["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        assert policy[directive][0] == "'self'"
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]


def test_head_is_answered_wherever_get_is(event, home_page, client):
    registration, _ = rules.register(event, name="Jenn Weaver", email="jenn@example.org", role="elected")
    manage = manage_url(registration).replace("http://testserver", "")
    help_desk = HelpDeskPageFactory(parent=home_page)
    request_obj = HelpDeskRequestFactory(page=help_desk)
    news = NewsIndexPageFactory(parent=home_page)
    ArticlePageFactory(parent=news)
    series = EventSeriesPageFactory(parent=event.get_parent())
    urls = [
        "/",
        "/search/",
        "/search/?query=zoning",
        "/robots.txt",
        "/sitemap.xml",
        event.url,
        event.url + "calendar/",
        series.url + "calendar/",
        event.get_parent().url,
        event.get_parent().url + "past/",
        manage,
        help_desk.url,
        cases.thanks_path(request_obj),
        cases.member_path(request_obj),
        cases.member_path(request_obj) + "?added=1",
        news.url,
        news.url + "?page=1",
        news.url + "feed/",
        news.url + "feed/atom/",
    ]
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert get.status_code == 200, url
        assert head.status_code == 200, (url, head.status_code)
        assert head.content == b""


def test_other_methods_are_still_refused(home_page, client):
    assert client.get("/helpdesk/suggestions/?q=eviction").status_code == 405  # POST only: no question in a URL
    assert client.delete("/search/").status_code == 405
    assert client.put("/robots.txt").status_code == 405


def test_the_field_limit_is_near_djangos_default(event):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == global_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    body = "&".join(f"f{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = Client().generic(
        "POST", event.url + "register/", body.encode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "We couldn't read that request" in response.content.decode()
