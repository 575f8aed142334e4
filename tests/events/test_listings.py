"""The trainings index: upcoming by month, past on its own pages, filters, cards, the home page section."""

import datetime
import zoneinfo

import pytest
import time_machine

from events.factories import EventPageFactory
from events.models import PAST_PER_PAGE
from tests.html import ok_soup as soup

from .conftest import LOS_ANGELES, NEW_YORK, UTC

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 2, 10, 17, 0, tzinfo=UTC)  # Tue, Feb 10 2026, noon in New York


def card_titles(html):
    return [card.select_one(".event-card__title").get_text(strip=True) for card in html.select(".event-card")]


def event(parent, title, start, minutes=60, **kwargs):
    return EventPageFactory(
        parent=parent, title=title, start=start, end=start + datetime.timedelta(minutes=minutes), **kwargs
    )


def test_upcoming_soonest_first_by_month_and_an_event_in_progress_stays_until_it_ends(client, trainings):
    with time_machine.travel(NOW, tick=False):
        event(trainings, "Ended an hour ago", NOW - datetime.timedelta(hours=2))
        event(trainings, "Ends right now", NOW - datetime.timedelta(hours=1))
        event(trainings, "In progress", NOW - datetime.timedelta(minutes=30))
        event(trainings, "March session", datetime.datetime(2026, 3, 4, 16, tzinfo=NEW_YORK))
        event(trainings, "Next week", NOW + datetime.timedelta(days=7))

        html = soup(client.get("/trainings/"))
        assert card_titles(html) == ["In progress", "Next week", "March session"]
        assert [h.get_text(strip=True) for h in html.select(".event-month__heading")] == [
            "February 2026",
            "March 2026",
        ]
        in_progress = html.select(".event-card")[0]
        assert "Happening now" in in_progress.get_text()
        assert "3 upcoming trainings" in html.select_one(".results-count").get_text()

        past = soup(client.get("/trainings/past/"))
        assert card_titles(past) == ["Ends right now", "Ended an hour ago"]

    with time_machine.travel(NOW + datetime.timedelta(minutes=31), tick=False):
        assert card_titles(soup(client.get("/trainings/"))) == ["Next week", "March session"]
        assert card_titles(soup(client.get("/trainings/past/")))[0] == "In progress"


def test_past_sessions_are_paginated_newest_first_and_bad_page_numbers_do_not_break(client, trainings):
    with time_machine.travel(NOW, tick=False):
        for days_ago in range(1, PAST_PER_PAGE + 3):
            event(trainings, f"{days_ago} days ago", NOW - datetime.timedelta(days=days_ago))

        first = soup(client.get("/trainings/past/"))
        assert card_titles(first)[:3] == ["1 days ago", "2 days ago", "3 days ago"]
        assert len(card_titles(first)) == PAST_PER_PAGE
        assert first.select_one("nav.pagination a[rel=next]")["href"] == "?page=2"

        second = soup(client.get("/trainings/past/?page=2"))
        assert card_titles(second) == [f"{PAST_PER_PAGE + 1} days ago", f"{PAST_PER_PAGE + 2} days ago"]

        assert card_titles(soup(client.get("/trainings/past/?page=abc"))) == card_titles(first)
        assert card_titles(soup(client.get("/trainings/past/?page=999"))) == card_titles(second)
        assert card_titles(soup(client.get("/trainings/?page=-1"))) == []


def test_filters_by_series_and_issue_area(client, trainings, primers, housing, safety):
    with time_machine.travel(NOW, tick=False):
        event(primers, "Primer: Housing", NOW + datetime.timedelta(days=1), issue_areas=[housing])
        event(primers, "Primer: Community Safety", NOW + datetime.timedelta(days=2), issue_areas=[safety])
        event(trainings, "Workshop: Housing Justice", NOW + datetime.timedelta(days=3), issue_areas=[housing])

        everything = ["Primer: Housing", "Primer: Community Safety", "Workshop: Housing Justice"]
        assert card_titles(soup(client.get("/trainings/"))) == everything
        assert card_titles(soup(client.get("/trainings/?series=policy-strategy-primers"))) == everything[:2]
        housing_only = soup(client.get("/trainings/?issue=housing"))
        assert card_titles(housing_only) == ["Primer: Housing", "Workshop: Housing Justice"]
        assert "2 upcoming trainings on Housing" in housing_only.select_one(".results-count").get_text()
        assert housing_only.select_one("#filter-issue option[selected]")["value"] == "housing"
        both = soup(client.get("/trainings/?series=policy-strategy-primers&issue=housing"))
        assert card_titles(both) == ["Primer: Housing"]

        # Unknown or malformed values are ignored, never an error.
        for query in ("series=nope", "issue=housing&series[]=x", "series=policy&issue=&page=abc"):
            response = client.get(f"/trainings/?{query}")
            assert response.status_code == 200, query
        # A NUL nobody types gets the site's 400 page before any view reads it (ops/middleware.py).
        assert client.get("/trainings/?issue=%00").status_code == 400
        assert card_titles(soup(client.get("/trainings/?series=nope&issue=nowhere"))) == everything

        none = soup(client.get("/trainings/?issue=community-safety&series=policy-strategy-primers&page=1"))
        assert card_titles(none) == ["Primer: Community Safety"]


def test_filter_form_is_a_labelled_get_form(client, trainings, primers, housing):
    html = soup(client.get("/trainings/"))
    form = html.select_one("form.event-filters")
    assert form["method"] == "get"
    for name in ("series", "issue"):
        select = form.select_one(f"select[name={name}]")
        assert form.select_one(f"label[for={select['id']}]").get_text(strip=True)
    assert [o.get_text() for o in form.select("#filter-series option")] == [
        "All series and workshops",
        "Policy & Strategy Primers",
    ]
    assert "Housing" in [o.get_text() for o in form.select("#filter-issue option")]
    assert form.select_one("button[type=submit]")


def test_card_shows_series_date_times_location_and_issue_areas(client, primers, housing):
    with time_machine.travel(NOW, tick=False):
        event(
            primers,
            "Housing",
            datetime.datetime(2026, 2, 25, 16, tzinfo=NEW_YORK),
            timezone="America/New_York",
            issue_areas=[housing],
        )
        card = soup(client.get("/trainings/")).select_one(".event-card")
    assert card.select_one(".event-card__series").get_text(strip=True) == "Policy & Strategy Primers"
    assert card.select_one(".event-card__when").get_text(strip=True) == "Wed, Feb 25 | 1pm PT / 4pm ET"
    assert card.select_one(".event-card__where").get_text(strip=True) == "Location: Zoom"
    assert [tag.get_text(strip=True) for tag in card.select(".tag")] == ["Housing"]
    assert card.select_one("a")["href"] == "/trainings/policy-strategy-primers/housing/"


@pytest.mark.parametrize(
    ("start", "zone", "card_text", "page_rows"),
    [
        # Winter (standard time) and summer (daylight time): still 1pm PT / 4pm ET.
        (
            datetime.datetime(2026, 1, 15, 13),
            "America/Los_Angeles",
            "Thu, Jan 15 | 1pm PT / 4pm ET",
            ["1–2pm PT", "4–5pm ET"],
        ),
        (
            datetime.datetime(2026, 7, 16, 13),
            "America/Los_Angeles",
            "Thu, Jul 16 | 1pm PT / 4pm ET",
            ["1–2pm PT", "4–5pm ET"],
        ),
        # An in-person event in Chicago shows its own zone too, west to east.
        (
            datetime.datetime(2026, 3, 7, 10, 30),
            "America/Chicago",
            "Sat, Mar 7 | 8:30am PT / 10:30am CT / 11:30am ET",
            ["8:30–9:30am PT", "10:30–11:30am CT", "11:30am–12:30pm ET"],
        ),
        # Between the US and UK clock changes London is 4 hours ahead of New York, not 5.
        (
            datetime.datetime(2026, 3, 19, 17),
            "Europe/London",
            "Thu, Mar 19 | 10am PT / 1pm ET / 5pm GMT",
            ["10–11am PT", "1–2pm ET", "5–6pm GMT"],
        ),
        # Late on the west coast is the next day in the east.
        (
            datetime.datetime(2026, 1, 15, 22),
            "America/Los_Angeles",
            "Thu, Jan 15 | 10pm PT / 1am ET (Fri)",
            ["10–11pm PT", "1–2am ET (Fri, Jan 16)"],
        ),
    ],
)
def test_times_read_in_pacific_and_eastern_all_year(client, trainings, start, zone, card_text, page_rows):
    page = event(trainings, "Session", start.replace(tzinfo=zoneinfo.ZoneInfo(zone)), timezone=zone)
    with time_machine.travel(start.replace(tzinfo=UTC) - datetime.timedelta(days=30), tick=False):
        card = soup(client.get("/trainings/")).select_one(".event-card")
        html = soup(client.get(page.url))
    assert card.select_one(".event-card__when").get_text(strip=True) == card_text
    assert html.select_one(".event-lead time").get_text(strip=True) == card_text
    rows = [" ".join(li.get_text(" ", strip=True).split()) for li in html.select(".event-when__zones li")]
    assert rows == page_rows


def test_home_page_shows_the_next_three_trainings_and_issue_shortcuts(client, trainings, primers, housing, safety):
    with time_machine.travel(NOW, tick=False):
        event(trainings, "Already over", NOW - datetime.timedelta(days=1), issue_areas=[safety])
        event(primers, "Third", NOW + datetime.timedelta(days=9), issue_areas=[housing])
        event(
            trainings, "First", datetime.datetime(2026, 2, 12, 13, tzinfo=LOS_ANGELES), timezone="America/Los_Angeles"
        )
        event(primers, "Second", NOW + datetime.timedelta(days=5))
        event(primers, "Fourth", NOW + datetime.timedelta(days=20))
        html = soup(client.get("/"))
    section = html.select_one("section.home-trainings")
    assert section.select_one("h2").get_text(strip=True) == "Upcoming trainings"
    assert card_titles(section) == ["First", "Second", "Third"]
    assert section.select_one(".event-card__when").get_text(strip=True) == "Thu, Feb 12 | 1pm PT / 4pm ET"
    chips = {a.get_text(strip=True): a["href"] for a in section.select(".issue-chips a")}
    assert chips == {"Housing": "/trainings/?issue=housing"}  # community safety has nothing coming up
    assert section.select_one(".section__header a")["href"] == "/trainings/"


def test_home_page_has_no_trainings_section_without_a_trainings_page(client, home_page):
    html = soup(client.get("/"))
    assert html.select_one("section.home-trainings") is None


def test_series_cards_show_their_pictures_with_renditions_in_one_query(client, trainings, primers):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.factories import EventSeriesPageFactory
    from home.images import ensure_demo_image

    def count_queries():
        client.get("/trainings/")  # renditions made, shell read
        cache.clear()  # renditions and shell cold again; the shell costs the same each time
        with CaptureQueriesContext(connection) as queries:
            html = soup(client.get("/trainings/"))
        return html, len(queries)

    primers.lead_image = ensure_demo_image("Primers picture", "")
    primers.save_revision().publish()
    html, one = count_queries()
    card = html.find("h2", string="Our series").find_parent("section").find("a", string=primers.title)
    card = card.find_parent("article")
    assert card.find("picture").find("source")["type"] == "image/webp"
    assert card.find("img")["alt"] == "" and card.find("img")["width"]

    for n in range(3):
        EventSeriesPageFactory(parent=trainings, title=f"Series {n}", lead_image=ensure_demo_image(f"Series {n}", ""))
    html, four = count_queries()
    assert len(html.select("#series-heading ~ .card-grid picture")) == 4
    assert four == one
