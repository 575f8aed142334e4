"""One member, one timeline (/admin/members/): everything an address sent or was sent, newest first, each inbox
contributing only what the viewer's groups may see; a search across those inboxes; a handful of queries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collaborative.factories import CollaborativeInterestFactory, InterestPageFactory
from events.factories import EventPageFactory, RegistrationFactory, TrainingIndexPageFactory
from events.registration.statuses import Status as RegistrationStatus
from helpdesk.factories import HelpDeskPageFactory, HelpDeskRequestFactory
from helpdesk.models import RequestActivity
from home import roles
from inbox.emails import queue_email
from tests.conftest import staff
from tests.html import soup

from .test_member_data_doors import PEOPLE, ROLES, member_data, not_for  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
MEMBER = "dana.whitfield@example.org"
URL = "/admin/members/"


@pytest.fixture
def dana(home_page):
    """Dana asked the Help Desk twice (a resource sent once), attended one session and missed another, and
    offered to help the Collaborative; the site emailed her about each."""
    now = timezone.now()
    trainings = TrainingIndexPageFactory(parent=home_page)
    help_desk = HelpDeskPageFactory(parent=home_page)
    first = HelpDeskRequestFactory(
        page=help_desk, name="Dana Whitfield", email=MEMBER, question="Right to counsel?", status="resolved"
    )
    RequestActivity.objects.create(
        request=first, kind="reply", text="Here you go.", data={"resources": [{"title": "Right to Counsel Toolkit"}]}
    )
    second = HelpDeskRequestFactory(page=help_desk, name="Dana Whitfield", email=MEMBER, question="Rent caps?")
    attended = RegistrationFactory(
        event=EventPageFactory(parent=trainings, title="Housing Justice 101"),
        name="Dana Whitfield",
        email=MEMBER,
        status=RegistrationStatus.ATTENDED,
    )
    missed = RegistrationFactory(
        event=EventPageFactory(parent=trainings, title="Budget Basics"),
        name="Dana Whitfield",
        email=MEMBER,
        status=RegistrationStatus.NO_SHOW,
    )
    interest = CollaborativeInterestFactory(page=InterestPageFactory(parent=home_page), name="Dana W", email=MEMBER)
    for n, (obj, when) in enumerate([(first, 40), (attended, 30), (missed, 20), (interest, 10), (second, 1)]):
        type(obj).objects.filter(pk=obj.pk).update(created_at=now - datetime.timedelta(days=when))
        queue_email(MEMBER, "events/links", {"links": [], "name": "Dana"}, purpose=f"about-{n}", related=obj)
    HelpDeskRequestFactory(page=help_desk, name="Someone Else", email="someone@example.org", question="Other?")
    return {"requests": [first, second], "registrations": [attended, missed], "interest": interest}


def titles(response):
    return [
        item.select_one(".lp-timeline__title").get_text(strip=True)
        for item in soup(response).select(".lp-timeline__item")
    ]


def test_help_desk_staff_see_the_requests_and_their_emails_newest_first_and_nothing_else(client, dana):
    client.force_login(staff("hana", roles.HELP_DESK_STAFF))
    response = client.get(URL, {"email": "Dana.Whitfield@Example.org "})
    assert response.status_code == 200
    page = response.content.decode()
    found = titles(response)
    request_titles = [t for t in found if t.startswith("HD-")]
    assert request_titles == [
        f"{dana['requests'][1].reference}: Rent caps?",
        f"{dana['requests'][0].reference}: Right to counsel?",
    ]
    assert "Resource sent: Right to Counsel Toolkit" in page
    assert "Housing Justice" not in page and "Budget Basics" not in page and "Dana W" not in page
    assert page.count("Email sent") == 2  # the emails about her two requests, not the others
    assert "Other?" not in page


def test_events_staff_see_attended_and_no_show_but_no_case_text(client, dana):
    client.force_login(staff("eve", roles.EVENTS_STAFF))
    response = client.get(URL, {"email": MEMBER})
    page = response.content.decode()
    assert "Housing Justice 101" in page and "Attended" in page
    assert "Budget Basics" in page and "No-show" in page
    assert "Right to counsel?" not in page and "Rent caps?" not in page
    assert page.count("Email sent") == 2


def test_a_superuser_sees_the_whole_story_and_editors_nothing(client, dana):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    found = titles(client.get(URL, {"email": MEMBER}))
    assert len(found) == 5 + 5  # five submissions, five emails
    client.force_login(staff("ed", roles.EDITORS))
    assert client.get(URL, {"email": MEMBER})["Location"] == "/admin/"


def test_search_finds_members_by_name_or_address_in_the_viewer_s_inboxes(client, dana):
    client.force_login(staff("cole", roles.COMMUNICATIONS_LEADS))
    page = soup(client.get(URL, {"q": "dana"}))
    [match] = page.select(".lp-member__matches li")
    assert MEMBER in match.get_text() and "Collaborative" in match.get_text()
    assert match.a["href"] == f"{URL}?email=dana.whitfield%40example.org"
    client.force_login(staff("hana", roles.HELP_DESK_STAFF))
    assert "Someone Else" in client.get(URL, {"q": "example.org"}).content.decode()


def test_a_handful_of_queries_whatever_the_number_of_entries(client, dana):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    client.get(URL, {"email": MEMBER})  # warm the session and permission caches

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"email": MEMBER}).status_code == 200
        return len(captured)

    few = count()
    help_desk = dana["requests"][0].page
    for n in range(20):
        request = HelpDeskRequestFactory(page=help_desk, email=MEMBER, question=f"More {n}")
        RequestActivity.objects.create(request=request, kind="reply", data={"resources": [{"title": "T"}]})
        RegistrationFactory(event=dana["registrations"][0].event, email=f"x{n}@example.org")
        RegistrationFactory(event=EventPageFactory(parent=dana["registrations"][0].event.get_parent()), email=MEMBER)
    many = count()
    assert many == few and many <= 12, (few, many)


def test_inbox_lists_and_pages_link_to_the_timeline(client, dana):
    client.force_login(staff("hana", roles.HELP_DESK_STAFF))
    link = f"{URL}?email=dana.whitfield%40example.org"
    assert link in client.get("/admin/helpdesk/helpdeskrequest/").content.decode()
    case = dana["requests"][0]
    assert link in client.get(f"/admin/helpdesk/helpdeskrequest/inspect/{case.pk}/").content.decode()
    client.force_login(staff("eve", roles.EVENTS_STAFF))
    assert link in client.get("/admin/events/registration/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_timeline_and_its_search_leak_nothing_a_role_does_not_own(client, member_data, role):  # noqa: F811
    """The permission walk (test_member_data_doors) through this door: every member's address and name."""
    client.force_login(staff(f"walker-{role.lower().replace(' ', '-')}", role))
    for name, email, _question in PEOPLE.values():
        for params in ({"email": email}, {"q": name.split()[0]}, {"q": email.split("@")[0]}):
            response = client.get(URL, params)
            body = response.content.decode() if response.status_code == 200 else ""
            shown = body.replace(params.get("email", ""), "").replace(params.get("q", ""), "")
            leaked = [marker for marker in not_for(role) if marker in shown]
            assert not leaked, (role, params, leaked)
