"""Fixtures for the Help Desk tests: the page under the test site's home, a library, staff users."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from helpdesk.factories import HelpDeskPageFactory
from home import roles
from inbox.spam import make_token
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory
from taxonomy.factories import IssueAreaFactory


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORM_RATE_LIMIT = None
    settings.HELPDESK_NOTIFY_EMAILS = []


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(fn, *args): call fn, then its after-commit callbacks (email delivery), as the end of a request would."""

    def _run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return _run


@pytest.fixture
def client(client, run):
    """The test client, delivering each request's emails when the request is done."""
    original_post = client.post
    client.post = lambda *args, **kwargs: run(original_post, *args, **kwargs)
    return client


@pytest.fixture
def housing(db):
    return IssueAreaFactory(slug="housing", name="Housing")


@pytest.fixture
def library(home_page):
    return ResourceLibraryPageFactory(parent=home_page)


@pytest.fixture
def eviction_resource(library, housing):
    return ResourcePageFactory(
        parent=library,
        title="Just-Cause Eviction Ordinance",
        slug="just-cause-eviction",
        summary="Model ordinance text protecting renters from no-fault eviction.",
        issue_areas=[housing],
    )


@pytest.fixture
def help_desk(home_page, library):
    return HelpDeskPageFactory(parent=home_page, library_page=library)


def make_user(username, group=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="pw", email=f"{username}@lp.example", first_name=username.title(), **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def staff(db):
    return make_user("hana", roles.HELP_DESK_STAFF)


@pytest.fixture
def colleague(db):
    return make_user("colin", roles.HELP_DESK_STAFF)


@pytest.fixture
def superuser(db):
    return make_user("root", is_superuser=True, is_staff=True)


def intake(**extra):
    data = {
        "name": "Jenn Weaver",
        "email": "Jenn@Example.org",
        "role": "elected",
        "office": "Office of Mayor Weaver",
        "jurisdiction": "Hillsborough, NC",
        "category": "policy",
        "issue_area": "",
        "question": "Examples of just-cause eviction ordinances?",
        "details": "Our council votes in March on renter protections; we need ordinance examples.",
        "needed_by": "",
        "preferred_contact": "email",
        "phone": "",
        "website": "",
        "form_token": make_token(time.time() - 30),
    }
    data.update(extra)
    return data
