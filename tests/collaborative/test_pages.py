"""The collaborative, its pillars and convenings, as members read them."""

import datetime
import re
import time
import zoneinfo

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from collaborative.factories import ConveningPageFactory, PillarPageFactory
from collaborative.models import LEADERSHIP_QUESTION, date_range, next_convening
from events.factories import EventPageFactory, TrainingIndexPageFactory
from events.registration.models import Registration
from inbox.spam import make_token
from library.factories import ResourcePageFactory
from taxonomy.factories import IssueAreaFactory
from tests.html import soup

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def at(year, month, day, hour=9, zone=NEW_YORK):
    return datetime.datetime(year, month, day, hour, tzinfo=zone)


@pytest.fixture
def timeline(collaborative):
    """Four pillars, one convening each: DC (Mar 2027), Atlanta, Chicago, Denver."""
    rows = [
        ("Elected Officials as an Organized Force", "Washington, DC", at(2027, 3, 9), "America/New_York"),
        ("Racial Justice as a Beacon for All", "Atlanta, GA", at(2028, 1, 9), "America/New_York"),
        ("Collaborative Governing to Build Power", "Chicago, IL", at(2028, 11, 9, zone=CHICAGO), "America/Chicago"),
        ("Adaptive Change from the Ground Up", "Denver, CO", at(2029, 9, 9), "America/Denver"),
    ]
    convenings = []
    for title, city, start, zone in rows:
        pillar = PillarPageFactory(parent=collaborative, title=title)
        convenings.append(
            ConveningPageFactory(
                parent=pillar,
                title=f"{title} – {city}",
                city=city,
                timezone=zone,
                start=start,
                end=start + datetime.timedelta(days=1, hours=8),
            )
        )
    return convenings


def test_date_range_reads_like_the_announcement():
    assert date_range(at(2027, 3, 9), at(2027, 3, 10, 17)) == "March 9–10, 2027"
    assert date_range(at(2027, 3, 31), at(2027, 4, 1, 17)) == "March 31 – April 1, 2027"
    assert date_range(at(2027, 12, 31), at(2028, 1, 1, 17)) == "December 31, 2027 – January 1, 2028"
    assert date_range(at(2027, 3, 9), at(2027, 3, 9, 17)) == "March 9, 2027"


def test_next_convening_moves_on_as_time_passes(collaborative, timeline):
    dc, atlanta, chicago, denver = timeline
    with time_machine.travel(at(2026, 11, 22), tick=False):
        assert next_convening(collaborative) == dc
    # In progress still counts as next, until it ends.
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        assert next_convening(collaborative) == dc
    with time_machine.travel(at(2027, 3, 10, 18), tick=False):
        assert next_convening(collaborative) == atlanta
    with time_machine.travel(at(2029, 9, 11), tick=False):
        assert next_convening(collaborative) is None


def test_the_collaborative_page_highlights_the_next_convening_in_its_timeline(client, collaborative, timeline):
    with time_machine.travel(at(2027, 6, 1), tick=False):
        response = client.get(collaborative.url)
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "Leadership Collaborative"
    callout = page.find(id="next-heading").get_text(" ", strip=True)
    assert "Racial Justice as a Beacon for All – Atlanta, GA" in callout
    items = page.select(".timeline__item")
    assert len(items) == 4
    assert "timeline__item--next" in items[1]["class"]
    assert "Past convening" in items[0].get_text()
    assert "Next convening" in items[1].get_text()
    assert "January 9–10, 2028" in items[1].get_text()
    pillars = [h.get_text(strip=True) for h in page.select("#pillars-heading ~ ul .card__title")]
    assert "Adaptive Change from the Ground Up" in pillars and len(pillars) == 4


def test_a_pillar_shows_its_convening_resources_and_trainings_by_issue_area(client, pillar, home_page):
    housing = IssueAreaFactory(name="Housing", slug="housing")
    budgets = IssueAreaFactory(name="Budgets", slug="budgets")
    pillar.issue_areas.set([housing])
    pillar.save_revision().publish()
    ConveningPageFactory(parent=pillar, title="Organized Force – Washington, DC")
    ResourcePageFactory(title="Renter protections toolkit", issue_areas=[housing])
    ResourcePageFactory(title="Participatory budgeting guide", issue_areas=[budgets])
    trainings = TrainingIndexPageFactory(parent=home_page)
    EventPageFactory(parent=trainings, title="Housing primer", issue_areas=[housing])
    EventPageFactory(parent=trainings, title="Budget primer", issue_areas=[budgets])

    page = soup(client.get(pillar.url))
    text = page.get_text(" ", strip=True)
    assert "Organized Force – Washington, DC" in page.find(id="convening-heading").find_next("ul").get_text()
    assert "Renter protections toolkit" in text
    assert "Participatory budgeting guide" not in text
    assert "Housing primer" in text
    assert "Budget primer" not in text


def test_a_convening_shows_dates_city_venue_pillar_and_agenda_in_its_own_zone(client, pillar):
    convening = ConveningPageFactory(
        parent=pillar,
        title="Organized Force – Chicago",
        city="Chicago, IL",
        venue="",
        timezone="America/Chicago",
        start=at(2027, 3, 9, 9, CHICAGO),
        end=at(2027, 3, 10, 17, CHICAGO),
        agenda=[("item", {"day": "Day 1", "time": "9am", "title": "Peer-to-peer workshops", "description": ""})],
    )
    response = client.get(convening.url)
    assert response.status_code == 200
    text = soup(response).get_text(" ", strip=True)
    assert "March 9–10, 2027" in text
    assert "Tue, Mar 9, 9am – Wed, Mar 10, 5pm CT" in text
    assert "Venue to be announced" in text
    assert "Peer-to-peer workshops" in text
    assert pillar.title in text
    convening.refresh_from_db()
    assert convening.location_name == "Chicago, IL"


def test_a_convening_downloads_as_a_calendar_file_in_its_zone(client, pillar):
    convening = ConveningPageFactory(
        parent=pillar, city="Washington, DC", venue="Union Hall", start=at(2027, 3, 9), end=at(2027, 3, 10, 17)
    )
    response = client.get(convening.url + "calendar/")
    assert response.status_code == 200
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == at(2027, 3, 9)
    assert str(event["DTSTART"].params["TZID"]) == "America/New_York"
    assert str(event["LOCATION"]) == "Union Hall, Washington, DC"


def test_a_convening_takes_no_registrations_until_an_editor_turns_them_on(client, pillar, interest_page):
    convening = ConveningPageFactory(parent=pillar)
    page = soup(client.get(convening.url))
    assert page.select_one("form.registration-form") is None
    assert page.find("a", href=interest_page.url) is not None
    assert client.post(convening.url + "register/", {}).status_code == 404


def registration_data(**extra):
    """A member's answers to a convening's registration form, posted after the spam defence's minimum wait."""
    return {
        "name": "Jenn Weaver",
        "email": "jenn@example.org",
        "role": "elected",
        "organisation": "Hillsborough, NC",
        "website": "",
        "form_token": make_token(time.time() - 30),
        **extra,
    }


def test_registration_asks_for_the_leadership_position_and_requires_it(client, pillar):
    convening = ConveningPageFactory(parent=pillar, registration_enabled=True)
    page = soup(client.get(convening.url))
    form = page.select_one("form.registration-form")
    assert LEADERSHIP_QUESTION in form.get_text()
    data = registration_data()
    missing = client.post(convening.url + "register/", data)
    assert missing.status_code == 400
    assert Registration.objects.count() == 0
    assert "This field is required" in missing.content.decode()

    data["leadership_position"] = "State organizing committee"
    done = client.post(convening.url + "register/", data)
    assert done.status_code in (200, 302, 303)
    registration = Registration.objects.get()
    assert registration.event_id == convening.pk
    assert registration.form_data["leadership_position"] == "State organizing committee"


def test_search_finds_convenings(client, pillar):
    ConveningPageFactory(parent=pillar, title="Organized Force – Washington, DC", summary="The first convening.")
    response = client.get("/search/", {"query": "convening"})
    assert "Organized Force – Washington, DC" in response.content.decode()


def test_registering_for_an_in_person_convening_never_promises_a_zoom_link(
    client, pillar, settings, django_capture_on_commit_callbacks
):
    settings.FORM_RATE_LIMIT = None
    convening = ConveningPageFactory(
        parent=pillar, registration_enabled=True, city="Washington, DC", venue="Union Hall", meeting_url="https://x"
    )
    assert convening.meeting_url == ""  # in person: save() clears any meeting link
    form = soup(client.get(convening.url)).select_one("form.registration-form")
    note = form.select_one(".form-note").get_text()
    assert "this convening" in note and "Zoom" not in note and "training" not in note

    data = registration_data(leadership_position="State organizing committee")
    with django_capture_on_commit_callbacks(execute=True):
        thanks = client.post(convening.url + "register/", data, follow=True)
    result = soup(thanks).select_one(".registration-result").get_text(" ", strip=True)
    assert "You're confirmed" in result and "confirmation email" in result
    assert "Zoom" not in result and "link" not in result

    [message] = mail.outbox
    assert "Zoom" not in message.body and "Online" not in message.body
    assert "Where: Union Hall, Washington, DC" in message.body
    html = message.alternatives[0][0]
    assert "Join" not in html and "Union Hall, Washington, DC" in html

    manage = re.search(r"/registrations/manage/\S+/", message.body).group()
    page = soup(client.get(manage)).select_one("main").get_text(" ", strip=True)
    assert "Zoom" not in page and "The details are in your confirmation email" in page
    assert "Union Hall, Washington, DC" in page


def test_a_past_convening_says_it_has_taken_place_and_hides_registration(client, pillar):
    convening = ConveningPageFactory(
        parent=pillar, registration_enabled=True, start=at(2027, 3, 9), end=at(2027, 3, 10, 17)
    )
    with time_machine.travel(at(2027, 3, 1), tick=False):
        before = soup(client.get(convening.url))
        assert before.select_one("form.registration-form") is not None
        assert "This convening has taken place" not in before.get_text()
    with time_machine.travel(at(2027, 3, 11), tick=False):
        after = soup(client.get(convening.url))
        assert after.select_one(".event-notice--ended").get_text(strip=True) == "This convening has taken place."
        assert after.select_one("form.registration-form") is None and after.select_one("#register") is None
        assert "Add to calendar" not in after.get_text()


def test_the_collaborative_page_shows_its_related_news_only(client, collaborative, pillar, home_page):
    from news.factories import ArticlePageFactory, NewsIndexPageFactory
    from news.models import ArticleRelatedPage

    news = NewsIndexPageFactory(parent=home_page)
    related = ArticlePageFactory(parent=news, title="Governing is a team sport", date=datetime.date(2026, 11, 1))
    ArticleRelatedPage.objects.create(article=related, page=pillar, sort_order=0)  # a page below the collaborative
    ArticlePageFactory(parent=news, title="Unrelated story", date=datetime.date(2026, 11, 2))
    section = soup(client.get(collaborative.url)).find("h2", string="Latest news").find_parent("section")
    assert [a.get_text(strip=True) for a in section.select(".card__title a")] == ["Governing is a team sport"]
    assert section.select_one(".card__title a")["href"] == related.url
