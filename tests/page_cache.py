"""Test helpers for pages served from the page cache (home/cache.py), forms included.

    from tests.page_cache import page_cache_on, form_token_from_cached_page

    def test_my_form_works_on_a_cached_page(settings, my_page):
        page_cache_on(settings)
        client, token = form_token_from_cached_page(my_page.url)
        response = client.post(my_page.url, {..., "csrfmiddlewaretoken": token})

The client enforces CSRF like a browser; the token comes from a cache hit,
so the test proves the form works when the page is served from the cache.
"""

from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client

from home import cache as page_cache


def page_cache_on(settings, seconds=300):
    """Turn the page cache on for this test (the test settings turn it off) and start empty."""
    settings.PAGE_CACHE_SECONDS = seconds
    cache.clear()


def csrf_token(response):
    """The value of the form's csrfmiddlewaretoken field, or None."""
    field = BeautifulSoup(response.content, "html.parser").find("input", attrs={"name": "csrfmiddlewaretoken"})
    return field["value"] if field else None


def form_token_from_cached_page(url):
    """(client, token): a CSRF-enforcing client that got ``url`` as a cache hit, and its form's token."""
    Client().get(url)  # fill the cache as another visitor
    client = Client(enforce_csrf_checks=True)
    response = client.get(url)
    assert response.get("X-Page-Cache") == "hit", "the page was not served from the page cache"
    token = csrf_token(response)
    assert token, "the cached page has no CSRF token in its form"
    return client, token


def cache_reads(monkeypatch, prefix=""):
    """A list that records every key starting with ``prefix`` read from Django's cache from now on (with
    Redis, as in production, every read is a round trip)."""
    reads = []
    store = page_cache._cache()
    real_get = store.get

    def get(key, *args, **kwargs):
        if key.startswith(prefix):
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(store, "get", get)
    return reads
