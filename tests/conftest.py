"""Shared fixtures: a site whose root is a HomePage, like production."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Page, Site

from home.factories import HomePageFactory
from home.models import NavigationSettings, SiteSettings


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    media = Path(settings.MEDIA_ROOT)
    if media.parent.name == ".test-media" and media.exists():
        shutil.rmtree(media)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: a rolled-back test leaves its cached page shell
    (home/shell.py) and rate-limit counters behind, which the database no longer matches."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def home_page(db):
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


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)
