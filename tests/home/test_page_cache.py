"""The page cache: anonymous pages from the cache, invalidated when what they show changes."""

import re
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.factories import EventPageFactory, EventSeriesPageFactory, TrainingIndexPageFactory
from home import cache as page_cache
from home.factories import StandardPageFactory
from home.models import NavigationSettings, SiteSettings
from inbox.spam import make_token
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory
from taxonomy.factories import IssueAreaFactory
from tests.page_cache import cache_reads, csrf_token, form_token_from_cached_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings, home_page):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FORM_RATE_LIMIT = None
    # Settings rows are created on first use, which (rightly) invalidates: create them up front.
    SiteSettings.for_site(home_page.get_site())
    NavigationSettings.for_site(home_page.get_site())
    cache.clear()
    yield
    cache.clear()


def get(client, url, **kwargs):
    """The response and the number of SQL queries it cost."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    return response, len(ctx.captured_queries)


@pytest.fixture
def about(home_page, django_capture_on_commit_callbacks):
    return StandardPageFactory(parent=home_page, title="About us", slug="about")


def test_a_second_anonymous_visit_is_a_hit_with_no_queries(client, about):
    first, _ = get(client, "/about/")
    assert first["X-Page-Cache"] == "miss"
    second, queries = get(client, "/about/")
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert queries == 0
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "s-maxage=" in second["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/resources/", "/resources/?q=housing", "/search/?query=about"])
def test_every_public_page_kind_is_cached(client, about, url):
    ResourceLibraryPageFactory(parent=about.get_parent())
    assert get(client, url)[0].status_code == 200
    response, queries = get(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert queries == 0


def test_publishing_a_change_shows_at_once(client, about):
    get(client, "/about/")
    about.title = "About the network"
    about.save_revision().publish()
    response, _ = get(client, "/about/")
    assert response["X-Page-Cache"] == "miss"
    assert "About the network" in response.content.decode()


def test_a_draft_does_not_change_the_public_page_but_publishing_does(client, about):
    get(client, "/about/")
    about.title = "Draft title"
    revision = about.save_revision()
    assert "Draft title" not in get(client, "/about/")[0].content.decode()
    revision.publish()
    assert "Draft title" in get(client, "/about/")[0].content.decode()


def test_unpublish_move_and_delete_invalidate(client, home_page, about):
    other = StandardPageFactory(parent=home_page, title="Programs", slug="programs")
    assert get(client, "/about/")[0].status_code == 200
    about.unpublish()
    assert get(client, "/about/")[0].status_code == 404
    about.save_revision().publish()
    assert get(client, "/about/")[0].status_code == 200
    about.move(other, pos="last-child")
    assert get(client, "/about/")[0].status_code in (301, 404)  # Wagtail may leave a redirect
    assert get(client, "/programs/about/")[0].status_code == 200
    get(client, "/programs/")
    about.delete()
    assert get(client, "/programs/about/")[0].status_code == 404


def test_a_snippet_change_shows_on_the_library_at_once(client, home_page):
    library = ResourceLibraryPageFactory(parent=home_page)
    area = IssueAreaFactory(slug="housing", name="Housing")
    ResourcePageFactory(parent=library, title="Right to counsel", issue_areas=[area])
    assert "Housing" in get(client, library.url)[0].content.decode()
    area.name = "Housing justice"
    area.save()
    assert "Housing justice" in get(client, library.url)[0].content.decode()


def test_site_settings_show_at_once(client, about):
    get(client, "/about/")
    settings_row = SiteSettings.for_site(about.get_site())
    settings_row.organisation_name = "Local Progress Test Lab"
    settings_row.save()
    assert "Local Progress Test Lab" in get(client, "/about/")[0].content.decode()


def test_staff_posts_and_the_admin_are_never_cached(client, about, django_user_model):
    staff = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    staff_client = Client()
    staff_client.force_login(staff)
    response, _ = get(staff_client, "/about/")
    assert "X-Page-Cache" not in response
    # The staff member's page (with Wagtail's user bar) was not stored for anyone else.
    assert get(client, "/about/")[0]["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in get(staff_client, "/about/")[0]
    assert "X-Page-Cache" not in staff_client.get("/admin/").headers
    assert "X-Page-Cache" not in client.post("/about/").headers
    preview = staff_client.get(f"/admin/pages/{about.pk}/edit/preview/")
    assert "X-Page-Cache" not in preview.headers


@pytest.fixture
def event(home_page):
    trainings = TrainingIndexPageFactory(parent=home_page)
    series = EventSeriesPageFactory(parent=trainings, title="Primers", slug="primers")
    return EventPageFactory(parent=series, title="Housing Justice", slug="housing-justice", capacity=2)


def registration_data(email):
    return {
        "name": "Jenn Weaver",
        "email": email,
        "role": "elected",
        "organisation": "Hillsborough, NC",
        "website": "",
        "form_token": make_token(time.time() - 30),
    }


def test_a_page_with_a_form_is_cached_and_every_visitor_gets_their_own_working_token(
    event, django_capture_on_commit_callbacks
):
    first_visitor, second_visitor = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first, _ = get(first_visitor, event.url)
    second, queries = get(second_visitor, event.url)
    assert second["X-Page-Cache"] == "hit"
    assert queries == 0
    token_a, token_b = csrf_token(first), csrf_token(second)
    assert token_a and token_b and token_a != token_b
    assert page_cache.CSRF_PLACEHOLDER not in second.content.decode()
    assert "private" in second["Cache-Control"]
    assert "csrftoken" in second.cookies
    # The token works: Django's own CSRF check accepts the registration.
    with django_capture_on_commit_callbacks(execute=True):
        response = second_visitor.post(
            event.url + "register/", {**registration_data("b@example.org"), "csrfmiddlewaretoken": token_b}
        )
    assert response.status_code in (200, 302, 303)
    # And is still required: a post without it is refused, as without the cache.
    refused = Client(enforce_csrf_checks=True).post(event.url + "register/", registration_data("c@example.org"))
    assert refused.status_code == 403


def test_seats_left_change_when_a_registration_changes(client, event, django_capture_on_commit_callbacks):
    get(client, event.url)
    assert get(client, event.url)[0]["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(event.url + "register/", registration_data("a@example.org"))
    response, _ = get(client, event.url)
    assert response["X-Page-Cache"] == "miss"


def test_a_visitor_with_a_pending_message_or_session_is_not_served_the_shared_page(client, about):
    get(client, "/about/")
    client.cookies["messages"] = "something"
    assert "X-Page-Cache" not in get(client, "/about/")[0]


def test_cache_until_bounds_the_lifetime_by_a_moment(rf, settings):
    import datetime

    from django.utils import timezone

    request = rf.get("/")
    page_cache.cache_until(request, timezone.now() + datetime.timedelta(seconds=90))
    page_cache.cache_until(request, timezone.now() + datetime.timedelta(hours=2))
    assert 85 <= request._page_cache_seconds <= 90


def test_the_cdn_is_purged_on_publish_when_configured(client, about, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://cdn.example.test:8000",
        }
    }
    with mock.patch("wagtail.contrib.frontend_cache.backends.http.urlopen") as urlopen:
        about.title = "About the network"
        about.save_revision().publish()
    purged = [call.args[0] for call in urlopen.call_args_list]
    assert purged, "publishing sent no PURGE"
    assert all(request.get_method() == "PURGE" for request in purged)
    assert any(request.full_url.endswith("/about/") for request in purged)


def test_no_purge_when_not_configured(client, about, settings):
    settings.WAGTAILFRONTENDCACHE = {}
    with mock.patch("wagtail.contrib.frontend_cache.backends.http.urlopen") as urlopen:
        about.save_revision().publish()
    assert not urlopen.called


def _redis_available():
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False


@pytest.mark.skipif(not _redis_available(), reason="Redis is not running on 127.0.0.1:6379")
def test_the_page_cache_works_on_redis(client, about, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "ops.cache_backend.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
            "KEY_PREFIX": f"lpsite-test-{time.time()}",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    get(client, "/about/")
    response, queries = get(client, "/about/")
    assert response["X-Page-Cache"] == "hit" and queries == 0
    about.title = "About the network"
    about.save_revision().publish()
    assert "About the network" in get(client, "/about/")[0].content.decode()
    from django.core.cache import caches

    caches["pages"].clear()


def test_placeholder_never_reaches_a_visitor(client, event):
    for _ in range(2):
        body = client.get(event.url).content.decode()
        assert page_cache.CSRF_PLACEHOLDER not in body
        assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', body)


def test_html_is_compressed_for_browsers_that_accept_it(client, about):
    for _ in range(2):  # the miss and the hit
        response = client.get("/about/", headers={"accept-encoding": "gzip, deflate, br"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
    assert "Content-Encoding" not in client.get("/about/").headers


def test_the_test_helper_gives_a_working_token_from_a_cache_hit(event, django_capture_on_commit_callbacks):
    client, token = form_token_from_cached_page(event.url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            event.url + "register/", {**registration_data("h@example.org"), "csrfmiddlewaretoken": token}
        )
    assert response.status_code in (200, 302, 303)


def test_resources_added_in_bulk_show_at_once(client, home_page, django_capture_on_commit_callbacks):
    """bench/bulk.py writes rows without signals: it starts a new generation itself."""
    from bench.bulk import bulk_create_resources
    from taxonomy.models import IssueArea, ResourceType

    library = ResourceLibraryPageFactory(parent=home_page, title="Resources", slug="resources")
    IssueArea.objects.create(name="Housing", slug="housing")
    IssueArea.objects.create(name="Workers", slug="workers")
    ResourceType.objects.create(name="Toolkit", slug="toolkit")
    first, _ = get(client, "/resources/")
    assert "0 resources" in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        bulk_create_resources(library, 3)
    response, _ = get(client, "/resources/")
    assert response["X-Page-Cache"] == "miss"
    assert "3 resources" in response.content.decode()


def test_a_hit_comes_from_the_processes_own_copy(client, about, monkeypatch):
    first, _ = get(client, "/about/")
    reads = cache_reads(monkeypatch, "lpsite:page:")
    second, queries = get(client, "/about/")
    assert second["X-Page-Cache"] == "hit" and queries == 0
    assert second.content == first.content
    assert reads == []  # no page transferred from Django's cache (Redis in production)


def test_a_page_stored_by_another_process_is_copied_on_its_first_hit(client, about, monkeypatch):
    get(client, "/about/")
    page_cache._local_pages.clear()  # as another process, which has only Django's cache
    reads = cache_reads(monkeypatch, "lpsite:page:")
    assert get(client, "/about/")[0]["X-Page-Cache"] == "hit"
    assert get(client, "/about/")[0]["X-Page-Cache"] == "hit"
    assert len(reads) == 1


def test_the_copy_ends_with_the_pages_own_lifetime(client, about, monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 60
    get(client, "/about/")
    assert get(client, "/about/")[0]["X-Page-Cache"] == "hit"
    later = time.time() + 61
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert get(client, "/about/")[0]["X-Page-Cache"] == "miss"


def test_a_change_on_another_process_reaches_this_ones_copies(client, about):
    get(client, "/about/")
    page_cache._cache().incr(page_cache.GENERATION_KEY)  # another process's invalidate()
    assert get(client, "/about/")[0]["X-Page-Cache"] == "miss"


def test_the_copies_are_bounded_by_size(monkeypatch):
    page = "x" * 10_000
    size = len(page_cache.pickle.dumps((page, False, 0.0), page_cache.pickle.HIGHEST_PROTOCOL))
    monkeypatch.setattr(page_cache._local_pages, "max_bytes", size * 8 + 100)  # eight pages; one may be an eighth
    expires = time.time() + 60
    for n in range(12):
        page_cache._local_pages.set(f"key-{n}", (page, False, expires), expires=expires)
    assert len(page_cache._local_pages) == 8
    assert page_cache._local_pages.size <= page_cache._local_pages.max_bytes
    assert page_cache._local_pages.get("key-0") is None  # the oldest went first
    assert page_cache._local_pages.get("key-11") == (page, False, expires)
    page_cache._local_pages.set("huge", ("y" * (size * 2), False, expires), expires=expires)  # over an eighth: not kept
    assert page_cache._local_pages.get("huge") is None
