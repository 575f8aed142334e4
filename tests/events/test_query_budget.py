"""Listings cost the same number of queries however many events there are."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.signal_handlers import disable_reference_index_auto_update

from events.factories import EventPageFactory
from tests.conftest import own_queries

from .conftest import UTC

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 2, 10, 17, 0, tzinfo=UTC)
# Issue 13: at most 12 queries a page kind (the page shell is read once per content generation,
# home/shell.py); the point here is also that the count does not grow with the data.
BUDGET = 12


def add_events(count, trainings, series, areas, offset=0):
    """Half in the series, half standalone; every third already over; each with two issue areas.

    Neither the search index nor Wagtail's reference index is updated meanwhile: on PostgreSQL Wagtail's
    database backend re-weighs the whole index on every page saved, which makes 500 pages quadratic.
    The listings never search nor show where a page is used.
    """
    backends = {name: {**conf, "AUTO_UPDATE": False} for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()}
    # Belt and braces: the setting alone did not stop indexing in a full run on PostgreSQL.
    no_indexing = mock.patch("modelsearch.signal_handlers.insert_or_update_object_task")
    with override_settings(WAGTAILSEARCH_BACKENDS=backends), no_indexing, disable_reference_index_auto_update():
        _add_events(count, trainings, series, areas, offset)


def _add_events(count, trainings, series, areas, offset):
    for n in range(offset, offset + count):
        start = NOW + datetime.timedelta(hours=6 * n - (600 if n % 3 == 0 else 0))
        EventPageFactory(
            parent=series if n % 2 else trainings,
            title=f"Session {n}",
            slug=f"session-{n}",
            start=start,
            end=start + datetime.timedelta(hours=1),
            issue_areas=[areas[n % 2], areas[(n + 1) % 3]],
        )


def count_queries(client, url):
    client.get(url)  # the page shell's data is read once per content change (home/shell.py)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(own_queries(queries.captured_queries)), response.content.decode()


URLS = [
    "/trainings/",
    "/trainings/past/",
    "/trainings/?issue=housing",
    "/trainings/?series=policy-strategy-primers&issue=community-safety",
    "/trainings/policy-strategy-primers/",
    "/",
]


def test_trainings_listings_issue_the_same_queries_with_10_or_100_events(client, trainings, primers, housing, safety):
    """100 events: four pages of the listing, and the series' sessions well past what one screen shows (500
    took 16-24 s of CI through Wagtail's add_child, and proved no more). The counts must not move at all."""
    from taxonomy.factories import IssueAreaFactory

    areas = [housing, safety, IssueAreaFactory(slug="communications", name="Communications")]
    with time_machine.travel(NOW, tick=False):
        add_events(10, trainings, primers, areas)
        client.get("/trainings/")  # warm caches that are per process, not per request
        small = {url: count_queries(client, url) for url in URLS}

        add_events(90, trainings, primers, areas, offset=10)
        large = {url: count_queries(client, url) for url in URLS}

    for url in URLS:
        assert large[url][0] == small[url][0], (
            f"{url}: {small[url][0]} queries with 10 events, {large[url][0]} with 100"
        )
        assert large[url][0] <= BUDGET, f"{url}: {large[url][0]} queries"
    # The big listing really shows a full page of the 100, with pagination.
    assert large["/trainings/"][1].count('<article class="event-card') == 24
    assert "page 1 of" in large["/trainings/"][1]


WARM_URLS = [url for url in URLS if url != "/"] + ["/trainings/past/?issue=housing&page=2"]


def test_warm_trainings_listings_and_a_series_read_nothing_and_follow_the_clock(
    client, trainings, primers, housing, safety
):
    """Once the events' facts and cards are kept (events/listing.py), the listings, their past page and a
    series page (with its picture and registration form) cost no query at all; the time-bound parts still
    follow the clock, and a published change shows on the next request."""
    from home.images import ensure_demo_image
    from taxonomy.factories import IssueAreaFactory

    areas = [housing, safety, IssueAreaFactory(slug="communications", name="Communications")]
    with time_machine.travel(NOW, tick=False):
        primers.lead_image = ensure_demo_image("Primers picture", "")
        primers.save_revision().publish()
        add_events(40, trainings, primers, areas)
        for url in WARM_URLS:
            assert count_queries(client, url)[0] == 0, url
        queries, session = count_queries(client, "/trainings/policy-strategy-primers/session-1/")
        assert queries == 0, "an event page: its issue areas come from the kept facts too"
        tags = session[session.index('<ul class="event-tags">') :]
        tags = tags[: tags.index("</ul>")]
        assert "Housing" not in tags
        assert 0 < tags.index(">Communications</a>") < tags.index(">Community safety</a>")  # by name
        html = count_queries(client, "/trainings/policy-strategy-primers/")[1]
        assert 'id="register"' in html and "<picture" in html and 'property="og:image"' in html
        soonest = count_queries(client, "/trainings/")[1]
        assert soonest.index("Session 1<") < soonest.index("Session 2<")

    # Session 1 (NOW + 6 h, an hour long) has ended: the next request shows it past, still without a query.
    with time_machine.travel(NOW + datetime.timedelta(hours=8), tick=False):
        queries, upcoming = count_queries(client, "/trainings/")
        assert queries == 0
        assert "Session 1<" not in upcoming and "Session 2<" in upcoming
        queries, past = count_queries(client, "/trainings/past/")
        assert queries == 0
        assert past.index("Session 1<") < past.index("Session 39<")  # newest first (39 ended days ago)

        # A new session published now shows at once, on the listing and on its series' page.
        EventPageFactory(
            parent=primers,
            title="Freshly published",
            slug="fresh",
            start=NOW + datetime.timedelta(hours=9),
            end=NOW + datetime.timedelta(hours=10),
        )
        assert "Freshly published" in client.get("/trainings/").content.decode()
        assert "Freshly published" in client.get("/trainings/policy-strategy-primers/").content.decode()
