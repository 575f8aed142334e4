"""The page cache is right by construction (home/cache.py): a change drops what shows it and nothing else,
time-bound pages turn on time, one process renders a changed page while the others serve their copy, and
processes sharing the cache see each other's changes."""

import datetime
import os
import subprocess
import sys
import uuid

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from events.factories import EventPageFactory, EventSeriesPageFactory, TrainingIndexPageFactory
from events.registration.models import Registration
from helpdesk.factories import HelpDeskPageFactory
from helpdesk.models import HelpDeskRequest
from home import cache as page_cache
from home.factories import StandardPageFactory
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory
from lpsite.settings.base import with_fragment_cache
from tests.conftest import clear_caches
from tests.helpdesk.conftest import intake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings, home_page):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FORM_RATE_LIMIT = None
    settings.HELPDESK_NOTIFY_EMAILS = []
    cache.clear()


@pytest.fixture
def site_pages(home_page):
    library = ResourceLibraryPageFactory(parent=home_page)
    ResourcePageFactory(parent=library, title="Just-Cause Eviction Ordinance")
    trainings = TrainingIndexPageFactory(parent=home_page)
    series = EventSeriesPageFactory(parent=trainings, title="Primers", slug="primers")
    first = EventPageFactory(parent=series, title="Housing Justice", slug="housing-justice", capacity=5)
    second = EventPageFactory(parent=series, title="Media Strategies", slug="media-strategies", capacity=5)
    help_desk = HelpDeskPageFactory(parent=home_page, library_page=library)
    about = StandardPageFactory(parent=home_page, title="About us", slug="about")
    return {"library": library, "first": first, "second": second, "help_desk": help_desk, "about": about}


def how(url):
    return Client().get(url)["X-Page-Cache"]


def warm(*urls):
    for url in urls:
        Client().get(url)
        assert how(url) == "hit", url


def register(event, email, run):
    data = {**intake(email=email), "role": "elected", "organisation": "Hillsborough, NC"}
    return run(Client().post, event.url + "register/", data)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return _run


def test_a_help_desk_request_leaves_every_public_page_cached(site_pages, run):
    urls = ["/", "/about/", site_pages["library"].url, "/resources/?q=eviction", site_pages["first"].url]
    warm(*urls)
    response = run(Client().post, site_pages["help_desk"].url, intake())
    assert response.status_code == 302 and HelpDeskRequest.objects.count() == 1
    assert [how(url) for url in urls] == ["hit"] * len(urls)


def test_a_registration_drops_only_the_pages_showing_that_sessions_seats(site_pages, run):
    first, second = site_pages["first"], site_pages["second"]
    urls = ["/about/", site_pages["library"].url, second.url, first.url]
    warm(*urls)
    response = register(first, "a@example.org", run)
    assert response.status_code in (302, 303) and Registration.objects.count() == 1
    assert [how(url) for url in urls[:3]] == ["hit", "hit", "hit"]
    page = Client().get(first.url)
    assert page["X-Page-Cache"] == "miss"
    assert "4 seats left" in page.text


def test_a_registration_changed_in_the_inbox_shows_on_its_session(site_pages, run):
    first = site_pages["first"]
    register(first, "a@example.org", run)
    warm(first.url)
    registration = Registration.objects.get()
    registration.status = "cancelled"
    run(registration.save)
    page = Client().get(first.url)
    assert page["X-Page-Cache"] == "miss" and "5 seats left" in page.text


def test_a_publish_drops_every_page(site_pages, run):
    urls = ["/about/", site_pages["library"].url, site_pages["first"].url]
    warm(*urls)
    about = site_pages["about"]
    about.title = "About the Impact Lab"
    run(about.save_revision().publish)
    assert [how(url) for url in urls] == ["miss"] * 3


def test_a_settings_change_drops_every_page_but_keeps_what_no_setting_feeds(site_pages, run, monkeypatch):
    """The shell (site settings, navigation) shows on every page, so every page drops and shows the change at
    once; the library's search facts and the routes are built from pages only and stay (home/cache.py SHELL)."""
    from home.models import SiteSettings
    from library.search import Facts

    urls = ["/about/", site_pages["library"].url + "?q=eviction"]
    warm(*urls)
    builds = []
    build = Facts.build
    monkeypatch.setattr(Facts, "build", lambda *args: builds.append(1) or build(*args))
    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.contact_email = "desk-changed@example.org"
    run(settings_row.save)
    page = Client().get("/about/")
    assert page["X-Page-Cache"] == "miss" and "desk-changed@example.org" in page.text
    assert how(urls[1]) == "miss" and builds == []  # rendered again with the facts kept
    page_cache.invalidate()  # a page change, by contrast, builds them again
    Client().get(urls[1])
    assert builds == [1]


def test_a_session_page_turns_to_happening_now_when_it_starts(home_page):
    trainings = TrainingIndexPageFactory(parent=home_page)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)
    event = EventPageFactory(parent=trainings, start=start, end=start + datetime.timedelta(hours=1))
    before = Client().get(event.url)
    assert before["X-Page-Cache"] == "miss" and "Happening now" not in before.text
    assert how(event.url) == "hit"
    with time_machine.travel(start + datetime.timedelta(seconds=1), tick=False):
        during = Client().get(event.url)
    assert during["X-Page-Cache"] == "miss"
    assert "Happening now" in during.text


def test_the_cdn_lifetime_ends_with_the_page_at_the_next_moment(home_page, settings):
    settings.PAGE_CACHE_CDN_SECONDS = 600
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=90)
    EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page), start=start)
    page = StandardPageFactory(parent=home_page, slug="plain")
    control = Client().get(page.url)["Cache-Control"]
    seconds = int(control.split("s-maxage=")[1].split(",")[0])
    assert 0 < seconds <= 90


def test_after_a_change_one_process_renders_while_the_others_serve_their_copy(site_pages):
    about = site_pages["about"]
    warm(about.url)
    page_cache.invalidate()
    key = page_cache._key(Client().get("/about/").wsgi_request)
    # Another process is rendering it: this one serves the copy it has, marked stale, never for a CDN.
    page_cache.invalidate()
    assert cache.add(key + ":rendering", 1, 10)
    stale = Client().get(about.url)
    assert stale["X-Page-Cache"] == "stale" and "no-cache" in stale["Cache-Control"]
    cache.delete(key + ":rendering")
    fresh = Client().get(about.url)
    assert fresh["X-Page-Cache"] == "miss"
    assert how(about.url) == "hit"


def test_a_page_that_is_gone_is_not_served_from_the_stale_copy(site_pages, run):
    about = site_pages["about"]
    warm(about.url)
    run(about.unpublish)
    assert Client().get(about.url).status_code == 404
    assert Client().get(about.url).status_code == 404


def test_production_refuses_a_cache_each_process_keeps_to_itself(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(SystemCheckError, match="lpsite.E010"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "caches")


def test_a_shared_cache_passes_the_deploy_check(settings):
    settings.CACHES = {
        "default": {"BACKEND": "ops.cache_backend.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    }
    assert [error.id for error in page_cache.check_shared_cache(None)] == []


def redis_up():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


BUMP_IN_ANOTHER_PROCESS = """
import django, sys
django.setup()
from home import cache as page_cache
page_cache.bump(*sys.argv[1:])
"""


def bump_in_another_process(redis_url, prefix, *scopes):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lpsite.settings.dev",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", BUMP_IN_ANOTHER_PROCESS, *scopes]
    subprocess.run(command, env=env, check=True, timeout=60)  # noqa: S603 - our own script


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379 (CI's machine runs it)")
def test_two_processes_sharing_redis_see_each_others_changes(site_pages, settings):
    redis_url = "redis://127.0.0.1:6379/15"
    prefix = f"lpsite-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = with_fragment_cache(
        {
            "default": {
                "BACKEND": "ops.cache_backend.ResilientRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            }
        }
    )
    clear_caches()
    first, about = site_pages["first"], site_pages["about"]
    warm(about.url, first.url)  # this process keeps its own copies too (home/cache.py LocalCopies)
    # A registration for the session, handled by another process: only that session's page drops.
    bump_in_another_process(redis_url, prefix, "seats", f"seats:{first.pk}")
    assert how(about.url) == "hit"
    assert how(first.url) == "miss"
    # A publish handled by another process: every page drops here too.
    bump_in_another_process(redis_url, prefix, "content")
    assert how(about.url) == "miss"
    assert how(first.url) == "miss"
    assert how(first.url) == "hit"
    page_cache._cache().clear()
