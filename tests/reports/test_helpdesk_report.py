"""Reports → Help Desk: counts by category, issue area, state and role; first-response and resolution times with
time waiting on the member left out (hand-computed below); per staffer; the open backlog; CSV; who may see it."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from helpdesk.factories import HelpDeskPageFactory, HelpDeskRequestFactory
from helpdesk.models import HelpDeskRequest, RequestActivity
from home import roles
from reports.helpdesk import percentile, report
from reports.states import state_of
from taxonomy.factories import IssueAreaFactory
from tests.conftest import staff
from tests.html import soup

pytestmark = pytest.mark.django_db
URL = "/admin/reports/helpdesk/"
H = datetime.timedelta(hours=1)


def at(request_obj, offset, kind, **data):
    RequestActivity.objects.create(
        request=request_obj, kind=kind, data=data, created_at=request_obj.created_at + offset
    )


@pytest.fixture
def desk(home_page):
    """Three requests in the first week of November 2026, one of them spam, one from October.

    A: reply at 2 h, waits on the member from 3 h to 27 h, resolved at 30 h  -> response 2 h, resolution 6 h.
    B: reply at 10 h, still open                                            -> response 10 h.
    C: waits on the member from 1 h, reply at 5 h (while waiting), resolved at 8 h
                                                                            -> response 1 h, resolution 1 h.
    """
    page = HelpDeskPageFactory(parent=home_page)
    hana = staff("hana", roles.HELP_DESK_STAFF, first_name="Hana", last_name="Reyes")
    housing = IssueAreaFactory(name="Housing", slug="housing")
    start = datetime.datetime(2026, 11, 2, 9, tzinfo=timezone.get_current_timezone())

    def make(offset_days, **fields):
        obj = HelpDeskRequestFactory(page=page, **fields)
        HelpDeskRequest.objects.filter(pk=obj.pk).update(created_at=start + datetime.timedelta(days=offset_days))
        obj.refresh_from_db()
        return obj

    a = make(0, category="policy", role="elected", jurisdiction="Durham County, NC", issue_area=housing,
             assignee=hana, status="resolved")  # fmt: skip
    at(a, 2 * H, "reply")
    at(a, 3 * H, "status", to="waiting_on_member")
    at(a, 27 * H, "status", to="in_progress")
    at(a, 30 * H, "status", to="resolved")
    b = make(1, category="policy", role="staff", jurisdiction="Madison, Wisconsin", status="in_progress")
    at(b, 10 * H, "reply")
    c = make(2, category="communications", role="elected", jurisdiction="", assignee=hana, status="resolved")
    at(c, 1 * H, "status", to="waiting_on_member")
    at(c, 5 * H, "reply")
    at(c, 8 * H, "status", to="resolved")
    make(3, status="spam", category="policy")
    make(-40, category="strategy", status="in_progress")  # in September: outside the period, in the backlog
    return {"a": a, "b": b, "c": c, "hana": hana}


def test_the_figures_match_the_hand_computed_ones(desk):
    figures = report(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), now=desk["a"].created_at + 10 * 24 * H)
    assert figures["total"] == 3
    assert dict(figures["by"]["category"]) == {"Policy": 2, "Communications": 1}
    assert dict(figures["by"]["state"]) == {"NC": 1, "WI": 1, "Not given": 1}
    assert dict(figures["by"]["role"]) == {"Elected official": 2, "Staff of an elected official": 1}
    assert dict(figures["by"]["issue_area"]) == {"Housing": 1, "None given": 2}
    # Responses 2, 10, 1 hours; resolutions 6 and 1 (waiting on the member left out).
    assert figures["first_response"] == {"count": 3, "median": 2.0, "p90": 10.0}
    assert figures["resolution"] == {"count": 2, "median": 1.0, "p90": 6.0}
    [hana] = figures["staff"]
    assert hana == {"name": "Hana Reyes", "requests": 2, "resolved": 2, "median_response": 1.0}
    # Open now: B (8 days old at "now") and the September request (48 days).
    assert dict(figures["backlog"]) == {"Under 2 days": 0, "2–7 days": 0, "8–30 days": 1, "Over 30 days": 1}


def test_percentile_and_state_reading():
    assert percentile([], 0.5) is None
    assert percentile([5], 0.9) == 5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert [state_of(j) for j in ("Durham County, NC", "Oakland, CA.", "Madison, Wisconsin", "Denver", "")] == [
        "NC",
        "CA",
        "WI",
        "",
        "",
    ]


@pytest.mark.parametrize(
    ("group", "allowed"),
    [
        (roles.HELP_DESK_STAFF, True),
        (roles.COMMUNICATIONS_LEADS, True),
        (roles.EVENTS_STAFF, False),
        (roles.EDITORS, False),
    ],
)
def test_who_may_see_it(client, desk, group, allowed):
    client.force_login(staff("someone", group))
    response = client.get(URL)
    assert (response.status_code == 200) is allowed
    menu = client.get("/admin/").content.decode()
    assert (URL in menu) is allowed


def test_the_page_and_its_csv(client, desk):
    client.force_login(desk["hana"])
    page = soup(client.get(URL, {"start": "2026-11-01", "end": "2026-11-30"}))
    assert "3 requests arrived" in page.select_one(".lp-report__lead").get_text(" ", strip=True)
    chart = page.select_one("svg.lp-chart")
    assert chart["role"] == "img" and chart.title.get_text() == "Requests by category"
    assert "Policy: 2" in chart.desc.get_text()
    response = client.get(URL, {"start": "2026-11-01", "end": "2026-11-30", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Category", "Policy", "2"] in rows
    assert ["First response (hours)", "median", "2.0"] in rows
    assert ["Staff: resolved", "Hana Reyes", "2"] in rows


def test_a_bad_period_is_explained_beside_its_field(client, desk):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    response = client.get(URL, {"start": "2026-11-30", "end": "2026-11-01"})
    assert response.status_code == 400
    page = soup(response)
    assert "The end comes before the start." in page.select_one("#id_end-error").get_text()
    assert page.select_one("#id_end")["aria-describedby"] == "id_end-error"
    assert client.get(URL, {"start": "not a date", "end": "2026-11-01"}).status_code == 400
    assert client.get(URL, {"start": "2020-01-01", "end": "2026-11-01"}).status_code == 400
