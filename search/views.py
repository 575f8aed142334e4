"""The site search (/search/): one full-text match per request over the site's own index (engine.py)."""

from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from home.pagination import paginate
from home.shell import deferred_pages, held
from search.engine import (
    MAX_QUERY_LENGTH,
    RankedSearch,
    bitset,
    candidate_mask,
    clean_query,
    entry_pages,
    search_terms,
)

__all__ = ["MAX_QUERY_LENGTH", "result_label", "search", "search_terms"]

SEARCH_RESULTS_PER_PAGE = 10

# What a result is, in the words members use (app_label.model -> label).
# Anything not listed is a "Page".
RESULT_LABELS = {
    "library.resourcepage": "Resource",
    "library.resourcelibrarypage": "Resource library",
    "events.eventpage": "Training",
    "events.eventseriespage": "Training series",
    "events.trainingindexpage": "Trainings",
    "news.articlepage": "News",
    "helpdesk.helpdeskpage": "Help Desk",
}


def result_label(page):
    """ "Resource: Toolkit", "Training", "Page"...: what a search result is, for people."""
    label = RESULT_LABELS.get(page._meta.label_lower, "Page")
    kind = getattr(page, "resource_type", None) if label == "Resource" else None
    return f"{label}: {kind.name}" if kind else label


class RankedPages:
    """Ids of the visible pages matching ``terms``, best first, sized for Django's Paginator.

    One statement per slice: the full-text match (search/engine.py), ranked as far as the slice needs,
    over the index entries of the pages the site shows (kept per content generation); the total is the
    number of those it found.
    """

    def __init__(self, pages, terms, page_number=None, per_page=SEARCH_RESULTS_PER_PAGE, *, site=None):
        self.pages, self.terms, self.site = pages, terms, site
        self.timed_out = False
        self._total = None
        self._slices = {}
        self._ranked = None  # the match, once made, reused by a later slice (search/engine.py RankedSearch)
        try:
            number = max(int(page_number or 1), 1)
        except (TypeError, ValueError):
            number = 1
        self._first = ((number - 1) * per_page, per_page)

    def _entries(self):
        """``{index entry id: page id}`` of the pages searched, their candidate mask and their bitset
        (search/engine.py), kept per content generation by this process."""

        def build():
            pages = entry_pages(Page, self.pages.values_list("pk", flat=True))
            return pages, candidate_mask(pages), bitset(pages)

        return held("site-search-entries", build, self.site.pk if self.site else "")

    def _fetch(self, offset, limit):
        pages, mask, searched = self._entries()
        if self._ranked is None:
            self._ranked = RankedSearch(Page, self.terms, pages, mask)
        found, hits = self._ranked.page(offset, limit)
        self.timed_out = self._ranked.timed_out
        self._total = (found.entries & searched).bit_count()
        self._slices[(offset, limit)] = [pages[entry] for entry in hits]

    def count(self):
        if self._total is None:
            self._fetch(*self._first)
        return self._total

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        start, stop = index.start or 0, index.stop
        for (offset, limit), ids in self._slices.items():
            if offset == start and stop - start <= limit:
                return ids[: stop - start]
        self._fetch(start, stop - start)
        return self._slices[(start, stop - start)]


def _results(ids):
    """The pages with these ids as search results: specific, labelled."""
    results = list(Page.objects.filter(pk__in=ids).specific())
    resources = [page for page in results if page._meta.label_lower == "library.resourcepage"]
    prefetch_related_objects(resources, "resource_type")
    for page in results:
        page.result_label = result_label(page)
    return results


@require_safe
def search(request):
    """Full-text search over the live, public pages of the current site.

    One full-text match (search/engine.py) ranks every page, titles above
    bodies; only the page of results shown is loaded.
    """
    query = clean_query(request.GET.get("query"))
    results_page = None
    paginator = None
    timed_out = False
    terms = search_terms(query)
    if terms:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public()
        if site:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        ranked = RankedPages(pages, terms, request.GET.get("page"), SEARCH_RESULTS_PER_PAGE, site=site)
        results_page = paginate(ranked, request.GET.get("page"), SEARCH_RESULTS_PER_PAGE)
        timed_out = ranked.timed_out
        paginator = results_page.paginator
        # Each result is a fragment named by its page (templates/search/search.html): loaded only if one is not kept.
        results_page.object_list = deferred_pages(results_page.object_list, _results)
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "search_querystring": urlencode({"query": query}),
            "results": results_page,
            "paginator": paginator,
            "timed_out": timed_out,
        },
        status=503 if timed_out else 200,
    )
