"""Site-wide views: search and robots.txt."""

import re
from urllib.parse import urlencode

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from .pagination import paginate

SEARCH_RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200
# Punctuation means nothing to full-text search and some of it (quotes,
# brackets) is syntax to SQLite's FTS5, so only words reach the backend.
NON_WORD = re.compile(r"[^\w\s]+")


def search_terms(query):
    """The words of a visitor's query, safe to hand to any search backend."""
    return " ".join(NON_WORD.sub(" ", query).split())


@require_safe
def search(request):
    """Full-text search over the live, public pages of the current site."""
    query = request.GET.get("query", "").strip()[:MAX_QUERY_LENGTH]
    results_page = None
    paginator = None
    terms = search_terms(query)
    if terms:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public()
        if site:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = pages.specific().search(terms)
        results_page = paginate(results, request.GET.get("page"), SEARCH_RESULTS_PER_PAGE)
        paginator = results_page.paginator
    return render(
        request,
        "home/search.html",
        {
            "search_query": query,
            "search_querystring": urlencode({"query": query}),
            "results": results_page,
            "paginator": paginator,
        },
    )


@require_safe
def robots_txt(request):
    """robots.txt that keeps crawlers out of the admin and names the sitemap."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")


def bad_request(request, exception=None):
    """The 400 page, rendered without touching the request body.

    Django's default handler runs the CSRF check again, which re-reads the
    body that just failed to parse (a form posted as UTF-7, UTF-16, Latin-1…)
    and turned every such 400 into a 500. The page needs nothing from the
    request, so a malformed one cannot break it.
    """
    return HttpResponseBadRequest(render_to_string("400.html"))
