"""Dated listings in the admin: the Sessions listing and the Scheduled report."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from events.factories import EventPageFactory, EventSeriesPageFactory, RegistrationFactory, TrainingIndexPageFactory
from events.models import EventPage
from home import roles
from home.factories import StandardPageFactory
from tests.html import soup

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def admin_client(client, home_page):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


@pytest.fixture
def series(home_page):
    index = TrainingIndexPageFactory(parent=home_page)
    series = EventSeriesPageFactory(parent=index, title="Policy & Strategy Primers")
    now = timezone.now()
    for days, label in [(-14, "past"), (7, "soon"), (21, "later")]:
        start = (now + datetime.timedelta(days=days)).astimezone(LA).replace(hour=14, minute=0, second=0)
        EventPageFactory(
            parent=series,
            title="Housing primer",  # the same title on every session
            slug=f"housing-primer-{label}",
            timezone="America/Los_Angeles",
            start=start,
            end=start + datetime.timedelta(hours=1),
        )
    return series


def test_sessions_sharing_a_title_show_their_start_in_pt_and_et(series):
    titles = {page.specific.get_admin_display_title() for page in series.get_children()}
    assert len(titles) == 3
    assert all("2pm PT / 5pm ET" in title for title in titles)
    assert sum(title.endswith("· past)") for title in titles) == 1


def test_sessions_listing_puts_upcoming_first_and_filters_upcoming_and_past(admin_client, series):
    url = reverse("sessions:index")
    html = admin_client.get(url).content.decode()
    past, soon, later = sorted(page.specific.start for page in series.get_children())
    positions = [html.index(f'datetime="{start.isoformat()}"') for start in (soon, later, past)]
    assert positions == sorted(positions), "upcoming sessions soonest first, then past ones"
    assert html.count("2pm PT / 5pm ET") >= 3
    assert "Upcoming" in html and "Past" in html

    by_start = admin_client.get(url, {"ordering": "start"}).content.decode()
    positions = [by_start.index(f'datetime="{start.isoformat()}"') for start in (past, soon, later)]
    assert positions == sorted(positions)
    newest_first = admin_client.get(url, {"ordering": "-start"}).content.decode()
    positions = [newest_first.index(f'datetime="{start.isoformat()}"') for start in (past, soon, later)]
    assert positions == sorted(positions, reverse=True)

    upcoming = admin_client.get(url, {"timing": "upcoming"}).content.decode()
    assert upcoming.count("· past)") == 0 and upcoming.count("2pm PT / 5pm ET") >= 2
    past = admin_client.get(url, {"timing": "past"}).content.decode()
    assert "· past)" in past


def test_scheduled_report_lists_go_live_and_expiry_with_who_scheduled(client, home_page):
    lead = get_user_model().objects.create_user("lead", "lead@example.org", "pw", first_name="Lee", last_name="Lead")
    lead.groups.add(Group.objects.get(name=roles.COMMUNICATIONS_LEADS))
    client.force_login(lead)
    go_live = timezone.now() + datetime.timedelta(days=3)
    draft = StandardPageFactory(parent=home_page, title="Spring convening recap", live=False)
    draft.go_live_at = go_live
    draft.save_revision(user=lead).publish(user=lead)
    expiring = StandardPageFactory(parent=home_page, title="Call for proposals")
    expiring.expire_at = timezone.now() + datetime.timedelta(days=10)
    expiring.save_revision(user=lead).publish(user=lead)
    StandardPageFactory(parent=home_page, title="Nothing scheduled")

    response = client.get(reverse("scheduled_pages"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Spring convening recap" in html and "Goes live" in html
    assert "Call for proposals" in html and "Expires" in html
    assert "Nothing scheduled" not in html
    assert html.count("Lee Lead") == 2
    local = timezone.localtime(go_live, zoneinfo.ZoneInfo("America/New_York"))
    assert f"{local:%b %-d, %Y, %-I:%M %p} {local.tzname()}" in html
    assert html.index("Spring convening recap") < html.index("Call for proposals")
    assert reverse("scheduled_pages") in client.get(reverse("wagtailadmin_reports:locked_pages")).content.decode()


def test_sessions_listing_shows_each_sessions_registrations_against_its_capacity(admin_client, series):
    soon = EventPage.objects.get(slug="housing-primer-soon")
    EventPage.objects.filter(pk=soon.pk).update(capacity=2)
    for n, status in enumerate(["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted", "cancelled"]):
        RegistrationFactory(event=soon, email=f"p{n}@example.org", status=status)
    page = soup(admin_client.get(reverse("sessions:index")))
    rows = {tr.select_one("time")["datetime"]: tr for tr in page.select("tbody tr") if tr.select_one("time")}
    cell = rows[soon.start.isoformat()].get_text(" ", strip=True)
    assert "2 / 2 confirmed, 3 waitlisted" in cell
    link = rows[soon.start.isoformat()].find("a", string=lambda s: s and "confirmed" in s)
    assert link["href"].endswith(f"?event__page_ptr__exact={soon.pk}")
