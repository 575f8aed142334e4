"""Every public form and listing the bad-input battery attacks: the one place new ones join.

A form joins by adding a :class:`FormTarget` to ``FORMS``; a listing by
adding a :class:`ListingTarget` to ``LISTINGS``. ``build(home_page)`` creates
what it needs under the test site's home page (factories) and returns the
URL and a valid submission; ``saved()`` is the queryset a submission adds
rows to; ``closed(home_page)`` returns URLs of the same form on targets that
must refuse (unpublished, closed, past) with the status expected.

    FormTarget(
        name="help desk",
        build=build_help_desk,            # -> ("/help-desk/", {"name": ..., "email": ..., ...})
        saved=lambda: HelpDeskRequest.objects.all(),
        text_fields=["name", "email", "message"],
        email_field="email",
        spam_status="spam",               # tampered tokens are stored as spam, not dropped
        status_field="status",
        closed=lambda home: [],
    )
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from events.factories import EventPageFactory, EventSeriesPageFactory, IssueAreaFactory, TrainingIndexPageFactory
from events.registration.models import Registration
from home.spam import make_token
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory, ResourceTypeFactory


def fresh_token():
    return make_token(time.time() - 30)


@dataclass
class FormTarget:
    name: str
    build: Callable  # home_page -> (url, valid data)
    saved: Callable  # () -> queryset of what a submission creates
    text_fields: list
    email_field: str = "email"
    status_field: str = "status"
    spam_status: str = "spam"
    closed: Callable = field(default=lambda home_page: [])  # home_page -> [(url, data, expected status)]


@dataclass
class ListingTarget:
    name: str
    build: Callable  # home_page -> url
    params: list


def _registration_data(**extra):
    return {
        "name": "Jenn Weaver",
        "email": "jenn@example.org",
        "role": "elected",
        "organisation": "Hillsborough, NC",
        "website": "",
        "form_token": fresh_token(),
        **extra,
    }


def _trainings(home_page):
    from events.models import TrainingIndexPage

    return TrainingIndexPage.objects.child_of(home_page).first() or TrainingIndexPageFactory(parent=home_page)


def build_event_registration(home_page):
    event = EventPageFactory(parent=_trainings(home_page), title="Battery event")
    return event.url + "register/", _registration_data()


def build_series_registration(home_page):
    series = EventSeriesPageFactory(parent=_trainings(home_page), title="Battery series")
    session = EventPageFactory(parent=series, title="Battery session")
    return series.url + "register/", _registration_data(sessions=[str(session.pk)])


def closed_registrations(home_page):
    trainings = _trainings(home_page)
    now = timezone.now()
    closed = EventPageFactory(parent=trainings, title="Closed", registration_closes=now - datetime.timedelta(hours=1))
    past_start = now - datetime.timedelta(days=2)
    past = EventPageFactory(
        parent=trainings, title="Past", start=past_start, end=past_start + datetime.timedelta(hours=1)
    )
    draft = EventPageFactory(parent=trainings, title="Draft")
    draft_url = draft.url + "register/"
    draft.unpublish()
    return [
        (closed.url + "register/", _registration_data(), 409),
        (past.url + "register/", _registration_data(), 409),
        (draft_url, _registration_data(), 404),
    ]


def build_library(home_page):
    library = ResourceLibraryPageFactory(parent=home_page)
    ResourcePageFactory(parent=library, resource_type=ResourceTypeFactory(), title="Zoning primer")
    IssueAreaFactory(name="Housing", slug="housing")
    return library.url


def build_trainings(home_page):
    trainings = _trainings(home_page)
    EventPageFactory(parent=trainings, title="Listed event")
    return trainings.url


def build_past_trainings(home_page):
    return build_trainings(home_page) + "past/"


def build_help_desk(home_page):
    from helpdesk.factories import HelpDeskPageFactory
    from helpdesk.models import HelpDeskPage

    page = HelpDeskPage.objects.child_of(home_page).first() or HelpDeskPageFactory(parent=home_page)
    return page.url, {
        "name": "Jenn Weaver",
        "email": "jenn@example.org",
        "role": "elected",
        "office": "Office of Mayor Weaver",
        "jurisdiction": "Hillsborough, NC",
        "category": "policy",
        "issue_area": "",
        "question": "Examples of just-cause eviction ordinances?",
        "details": "Our council votes in March on renter protections.",
        "needed_by": "",
        "preferred_contact": "email",
        "phone": "",
        "website": "",
        "form_token": fresh_token(),
    }


def build_interest(home_page):
    from collaborative.factories import CollaborativePageFactory, InterestPageFactory

    page = InterestPageFactory(parent=CollaborativePageFactory(parent=home_page))
    return page.url, {
        "name": "Jenn Weaver",
        "email": "jenn@example.org",
        "role": "elected",
        "jurisdiction": "Hillsborough, NC",
        "leadership_position": "state_committee",
        "message": "I'd like to help plan the next convening.",
        "website": "",
        "form_token": fresh_token(),
    }


def _help_desk_requests():
    from helpdesk.models import HelpDeskRequest

    return HelpDeskRequest.objects.all()


def _interest():
    from collaborative.interest import CollaborativeInterest

    return CollaborativeInterest.objects.all()


FORMS = [
    FormTarget(
        name="event registration",
        build=build_event_registration,
        saved=lambda: Registration.objects.all(),
        text_fields=["name", "email", "organisation"],
        closed=closed_registrations,
    ),
    FormTarget(
        name="series registration",
        build=build_series_registration,
        saved=lambda: Registration.objects.all(),
        text_fields=["name", "email", "organisation"],
    ),
    FormTarget(
        name="help desk",
        build=build_help_desk,
        saved=_help_desk_requests,
        text_fields=["name", "email", "office", "jurisdiction", "question", "details"],
    ),
    FormTarget(
        name="collaborative interest",
        build=build_interest,
        saved=_interest,
        text_fields=["name", "email", "jurisdiction", "message"],
    ),
]

LISTINGS = [
    ListingTarget(name="site search", build=lambda home_page: "/search/", params=["query", "page"]),
    ListingTarget(name="resource library", build=build_library, params=["q", "issue", "type", "state", "page"]),
    ListingTarget(name="trainings", build=build_trainings, params=["series", "issue", "page"]),
    ListingTarget(name="past trainings", build=build_past_trainings, params=["series", "issue", "page"]),
]
