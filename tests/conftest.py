"""Shared fixtures: a site whose root is a HomePage, like production."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Page, Site

from home.factories import HomePageFactory


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    media = Path(settings.MEDIA_ROOT)
    if media.name == ".test-media" and media.exists():
        shutil.rmtree(media)


@pytest.fixture
def home_page(db):
    """A live HomePage set as the default site's root (the welcome page removed)."""
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    root.refresh_from_db()
    home = HomePageFactory(parent=root, slug="home")
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="lpsite")
    return home


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)
