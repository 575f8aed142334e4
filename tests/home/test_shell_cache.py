"""The shell's values (home/shell.py) and the generation (home/cache.py) cost as few cache reads as
they can: the generation once a request, a shared value once a process a generation."""

from unittest import mock

import pytest

from home import cache as page_cache
from home import shell
from tests.page_cache import cache_reads


def test_the_generation_is_read_once_a_request_and_again_after_a_change(monkeypatch):
    page_cache.generation()  # the first one is made (a read, an add and a read)
    reads = cache_reads(monkeypatch)
    with page_cache.request_scope():
        first = page_cache.generation()
        assert page_cache.generation() == first
        assert reads.count(page_cache.GENERATION_KEY) == 1
        page_cache._bump()  # content changed during the request (a POST that saves)
        assert page_cache.generation() == first + 1
        assert page_cache.generation() == first + 1
        assert reads.count(page_cache.GENERATION_KEY) == 2  # the new value, once
    # Outside a request every call reads the cache.
    page_cache.generation(), page_cache.generation()
    assert reads.count(page_cache.GENERATION_KEY) == 4


def test_shared_values_are_read_once_a_process_each_reader_getting_its_own_copy(monkeypatch):
    build = mock.Mock(side_effect=lambda: {"links": ["a"]})
    first = shell.shared("test-value", build)
    reads = cache_reads(monkeypatch)
    second = shell.shared("test-value", build)
    assert second == first == {"links": ["a"]}
    assert build.call_count == 1
    assert [key for key in reads if "test-value" in key] == []  # this process's copy answered
    second["links"].append("changed by one request")
    assert shell.shared("test-value", build) == {"links": ["a"]}


def test_a_change_seen_by_another_process_reaches_this_one(monkeypatch):
    """Another node bumps the shared generation: this process's copies are under the old one's keys."""
    values = iter(["before", "after"])
    assert shell.shared("test-node", lambda: next(values)) == "before"
    page_cache._cache().incr(page_cache.GENERATION_KEY)  # what another process's invalidate() does
    assert shell.shared("test-node", lambda: next(values)) == "after"


def test_another_processes_value_is_taken_from_djangos_cache(monkeypatch):
    shell.shared("test-peer", lambda: "built here")
    shell._local.clear()  # as a fresh process: only Django's cache has it
    assert shell.shared("test-peer", lambda: pytest.fail("built again")) == "built here"


def test_the_local_copies_are_bounded(monkeypatch):
    monkeypatch.setattr(shell._local, "max_entries", 3)
    for n in range(5):
        shell.shared("test-bounded", lambda n=n: n, n)
    assert len(shell._local) == 3


@pytest.mark.django_db
def test_a_page_reads_the_generation_once(client, home_page, monkeypatch):
    from home.factories import StandardPageFactory

    StandardPageFactory(parent=home_page, title="About us", slug="about")
    assert client.get("/about/").status_code == 200
    reads = cache_reads(monkeypatch)
    assert client.get("/about/").status_code == 200
    assert reads.count(page_cache.GENERATION_KEY) == 1
    assert [key for key in reads if key.startswith("lpsite:shell")] == []  # every shell value from this process


def test_deferred_pages_load_together_only_when_something_besides_the_id_is_read(home_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from home.factories import StandardPageFactory
    from home.shell import deferred_pages

    pages = [StandardPageFactory(parent=home_page, title=f"Page {n}") for n in range(3)]
    loads = []

    def load(ids):
        loads.append(list(ids))
        return Page.objects.filter(pk__in=ids).specific()

    with CaptureQueriesContext(connection) as ctx:
        deferred = deferred_pages([page.pk for page in reversed(pages)], load)
        assert [page.pk for page in deferred] == [page.pk for page in reversed(pages)]
        assert not isinstance(deferred[0], Page)  # no page pretends: a card's fragment asks for .specific
    assert ctx.captured_queries == [] and loads == []
    assert [page.title for page in deferred] == ["Page 2", "Page 1", "Page 0"]
    assert deferred[1].get_url() == pages[1].get_url()
    assert deferred[1].specific == pages[1] and isinstance(deferred[1].specific, Page)
    assert loads == [[page.pk for page in reversed(pages)]]  # one load for all of them


def test_held_values_are_bounded_by_name_and_dropped_with_their_generation():
    """A page's form class per page visited (many names' worth of parts) must not push out a search's
    facts, which cost far more to build; a new generation drops them all."""
    facts = mock.Mock(return_value=("facts",))
    with page_cache.request_scope():
        assert shell.held("search-facts", facts) == ("facts",)
        for pk in range(shell.HELD_MAX * 3):
            assert shell.held("form-class", lambda pk=pk: pk, pk) == pk
        assert shell.held("search-facts", facts) == ("facts",)
        assert facts.call_count == 1
        assert len(shell._held["form-class"]) <= shell.HELD_MAX
    page_cache._bump()
    with page_cache.request_scope():
        shell.held("other", lambda: 1)
        assert not shell._held["form-class"] and not shell._held["search-facts"]
        assert shell.held("search-facts", facts) == ("facts",)
        assert facts.call_count == 2
