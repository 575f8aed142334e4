"""Reports → Impact: members served in a quarter, each counted once across the inboxes, checked against a
hand-computed fixture; new vs returning; by state and issue area; CSV; leads and superusers only."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from collaborative.factories import CollaborativeInterestFactory, InterestPageFactory
from events.factories import EventPageFactory, RegistrationFactory, TrainingIndexPageFactory
from events.registration.statuses import Status as RegistrationStatus
from helpdesk.factories import HelpDeskPageFactory, HelpDeskRequestFactory
from helpdesk.models import HelpDeskRequest, RequestActivity
from home import roles
from reports.impact import report
from taxonomy.factories import IssueAreaFactory
from tests.conftest import staff
from tests.html import soup

pytestmark = pytest.mark.django_db
URL = "/admin/reports/impact/"
Q4 = (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


def day(month, date, hour=10):
    return datetime.datetime(2026, month, date, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def served(home_page):
    """In Q4 2026:
    ana@ (NC): a request sent in September, answered October 5; attended a Housing session in November -> returning.
    bo@ (WI): attended a Housing + Budgets session in October; registered (not attended) for another -> new.
    Cy@ (TX, from the interest form): interest on November 1 -> new (its address in capitals, counted once).
    Not served: dee@ (a request never answered; spam interest), eve@ (answered in September), a spam request
    answered in October.
    Hand count: 3 members (2 new, 1 returning); Help Desk 1, trainings 2, interest 1; NC 1, WI 1, TX 1;
    Housing 2, Local budgets 1.
    """
    housing = IssueAreaFactory(name="Housing", slug="housing")
    budgets = IssueAreaFactory(name="Local budgets", slug="budgets")
    desk = HelpDeskPageFactory(parent=home_page)
    trainings = TrainingIndexPageFactory(parent=home_page)
    interest_page = InterestPageFactory(parent=home_page)

    def request(email, created, answered=None, **fields):
        obj = HelpDeskRequestFactory(page=desk, email=email, **fields)
        HelpDeskRequest.objects.filter(pk=obj.pk).update(created_at=created)
        if answered:
            RequestActivity.objects.create(request=obj, kind="reply", created_at=answered)
        return obj

    def session(start, areas):
        event = EventPageFactory(parent=trainings, start=start, end=start + datetime.timedelta(hours=1))
        event.issue_areas.set(areas)
        event.save_revision().publish()
        return event

    request("ana@example.org", day(9, 20), day(10, 5), jurisdiction="Durham County, NC", issue_area=housing)
    november = session(day(11, 12), [housing])
    october = session(day(10, 15), [housing, budgets])
    december = session(day(12, 3), [budgets])
    RegistrationFactory(event=november, email="ana@example.org", status=RegistrationStatus.ATTENDED)
    RegistrationFactory(
        event=october, email="bo@example.org", organisation="Madison, WI", status=RegistrationStatus.ATTENDED
    )
    RegistrationFactory(event=december, email="bo@example.org", status=RegistrationStatus.CONFIRMED)
    interest = CollaborativeInterestFactory(page=interest_page, email="Cy@Example.org")
    type(interest).objects.filter(pk=interest.pk).update(
        created_at=day(11, 1), form_data={"jurisdiction": "Austin, TX"}
    )
    request("dee@example.org", day(11, 1))
    spam_interest = CollaborativeInterestFactory(page=interest_page, email="dee@example.org", status="spam")
    type(spam_interest).objects.filter(pk=spam_interest.pk).update(created_at=day(11, 2))
    request("eve@example.org", day(9, 1), day(9, 2))
    request("spammer@example.org", day(10, 1), day(10, 2), status="spam")


def test_the_figures_match_the_hand_count(served):
    figures = report(*Q4)
    assert (figures["members"], figures["new"], figures["returning"]) == (3, 2, 1)
    assert figures["counts"] == [
        ("Help Desk requests answered", 1),
        ("Trainings attended", 2),
        ("Collaborative interest", 1),
    ]
    assert dict(figures["members_by_service"]) == {
        "Help Desk requests answered": 1,
        "Trainings attended": 2,
        "Collaborative interest": 1,
    }
    assert dict(figures["by_state"]) == {"NC": 1, "WI": 1, "TX": 1}
    assert figures["by_area"] == [("Housing", 2), ("Local budgets", 1)]
    # The quarter before: only eve@ (answered in September); ana's request was not answered yet.
    before = report(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert (before["members"], before["new"]) == (1, 1)


@pytest.mark.parametrize(
    ("group", "allowed"),
    [(roles.COMMUNICATIONS_LEADS, True), (roles.HELP_DESK_STAFF, False), (roles.EDITORS, False)],
)
def test_leads_and_superusers_only(client, served, group, allowed):
    client.force_login(staff("someone", group))
    assert (client.get(URL).status_code == 200) is allowed


def test_the_page_and_its_csv(client, served):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    page = soup(client.get(URL, {"start": "2026-10-01", "end": "2026-12-31"}))
    lead = page.select_one(".lp-report__lead").get_text(" ", strip=True)
    assert lead.startswith("3 members served") and "2 new" in lead and "1 returning" in lead
    assert page.select_one("svg.lp-chart title").get_text() == "Members served, by service"
    rows = list(
        csv.reader(
            io.StringIO(client.get(URL, {"start": "2026-10-01", "end": "2026-12-31", "export": "csv"}).content.decode())
        )
    )
    assert ["Members served", "all (each counted once)", "3"] in rows
    assert ["Members by issue area", "Housing", "2"] in rows
    assert client.get(URL, {"start": "2026-12-31", "end": "2026-10-01"}).status_code == 400
