"""Rendered fragments (Wagtail's ``{% wagtailcache %}`` in the ``template_fragments`` cache, keyed by the
content's version: home/cache.py ``fragment_key``): cards, pictures and the home page's sections are
rendered once per content version, and once per epoch where time shows in
them (an event starting or ending). An editor's change and a moment passing show at once; a
preview's unsaved changes are never kept for anyone else."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.factories import EventPageFactory, TrainingIndexPageFactory
from home import cache as page_cache
from home import shell
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory
from tests.conftest import own_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Every request renders: what is measured here is the fragments, not whole pages."""
    settings.PAGE_CACHE_SECONDS = 0


CARD = Template("{% load wagtail_cache %}{% wagtailcache 3600 test-card pk heading %}{{ title }}{% endwagtailcache %}")


def card(request, title, pk=1, heading="h3"):
    return CARD.render(Context({"request": request, "title": title, "pk": pk, "heading": heading}))


def test_a_fragment_is_rendered_once_per_content_version_and_parts(rf):
    request = rf.get("/")
    assert card(request, "first") == "first"
    assert card(request, "changed without a content change") == "first"  # kept
    assert card(request, "another heading", heading="h2") == "another heading"  # other parts: another fragment
    page_cache.invalidate()  # any content change
    assert card(request, "after a change") == "after a change"


def test_the_fragment_cache_refuses_keys_without_the_content_version(settings):
    """Django's cache tag falls back to the default cache when the alias is missing: a deploy check refuses it."""
    assert page_cache.check_fragment_cache(None) == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [error.id for error in page_cache.check_fragment_cache(None)] == ["lpsite.E011"]


def test_a_preview_renders_afresh_and_keeps_nothing(rf):
    preview = rf.get("/")
    preview.is_preview = True  # as Wagtail's serve_preview marks it
    assert card(preview, "an editor’s unsaved title") == "an editor’s unsaved title"
    public = rf.get("/")
    assert card(public, "the published title") == "the published title"
    assert card(preview, "edited again") == "edited again"


def test_a_published_change_shows_on_the_cards_at_once(client, home_page):
    library = ResourceLibraryPageFactory(parent=home_page)
    resource = ResourcePageFactory(parent=library, title="Tenant protections toolkit")
    assert "Tenant protections toolkit" in client.get("/resources/").content.decode()
    resource.title = "Tenant protections handbook"
    resource.save_revision().publish()
    html = client.get("/resources/").content.decode()
    assert "Tenant protections handbook" in html
    assert "Tenant protections toolkit" not in html


def test_the_home_pages_trainings_follow_the_clock_without_any_change(client, home_page, monkeypatch):
    """Kept sections name the epoch: a training starting, then ending, shows on the next request."""
    trainings = TrainingIndexPageFactory(parent=home_page)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    EventPageFactory(parent=trainings, title="Budget basics", start=start, end=start + datetime.timedelta(hours=1))
    html = client.get("/").content.decode()
    assert "Budget basics" in html
    assert "Happening now" not in html

    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(minutes=30))
    html = client.get("/").content.decode()
    assert "Budget basics" in html
    assert "Happening now" in html

    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(hours=2))
    html = client.get("/").content.decode()
    assert "Budget basics" not in html
    assert "No trainings are scheduled right now" in html


def test_the_epoch_counts_the_moments_passed(home_page):
    trainings = TrainingIndexPageFactory(parent=home_page)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    closes = start - datetime.timedelta(hours=2)
    EventPageFactory(parent=trainings, start=start, end=start + datetime.timedelta(hours=1), registration_closes=closes)
    base = shell.epoch(closes - datetime.timedelta(seconds=1))
    assert shell.epoch(closes) == base + 1  # registration closed
    assert shell.epoch(start) == base + 2  # started
    assert shell.epoch(start + datetime.timedelta(hours=1)) == base + 3  # ended


def test_a_sections_home_page_reads_nothing_for_them_once_kept(client, home_page):
    trainings = TrainingIndexPageFactory(parent=home_page)
    EventPageFactory(parent=trainings, title="Budget basics")
    library = ResourceLibraryPageFactory(parent=home_page)
    ResourcePageFactory(parent=library, title="Tenant protections toolkit")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert own_queries(queries.captured_queries) == []  # Wagtail's own site lookup finds the page itself
    assert "Budget basics" in html
    assert "Tenant protections toolkit" in html


def test_an_events_more_sessions_follow_the_clock_and_a_publish(client, home_page, monkeypatch):
    from events.factories import EventSeriesPageFactory

    series = EventSeriesPageFactory(parent=TrainingIndexPageFactory(parent=home_page), title="Primers")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    shown = EventPageFactory(parent=series, title="Housing basics", start=start + datetime.timedelta(days=2))
    soon = EventPageFactory(parent=series, title="Budget basics", start=start, end=start + datetime.timedelta(hours=1))
    assert "Budget basics" in client.get(shown.url).content.decode()

    soon.title = "Budgets 101"
    soon.save_revision().publish()
    assert "Budgets 101" in client.get(shown.url).content.decode()

    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(hours=2))  # it has ended
    assert "Budgets 101" not in client.get(shown.url).content.decode()


def test_an_editors_preview_shows_unsaved_changes_and_visitors_never_see_them(client, home_page):
    """The page body is a fragment: a preview (Wagtail's own preview request) renders the unsaved body,
    and the public page, before and after, shows the published one."""
    from home.factories import StandardPageFactory

    page = StandardPageFactory(parent=home_page, slug="about", body=[("paragraph", "<p>Published words.</p>")])
    assert "Published words." in client.get("/about/").content.decode()  # the body's fragment kept
    page.body = [("paragraph", "<p>Unsaved words.</p>")]
    preview = page.make_preview_request()
    assert "Unsaved words." in preview.content.decode()
    assert "Published words." not in preview.content.decode()
    public = client.get("/about/").content.decode()
    assert "Published words." in public
    assert "Unsaved words." not in public
