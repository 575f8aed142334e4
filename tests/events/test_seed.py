"""The trainings part of `seed_demo`: the source pages' sessions, re-dated around today, safe to repeat."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from wagtail.models import GroupPagePermission

from events.demo import PRIMER_SESSIONS, WORKSHOPS, seed_events
from events.models import EventPage, EventSeriesPage, TrainingIndexPage
from home import roles
from home.models import HomePage
from taxonomy.models import IssueArea

from .conftest import LOS_ANGELES, NEW_YORK, UTC

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        EventPage.objects.values_list("url_path", "title", "start", "end", "meeting_url", "recording_url", "live")
    )


# A Sunday in winter, a Wednesday evening after the Primer hour, and a Thursday morning before the workshop hour.
MOMENTS = [
    datetime.datetime(2026, 1, 11, 15, tzinfo=UTC),
    datetime.datetime(2026, 10, 28, 23, tzinfo=UTC),
    datetime.datetime(2027, 3, 11, 15, tzinfo=UTC),
]


@pytest.mark.parametrize("now", MOMENTS, ids=["sunday", "wednesday-evening", "thursday-morning"])
def test_sessions_keep_their_weekday_and_local_time_and_most_are_upcoming(client, home_page, now):
    with time_machine.travel(now, tick=False):
        seed_events(home_page)  # alone, without the library's seed: it brings its own issue areas
        index = TrainingIndexPage.objects.get()
        series = EventSeriesPage.objects.get(slug="policy-strategy-primers")
        primers = list(EventPage.objects.child_of(series).order_by("start"))
        workshops = list(EventPage.objects.child_of(index).order_by("start"))
        assert len(primers) == len(PRIMER_SESSIONS) == 12
        assert len(workshops) == len(WORKSHOPS) == 8

        for event in primers:
            local = event.start.astimezone(NEW_YORK)
            assert (local.hour, local.minute) == (16, 0), event
            assert local.strftime("%a") == ("Thu" if event.slug == "workers-rights" else "Wed"), event
        for event in workshops:
            local = event.start.astimezone(LOS_ANGELES)
            assert (local.strftime("%a"), local.hour) == ("Thu", 13), event
            assert event.when["times"] == "1pm PT / 4pm ET"

        for group, past_count in ((primers, 3), (workshops, 2)):
            past = [event for event in group if event.end <= now]
            assert len(past) == past_count
            assert all(event.recording_url for event in past)
            assert not any(event.recording_url for event in group if event.end > now)
            # The next one is within a week.
            assert group[past_count].start - now <= datetime.timedelta(days=7)
        everything = primers + workshops
        assert all(event.meeting_url.startswith("https://zoom.us/j/") for event in everything)
        assert all(event.issue_areas.exists() for event in everything)
        assert all(event.live for event in everything)

        html = client.get("/trainings/").content.decode()
        assert "15 upcoming trainings" in html
        assert "zoom.us/j" not in html


def test_seed_demo_builds_the_trainings_and_a_second_run_adds_nothing_and_keeps_edits(client, demo):
    index = TrainingIndexPage.objects.get()
    assert index.url == "/trainings/" and index.title == "Trainings & Webinars" and index.show_in_menus
    assert set(
        GroupPagePermission.objects.filter(group__name=roles.EVENTS_STAFF, page=index).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page", "change_page", "lock_page"}
    series = EventSeriesPage.objects.get()
    (faq,) = [block for block in series.body if block.block_type == "faq"]
    assert [item["question"] for item in faq.value["items"]] == [
        "Who can sign up for the Policy & Strategy Primers?",
        "Can I invite my staff to join?",
        "I can’t make any of the virtual workshops. Are there other resources available?",
    ]
    home = HomePage.objects.get()
    assert home.hero_cta_page_id == index.pk and home.hero_cta_text == "Find a training"
    assert IssueArea.objects.filter(slug="workers-rights").exists()
    home_html = client.get("/").content.decode()
    assert "Upcoming trainings" in home_html and "1pm PT / 4pm ET" in home_html

    first = snapshot()
    edited = EventPage.objects.get(slug="housing-justice")
    edited.title = "Housing Justice (rescheduled)"
    edited.start = edited.start + datetime.timedelta(days=1)
    edited.end = edited.end + datetime.timedelta(days=1)
    edited.save_revision().publish()
    deleted = EventPage.objects.get(slug="local-budgets-finance")
    deleted.delete()

    # Weeks later the demo would date sessions differently; existing ones are found by slug, not date.
    with time_machine.travel(datetime.timedelta(days=40)):
        call_command("seed_demo", verbosity=0)

    assert EventPage.objects.count() == len(first)
    edited = EventPage.objects.get(slug="housing-justice")
    assert edited.title == "Housing Justice (rescheduled)" and edited.sequence == 1
    recreated = EventPage.objects.get(slug="local-budgets-finance")
    assert recreated.title == "Local Budgets & Finance"
    unchanged = [row for row in first if "/housing-justice/" not in row[0] and "/local-budgets-finance/" not in row[0]]
    assert all(row in snapshot() for row in unchanged)
    assert TrainingIndexPage.objects.count() == 1 and EventSeriesPage.objects.count() == 1

    call_command("seed_demo", verbosity=0)
    assert EventPage.objects.count() == len(first)
