"""The site, its home page and the page a path leads to are read once per content generation
(home/shell.py ``SharedSiteMiddleware`` and ``fast_route``); any change shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, [query["sql"] for query in captured.captured_queries]


def test_a_page_reads_no_site_nor_home_page_once_warm(client, home_page):
    page = StandardPageFactory(parent=home_page, title="About us", slug="about")
    client.get("/about/")
    response, sql = queries(client, "/about/")
    assert "About us" in response.content.decode()
    assert not [q for q in sql if "wagtailcore_site" in q], sql
    assert not [q for q in sql if '"wagtailcore_page"' in q and f"= {page.pk}" in q], sql
    assert len(sql) <= 2, sql


def test_each_host_gets_its_own_site(client, home_page):
    other_root = StandardPageFactory(parent=home_page, title="Other site's root", slug="other-root")
    assert "Other site" not in client.get("/", HTTP_HOST="127.0.0.1").content.decode()
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=other_root, site_name="other")
    assert "Other site&#x27;s root" in client.get("/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Other site" not in client.get("/", HTTP_HOST="localhost").content.decode()
    Site.objects.filter(hostname="127.0.0.1").delete()
    assert "Other site" not in client.get("/", HTTP_HOST="127.0.0.1").content.decode()


def test_published_changes_to_the_home_page_and_a_page_show_at_once(client, home_page):
    page = StandardPageFactory(parent=home_page, title="About us", slug="about", intro="First words.")
    client.get("/"), client.get("/about/")
    home_page.hero_heading = "A new welcome"
    home_page.save_revision().publish()
    page.intro = "Second words."
    page.save_revision().publish()
    assert "A new welcome" in client.get("/").content.decode()
    html = client.get("/about/").content.decode()
    assert "Second words." in html and "First words." not in html
    page.unpublish()
    assert client.get("/about/").status_code == 404
