"""Shared fixtures: a site whose root is a HomePage, like production."""

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from home.factories import HomePageFactory
from home.models import NavigationSettings, SiteSettings

# Wagtail's own lookups on every page request: the site and its home page (``Site.find_for_request``, then
# the home page's specific row), the page's view restrictions (its ancestors, then their restrictions) and
# ``.public()``'s list of restrictions. Budgets for our own work count what is left.
WAGTAIL_PER_REQUEST = (
    '"wagtailcore_site"',
    '"home_homepage"',
    '"wagtailcore_page"."alias_of_id" FROM',
    '"wagtailcore_pageviewrestriction"',
)


def own_queries(captured):
    """The SQL of ``captured`` (a CaptureQueriesContext's list) that is not :data:`WAGTAIL_PER_REQUEST`."""
    return [q["sql"] for q in captured if not any(marker in q["sql"] for marker in WAGTAIL_PER_REQUEST)]


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        media = Path(root)
        if media.parent.name == ".test-media" and media.exists():
            shutil.rmtree(media)


def clear_caches():
    """Empty every cache, and this process's copies in front of them."""
    from django.core.cache import caches

    from home.cache import _local_pages
    from home.shell import _held, _local

    for cache in caches.all():
        cache.clear()
    _local.clear()  # the shell's copies in this process (home/shell.py)
    _local_pages.clear()  # and the page cache's (home/cache.py)
    _held.clear()  # and the search facts it holds (home/shell.py held)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: a rolled-back test leaves its cached page shell
    (home/shell.py) and rate-limit counters behind, which the database no longer matches."""
    clear_caches()


def make_home_page():
    """A live HomePage set as the default site's root (the welcome page removed)."""
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    root.refresh_from_db()
    home = HomePageFactory(parent=root, slug="home")
    site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="lpsite")
    # As `seed_demo` does: the settings row exists before the first visit, so a first page view
    # does not write it (which would start a new cache generation, home/cache.py).
    SiteSettings.for_site(site)
    NavigationSettings.for_site(site)
    return home


def staff(username, group_name=None, **extra):
    """A user with password "pw" in the staff group ``group_name`` (home/roles.py), if any."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw", **extra)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def home_page(db):
    """A live HomePage set as the default site's root (the welcome page removed)."""
    return make_home_page()


@contextmanager
def shared_data(django_db_blocker):
    """For data several tests share (a module's, one parameter's): a transaction that is rolled back after
    the last of them, as Django's ``TestCase.setUpTestData`` does. Build inside ``django_db_blocker.unblock()``;
    each test still runs in a savepoint of its own inside it, so what one test writes never reaches the next.

    Only for tests that are not transactional (``transaction=True`` tests empty the tables)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)


@pytest.fixture(scope="session")
def _demo_copy(django_db_setup, django_db_blocker):
    """`seed_demo`'s result, its pictures' renditions made, read into memory once per test process
    (tests/demo.py)."""
    from django.core.management import call_command

    from tests.demo import DemoCopy, make_renditions

    copy = DemoCopy()
    with shared_data(django_db_blocker), django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        make_renditions()
        copy.take()
    return copy


@pytest.fixture
def demo(_demo_copy, db):
    """The demo site, as `seed_demo` leaves it, in this test's transaction (rolled back after it).
    Returns the default site."""
    _demo_copy.restore()
    clear_caches()
    return Site.objects.get(is_default_site=True)


def pytest_runtest_setup(item):
    """A transactional test must restore the database as its peers do (``serialized_rollback=True``): a plain
    flush re-creates content types and permissions, and the next serialized test then fails to set up (on
    PostgreSQL, 31 of them once)."""
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
        pytest.fail("django_db(transaction=True) needs serialized_rollback=True here (tests/conftest.py)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test (the browser tests, the concurrency tests) has emptied the
    tables, put back what migrations created (root page, default site, groups, collections).

    Django restores that data when such a test *starts* (serialized_rollback), so the tests
    after it that are not transactional found an empty database whenever they ran later in
    the same process. pytest-django runs transactional tests last, but pytest-xdist's work
    stealing can hand a worker ordinary tests after them."""
    yield
    marker = item.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction") and marker.kwargs.get("serialized_rollback")):
        return
    if nextitem is None:
        # The last test: the test databases are gone by now and the settings name the real one again.
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
