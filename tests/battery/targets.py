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

from events.factories import (
    EventPageFactory,
    EventSeriesPageFactory,
    RegistrationFactory,
    TrainingIndexPageFactory,
)
from events.registration.emails import rating_url
from events.registration.models import Registration
from inbox.spam import make_token
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory
from taxonomy.factories import IssueAreaFactory, ResourceTypeFactory


def fresh_token():
    return make_token(time.time() - 30)


@dataclass
class FormTarget:
    name: str
    build: Callable  # home_page -> (url, valid data)
    saved: Callable  # () -> queryset of what a submission creates (or changes)
    text_fields: list  # free-text fields: attacked with hostile values, and stored clean
    email_field: str | None = "email"
    status_field: str = "status"
    spam_status: str = "spam"
    closed: Callable = field(default=lambda home_page: [])  # home_page -> [(url, data, expected status)]
    required_fields: list = field(default_factory=lambda: ["name"])  # an empty value is refused
    multiline_fields: list = field(default_factory=list)  # stored with their line breaks
    has_token: bool = True  # the shared spam defence (inbox/spam.py)
    success: tuple = (302, 303)  # the answer to a valid submission
    stored_email: Callable | None = None  # row -> the address kept (default: the row's email_field)
    stored_as: dict = field(default_factory=dict)  # a field's column when it differs from its name


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


def _help_desk_page(home_page):
    from helpdesk.factories import HelpDeskPageFactory
    from helpdesk.models import HelpDeskPage

    return HelpDeskPage.objects.child_of(home_page).first() or HelpDeskPageFactory(parent=home_page)


def build_help_desk(home_page):
    from tests.helpdesk.conftest import intake

    return _help_desk_page(home_page).url, intake(email="jenn@example.org")


def _collaborative(home_page):
    from collaborative.factories import CollaborativePageFactory
    from collaborative.models import CollaborativePage

    return CollaborativePage.objects.child_of(home_page).first() or CollaborativePageFactory(parent=home_page)


def build_interest(home_page):
    from collaborative.factories import InterestPageFactory
    from tests.collaborative.conftest import answers

    page = InterestPageFactory(parent=_collaborative(home_page))
    return page.url, answers(name="Jenn Weaver")


def build_convening_registration(home_page):
    from collaborative.factories import ConveningPageFactory, PillarPageFactory

    pillar = PillarPageFactory(parent=_collaborative(home_page))
    convening = ConveningPageFactory(parent=pillar, registration_enabled=True)
    return convening.url + "register/", _registration_data(leadership_position="State organizing committee")


def closed_convenings(home_page):
    from collaborative.factories import ConveningPageFactory
    from collaborative.models import PillarPage

    convening = ConveningPageFactory(parent=PillarPage.objects.first(), registration_enabled=False)
    return [(convening.url + "register/", _registration_data(leadership_position="State organizing committee"), 404)]


def build_link_request(home_page):
    """ "Email me my link": an address with an upcoming registration gets its links mailed."""
    from events.registration import rules

    event = EventPageFactory(parent=_trainings(home_page), title="Linked event")
    rules.register(event, name="Jenn Weaver", email="jenn@example.org", role="elected")
    return "/registrations/manage/", {"email": "jenn@example.org"}


def _link_emails():
    from inbox.models import OutboundEmail

    return OutboundEmail.objects.filter(purpose="registration.links")


def build_cancel(home_page):
    """The manage link's cancel button (after its confirmation)."""
    from events.registration import rules
    from events.registration.emails import manage_url

    event = EventPageFactory(parent=_trainings(home_page), title="Cancellable event")
    registration, _ = rules.register(event, name="Jenn Weaver", email="jenn@example.org", role="elected")
    return manage_url(registration).replace("http://testserver", ""), {"action": "cancel"}


def _cancelled():
    return Registration.objects.filter(status=Registration.Status.CANCELLED)


def closed_cancels(home_page):
    from events.registration.emails import manage_url

    trainings = _trainings(home_page)
    start = timezone.now() - datetime.timedelta(days=2)
    past = EventPageFactory(parent=trainings, title="Ended", start=start, end=start + datetime.timedelta(hours=1))
    registration = RegistrationFactory(event=past, email="jenn@example.org")
    return [
        (manage_url(registration).replace("http://testserver", ""), {"action": "cancel"}, 410),  # ended: expired
        ("/registrations/manage/not-a-signature/", {"action": "cancel"}, 404),
    ]


def build_member_update(home_page):
    """The Help Desk member's private link: "Add more details"."""
    from helpdesk import cases
    from helpdesk.factories import HelpDeskRequestFactory

    request_obj = HelpDeskRequestFactory(page=_help_desk_page(home_page), email="jenn@example.org")
    return cases.member_path(request_obj), {"text": "The vote moved to April."}


def _member_updates():
    from helpdesk.models import RequestActivity

    return RequestActivity.objects.filter(kind=RequestActivity.Kind.MEMBER_UPDATE)


def closed_member_links(home_page):
    return [("/helpdesk/request/not-a-signature/", {"text": "More details."}, 404)]


def _ended_with_an_attendee(home_page, status=Registration.Status.ATTENDED, email="jenn@example.org"):
    start = timezone.now() - datetime.timedelta(days=1)
    event = EventPageFactory(parent=_trainings(home_page), start=start, end=start + datetime.timedelta(hours=1))
    return RegistrationFactory(event=event, email=email, status=status)


def build_rating(home_page):
    """The follow-up email's rating page: a score and a comment."""
    registration = _ended_with_an_attendee(home_page)
    url = rating_url(registration, 5).replace("http://testserver", "").rsplit("5/", 1)[0]
    return url, {"rating": "4", "comment": "Clear and practical.\nMore on budgets, please."}


def _rated():
    return Registration.objects.filter(rating__isnull=False)


def closed_ratings(home_page):
    missed = _ended_with_an_attendee(home_page, Registration.Status.NO_SHOW, "missed@example.org")
    no_show_url = rating_url(missed, 5).replace("http://testserver", "").rsplit("5/", 1)[0]
    return [
        ("/registrations/rate/not-a-signature/", {"rating": "4"}, 404),
        (no_show_url, {"rating": "4"}, 404),  # only attendees rate
    ]


def build_news(home_page):
    from news.factories import ArticlePageFactory, NewsIndexPageFactory
    from news.models import NewsIndexPage

    news = NewsIndexPage.objects.child_of(home_page).first() or NewsIndexPageFactory(parent=home_page)
    ArticlePageFactory(parent=news, title="Battery story")
    return news.url


def build_series_calendar(home_page):
    series = EventSeriesPageFactory(parent=_trainings(home_page), title="Calendar series")
    EventPageFactory(parent=series, title="Calendar session")
    return series.url + "calendar/"


def build_event_calendar(home_page):
    return EventPageFactory(parent=_trainings(home_page), title="Calendar event").url + "calendar/"


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
        name="convening registration",
        build=build_convening_registration,
        saved=lambda: Registration.objects.all(),
        text_fields=["name", "email", "organisation"],
        closed=closed_convenings,
    ),
    FormTarget(
        name="help desk",
        build=build_help_desk,
        saved=_help_desk_requests,
        text_fields=["name", "email", "office", "jurisdiction", "question", "details", "phone"],
        required_fields=["name", "question", "details"],
        multiline_fields=["details"],
    ),
    FormTarget(
        name="help desk member update",
        build=build_member_update,
        saved=_member_updates,
        text_fields=["text"],
        email_field=None,
        required_fields=["text"],
        multiline_fields=["text"],
        has_token=False,
        closed=closed_member_links,
    ),
    FormTarget(
        name="collaborative interest",
        build=build_interest,
        saved=_interest,
        text_fields=["name", "email", "jurisdiction", "message"],
        required_fields=["name", "jurisdiction"],
        multiline_fields=["message"],
    ),
    FormTarget(
        name="email me my link",
        build=build_link_request,
        saved=_link_emails,
        text_fields=["email"],
        required_fields=["email"],
        has_token=False,
        success=(200,),
        stored_email=lambda row: row.to[0],
    ),
    FormTarget(
        name="cancel a registration",
        build=build_cancel,
        saved=_cancelled,
        text_fields=[],
        email_field=None,
        required_fields=[],
        has_token=False,
        success=(303,),
        closed=closed_cancels,
    ),
    FormTarget(
        name="rate a session",
        build=build_rating,
        saved=_rated,
        text_fields=["comment"],
        stored_as={"comment": "rating_comment"},
        email_field=None,
        required_fields=["rating"],
        multiline_fields=["comment"],
        has_token=False,
        success=(303,),
        closed=closed_ratings,
    ),
]

LISTINGS = [
    ListingTarget(name="site search", build=lambda home_page: "/search/", params=["query", "page"]),
    ListingTarget(name="resource library", build=build_library, params=["q", "issue", "type", "state", "page"]),
    ListingTarget(name="trainings", build=build_trainings, params=["series", "issue", "page"]),
    ListingTarget(name="past trainings", build=build_past_trainings, params=["series", "issue", "page"]),
    ListingTarget(name="news", build=build_news, params=["page"]),
    ListingTarget(name="news rss feed", build=lambda home_page: build_news(home_page) + "feed/", params=["page"]),
    ListingTarget(name="news atom feed", build=lambda home_page: build_news(home_page) + "feed/atom/", params=["page"]),
    ListingTarget(name="series calendar", build=build_series_calendar, params=["page"]),
    ListingTarget(name="event calendar", build=build_event_calendar, params=["page"]),
    ListingTarget(
        name="trainings calendar",
        build=lambda home_page: build_trainings(home_page) + "calendar/",
        params=["issue", "page"],
    ),
]
