"""The page a path leads to is read once per content version (home/shell.py ``fast_route``); the site is
Wagtail's own lookup. Any change shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.factories import StandardPageFactory
from tests.conftest import own_queries

pytestmark = pytest.mark.django_db


def queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, own_queries(captured.captured_queries)


def test_a_page_is_routed_without_walking_the_tree_once_warm(client, home_page):
    """Wagtail finds the site and its home page; the page itself comes from the kept route."""
    page = StandardPageFactory(parent=home_page, title="About us", slug="about")
    client.get("/about/")
    response, sql = queries(client, "/about/")
    assert "About us" in response.content.decode()
    assert not [q for q in sql if '"wagtailcore_page"' in q and f"= {page.pk}" in q], sql
    assert sql == [], sql


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


def test_a_routable_pages_own_route_is_kept_before_its_children_and_one_taking_arguments_is_not(client, home_page):
    """``/trainings/past/`` is the index's own route: kept like a page (no page query once warm), and it
    comes before a child with that slug, as in Wagtail. A route with arguments (a signed token) is left to
    Wagtail's walk, so no one can fill the cache with a key per made-up token."""
    from collaborative.factories import CollaborativePageFactory, InterestPageFactory
    from events.factories import EventPageFactory, TrainingIndexPageFactory
    from home.shell import _route_target

    trainings = TrainingIndexPageFactory(parent=home_page, slug="trainings")
    EventPageFactory(parent=trainings, title="A session called past", slug="past")
    client.get("/trainings/past/")
    response, sql = queries(client, "/trainings/past/")
    assert response.context["is_past_view"] and response.context["page"].pk == trainings.pk
    assert not [q for q in sql if '"wagtailcore_page"' in q], sql
    assert _route_target(home_page, ["trainings", "past"])[2] == 1  # the index, with "past" left to route
    assert _route_target(home_page, ["trainings", "no-such-page"]) is None

    interest = InterestPageFactory(parent=CollaborativePageFactory(parent=home_page))
    parts = interest.url.strip("/").split("/")
    assert _route_target(home_page, [*parts, "thanks"])[0] == interest.pk
    assert _route_target(home_page, [*parts, "sent", "made-up-token"]) is None
    assert client.get(interest.url + "sent/made-up-token/").status_code in (400, 404)
