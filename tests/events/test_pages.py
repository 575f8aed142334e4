"""Series and event pages as members see them, and what must never be public."""

import datetime
import json
import re

import pytest
import time_machine
from django.conf import settings

from events.factories import EventPageFactory
from library.models import ResourceLibraryPage, ResourcePage
from taxonomy.models import ResourceType
from tests.html import ok_soup as soup

from .conftest import LOS_ANGELES, UTC

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 2, 10, 17, 0, tzinfo=UTC)
MEETING_URL = "https://zoom.us/j/84455667788?pwd=SeCrEt"


@pytest.fixture
def session(primers, housing):
    return EventPageFactory(
        parent=primers,
        title="Housing",
        slug="housing",
        start=datetime.datetime(2026, 2, 26, 13, tzinfo=LOS_ANGELES),
        end=datetime.datetime(2026, 2, 26, 14, 30, tzinfo=LOS_ANGELES),
        timezone="America/Los_Angeles",
        meeting_url=MEETING_URL,
        capacity=100,
        description="<p>Renter protections and affordable housing preservation.</p>",
        recording_url="https://www.youtube.com/watch?v=housing101",
        issue_areas=[housing],
    )


def add_resource(library, title, areas, live=True, days_old=10):
    resource_type, _ = ResourceType.objects.get_or_create(slug="policy-brief", defaults={"name": "Policy brief"})
    resource = ResourcePage(
        title=title,
        summary=f"About {title.lower()}.",
        resource_type=resource_type,
        published_date=datetime.date(2026, 1, 31) - datetime.timedelta(days=days_old),
        live=live,
    )
    resource.issue_areas = areas
    library.add_child(instance=resource)
    return resource


def test_event_page_before_it_happens(client, session, housing, safety, home_page):
    library = ResourceLibraryPage(title="Resource library", slug="resources")
    home_page.add_child(instance=library)
    add_resource(library, "Right to Counsel", [housing], days_old=5)
    add_resource(library, "Renter Protections 101", [housing, safety], days_old=1)
    add_resource(library, "Use of Force Checklist", [safety])
    add_resource(library, "Unpublished Draft", [housing], live=False)

    with time_machine.travel(NOW, tick=False):
        html = soup(client.get("/trainings/policy-strategy-primers/housing/"))
    assert [h.get_text(strip=True) for h in html.find_all("h1")] == ["Housing"]
    assert html.select_one(".event-eyebrow a").get_text(strip=True) == "Policy & Strategy Primers"
    assert html.select_one(".event-lead").get_text(strip=True) == "Thu, Feb 26 | 1pm PT / 4pm ET| Location: Zoom"
    assert html.select_one(".event-when__date").get_text(strip=True) == "Thursday, February 26, 2026"
    calendar_link = html.find("a", string="Add to calendar")
    assert calendar_link["href"] == "/trainings/policy-strategy-primers/housing/calendar/"
    assert calendar_link["download"] == "housing.ics"
    google = html.find("a", string="Add to Google Calendar")["href"]
    assert "dates=20260226T210000Z%2F20260226T223000Z" in google and "ctz=America%2FLos_Angeles" in google
    assert "Limited to 100 participants" in html.get_text()
    assert "The meeting link is emailed to registered participants." in html.get_text()
    assert "This session has ended" not in html.get_text()
    assert [a.get_text(strip=True) for a in html.select(".event-related .card__title a")] == [
        "Renter Protections 101",
        "Right to Counsel",
    ]
    assert html.select_one(".event-tags a")["href"] == "/trainings/?issue=housing"


def test_event_page_after_it_happens_links_the_recording(client, session):
    with time_machine.travel(datetime.datetime(2026, 2, 26, 23, tzinfo=UTC), tick=False):
        html = soup(client.get(session.url))
    notice = html.select_one(".event-notice")
    assert " ".join(notice.get_text().split()) == "This session has ended — watch the recording."
    assert notice.find("a")["href"] == "https://www.youtube.com/watch?v=housing101"
    assert html.find("a", string="Add to calendar") is None


def test_event_page_while_it_happens(client, session):
    with time_machine.travel(datetime.datetime(2026, 2, 26, 21, 30, tzinfo=UTC), tick=False):
        html = soup(client.get(session.url))
    assert "Happening now." in html.select_one(".event-notice").get_text()


def test_event_structured_data(client, session):
    with time_machine.travel(NOW, tick=False):
        html = soup(client.get(session.url))
    (script,) = html.find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@type"] == "Event"
    assert data["name"] == "Housing"
    assert data["startDate"] == "2026-02-26T13:00:00-08:00"
    assert data["endDate"] == "2026-02-26T14:30:00-08:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "name": "Zoom", "url": "http://localhost" + session.url}
    assert data["organizer"]["@type"] == "Organization"
    assert data["organizer"]["name"] == "Local Progress Impact Lab"
    assert data["superEvent"]["name"] == "Policy & Strategy Primers"
    assert data["maximumAttendeeCapacity"] == 100


def test_summer_structured_data_carries_the_daylight_offset_and_in_person_events_are_offline(client, trainings):
    page = EventPageFactory(
        parent=trainings,
        title="Convening",
        start=datetime.datetime(2026, 7, 9, 9, tzinfo=LOS_ANGELES),
        timezone="America/Los_Angeles",
        location_name="Oakland City Hall, Oakland, CA",
    )
    data = json.loads(soup(client.get(page.url)).find("script", type="application/ld+json").string)
    assert data["startDate"] == "2026-07-09T09:00:00-07:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"


def test_series_page_shows_intro_faq_upcoming_and_past_sessions_and_feed(client, primers, trainings):
    with time_machine.travel(NOW, tick=False):
        EventPageFactory(parent=primers, title="Last month", start=NOW - datetime.timedelta(days=30))
        EventPageFactory(parent=primers, title="Next week", start=NOW + datetime.timedelta(days=7))
        EventPageFactory(parent=primers, title="In March", start=NOW + datetime.timedelta(days=28))
        EventPageFactory(parent=trainings, title="Standalone")
        html = soup(client.get("/trainings/policy-strategy-primers/"))
    assert [h.get_text(strip=True) for h in html.find_all("h1")] == ["Policy & Strategy Primers"]
    upcoming = html.find("section", attrs={"aria-labelledby": "upcoming-heading"})
    assert [a.get_text(strip=True) for a in upcoming.select(".event-card__title a")] == ["Next week", "In March"]
    past = html.find("section", attrs={"aria-labelledby": "past-heading"})
    assert [a.get_text(strip=True) for a in past.select(".event-card__title a")] == ["Last month"]
    assert "Standalone" not in html.get_text()
    assert html.find("summary", string="Can I invite my staff to join?")
    assert html.find("a", string="Subscribe to the calendar")["href"] == (
        "webcal://localhost/trainings/policy-strategy-primers/calendar/"
    )
    assert html.find("a", string="Download all sessions (.ics)")["href"].endswith("/calendar/")


def public_urls(session):
    return [
        "/",
        "/trainings/",
        "/trainings/past/",
        "/trainings/?issue=housing",
        "/trainings/policy-strategy-primers/",
        session.url,
        session.url + "calendar/",
        "/trainings/policy-strategy-primers/calendar/",
        "/search/?query=housing",
        "/sitemap.xml",
    ]


@pytest.mark.parametrize("moment", [NOW, datetime.datetime(2026, 3, 1, tzinfo=UTC)], ids=["before", "after"])
def test_the_meeting_link_is_on_no_public_page_feed_or_file(client, session, moment):
    with time_machine.travel(moment, tick=False):
        for url in public_urls(session):
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "84455667788" not in body, url
            assert "zoom.us/j" not in body, url
            assert "SeCrEt" not in body, url


def test_trainings_pages_have_one_h1_and_nothing_the_csp_would_block(client, session):
    with time_machine.travel(NOW, tick=False):
        for url in ["/", "/trainings/", "/trainings/past/", "/trainings/policy-strategy-primers/", session.url]:
            response = client.get(url)
            csp = response["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "style-src 'self'" in csp
            html = soup(response)
            assert len(html.find_all("h1")) == 1, url
            assert not html.find_all(style=True), url
            assert not re.search(r"\son[a-z]+=", response.content.decode()), url
            for script in html.find_all("script"):
                # External files, JSON-LD, or the one inline script the policy allows by its hash.
                allowed = script.get("src") or script.get("type") == "application/ld+json"
                allowed = allowed or script.string == settings.JS_CLASS_SCRIPT
                assert allowed, (url, script)
            for field in html.select("form.event-filters select"):
                assert html.select_one(f"label[for={field['id']}]"), url
