"""Site search, the sitemap and error pages."""

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.test import override_settings

from home.factories import StandardPageFactory
from tests.html import soup

pytestmark = pytest.mark.django_db


def titles(response):
    return [h.get_text(strip=True) for h in soup(response).select(".search-result .card__title")]


def test_search_finds_a_live_page_by_body_text(client, home_page):
    StandardPageFactory(
        parent=home_page,
        title="Right to counsel",
        body=[("paragraph", "<p>Tenants facing eviction get a lawyer.</p>")],
    )
    StandardPageFactory(parent=home_page, title="Unrelated", body=[("paragraph", "<p>Budgets.</p>")])
    response = client.get("/search/", {"query": "eviction"})
    assert response.status_code == 200
    assert titles(response) == ["Right to counsel"]
    assert "1 result for" in soup(response).find(class_="results-count").get_text()


def test_search_skips_drafts_and_private_pages(client, home_page):
    draft = StandardPageFactory(parent=home_page, title="Secret eviction plan")
    draft.unpublish()
    assert titles(client.get("/search/", {"query": "eviction"})) == []


def test_search_without_results_has_an_empty_state(client, home_page):
    response = client.get("/search/", {"query": "zzzzqqq"})
    assert response.status_code == 200
    assert "No results" in soup(response).find(class_="empty-state").get_text()


def test_search_paginates_and_keeps_the_query(client, home_page):
    for n in range(12):
        StandardPageFactory(parent=home_page, title=f"Housing primer {n}")
    first = client.get("/search/", {"query": "housing"})
    assert len(titles(first)) == 10
    next_link = soup(first).find("a", rel="next")
    assert next_link["href"] == "?query=housing&page=2"
    second = client.get("/search/" + next_link["href"])
    assert len(titles(second)) == 2


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999"])
def test_search_tolerates_bad_page_numbers(client, home_page, page):
    StandardPageFactory(parent=home_page, title="Housing")
    assert client.get("/search/", {"query": "housing", "page": page}).status_code == 200


def test_search_tolerates_empty_and_huge_queries(client, home_page):
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"query": "x" * 10_000}).status_code == 200
    assert client.get("/search/", {"query": "\"'<script>&%"}).status_code == 200


def test_sitemap_lists_live_pages_only(client, home_page):
    live = StandardPageFactory(parent=home_page, title="Live page", slug="live")
    draft = StandardPageFactory(parent=home_page, title="Draft page", slug="draft")
    draft.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<loc>http://localhost/live/</loc>" in body
    assert "<loc>http://localhost/</loc>" in body
    assert "/draft/" not in body
    assert live.url == "/live/"


def test_unknown_address_gets_the_designed_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = soup(response)
    assert html.h1.get_text(strip=True) == "We couldn't find that page"
    assert html.find("form", role="search")
    assert html.find("footer")


def test_500_page_renders_without_a_request():
    html = BeautifulSoup(render_to_string("500.html"), "html.parser")
    assert html.h1.get_text(strip=True) == "Something went wrong on our side"
    assert html.find("link", rel="stylesheet")


@override_settings(ROOT_URLCONF="tests.ops.broken_urls")
def test_server_error_uses_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
