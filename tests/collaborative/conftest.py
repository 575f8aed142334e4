"""Fixtures: the Leadership Collaborative and the news under the test site's home page."""

import io
import time

import pytest
from django.core.files.images import ImageFile
from wagtail.images.models import Image

from collaborative.factories import CollaborativePageFactory, InterestPageFactory, PillarPageFactory
from home.images import draw_demo_picture
from inbox.spam import make_token


@pytest.fixture
def collaborative(home_page):
    return CollaborativePageFactory(parent=home_page)


@pytest.fixture
def pillar(collaborative):
    return PillarPageFactory(
        parent=collaborative, title="Elected Officials as an Organized Force", slug="organized-force"
    )


@pytest.fixture
def interest_page(collaborative):
    return InterestPageFactory(parent=collaborative)


def make_image(title="Members meeting", description="Members meeting around a table", size=(800, 450)):
    data = draw_demo_picture(title, size=size)
    return Image.objects.create(title=title, description=description, file=ImageFile(io.BytesIO(data), name="t.jpg"))


@pytest.fixture
def picture(db):
    return make_image()


def answers(**extra):
    """A valid post of the interest form (shared with the bad-input battery)."""
    return {
        "name": "Jenn  Weaver",
        "email": "jenn@example.org",
        "role": "elected",
        "jurisdiction": "Hillsborough, NC",
        "leadership_position": "state_committee",
        "message": "I'd like to help plan the next convening.",
        "website": "",
        "form_token": make_token(time.time() - 30),
        **extra,
    }
