"""Fixtures for the trainings tests: the /trainings/ section under the test site's home page."""

import datetime
import zoneinfo

import pytest

from events.factories import EventSeriesPageFactory, TrainingIndexPageFactory
from home import roles
from taxonomy.factories import IssueAreaFactory
from tests.conftest import staff

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
UTC = datetime.UTC


@pytest.fixture
def trainings(home_page):
    return TrainingIndexPageFactory(parent=home_page)


@pytest.fixture
def primers(trainings):
    return EventSeriesPageFactory(
        parent=trainings,
        title="Policy & Strategy Primers",
        slug="policy-strategy-primers",
        body=[
            (
                "faq",
                {
                    "heading": "Frequently asked questions",
                    "items": [
                        {"question": "Can I invite my staff to join?", "answer": "<p>Yes! As many as they like.</p>"}
                    ],
                },
            )
        ],
    )


@pytest.fixture
def housing(db):
    return IssueAreaFactory(slug="housing", name="Housing")


@pytest.fixture
def safety(db):
    return IssueAreaFactory(slug="community-safety", name="Community safety")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(fn, *args): call fn, then its after-commit callbacks (email delivery), as the end of a request would."""

    def _run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return _run


@pytest.fixture
def events_staff(client):
    """A member of the Events staff group, logged in."""
    user = staff("eva", roles.EVENTS_STAFF, first_name="Eva", last_name="Events")
    client.force_login(user)
    return user
