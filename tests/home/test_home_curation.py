"""A home page editors can curate: featured resources and trainings, section headings."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from events.factories import EventPageFactory, TrainingIndexPageFactory
from home.models import HomeFeaturedResource, HomeFeaturedTraining
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory
from library.models import ResourcePage

pytestmark = pytest.mark.django_db


def section_titles(client, heading):
    html = BeautifulSoup(client.get("/").content, "html.parser")
    h2 = html.find("h2", string=heading)
    assert h2 is not None, f"no section headed {heading!r}"
    section = h2.find_parent("section")
    return [a.get_text(strip=True) for a in section.select(".card__title a, h3 a")]


@pytest.fixture
def content(home_page):
    library = ResourceLibraryPageFactory(parent=home_page)
    today = timezone.localdate()
    resources = [
        ResourcePageFactory(parent=library, title=f"Resource {i}", published_date=today - datetime.timedelta(days=i))
        for i in range(8)
    ]
    trainings = TrainingIndexPageFactory(parent=home_page)
    now = timezone.now()
    events = [
        EventPageFactory(
            parent=trainings,
            title=f"Session {i}",
            start=now + datetime.timedelta(days=i + 1),
            end=now + datetime.timedelta(days=i + 1, hours=1),
        )
        for i in range(5)
    ]
    return resources, events


def test_without_picks_the_home_page_shows_the_newest_and_the_next(client, content):
    assert section_titles(client, "Latest from the resource library")[:2] == ["Resource 0", "Resource 1"]
    assert section_titles(client, "Upcoming trainings")[:3] == ["Session 0", "Session 1", "Session 2"]


def test_featured_picks_come_first_and_the_rest_fill_up(client, home_page, content):
    resources, events = content
    HomeFeaturedResource.objects.create(page=home_page, feature=resources[7], sort_order=0)
    HomeFeaturedTraining.objects.create(page=home_page, feature=events[4], sort_order=0)
    titles = section_titles(client, "Latest from the resource library")
    assert titles[:3] == ["Resource 7", "Resource 0", "Resource 1"]
    assert len(titles) == 6 and titles.count("Resource 7") == 1
    assert section_titles(client, "Upcoming trainings")[:3] == ["Session 4", "Session 0", "Session 1"]


def test_finished_or_unpublished_picks_drop_off(client, home_page, content):
    resources, events = content
    past = EventPageFactory(
        parent=events[0].get_parent(),
        title="Finished session",
        start=timezone.now() - datetime.timedelta(days=2),
        end=timezone.now() - datetime.timedelta(days=2, hours=-1),
    )
    HomeFeaturedTraining.objects.create(page=home_page, feature=past, sort_order=0)
    resources[5].unpublish()
    HomeFeaturedResource.objects.create(page=home_page, feature=resources[5], sort_order=0)
    assert "Finished session" not in section_titles(client, "Upcoming trainings")
    assert "Resource 5" not in section_titles(client, "Latest from the resource library")


def test_section_headings_are_editable(client, home_page, content):
    home_page.trainings_heading = "Learn with us"
    home_page.resources_heading = "Fresh from the library"
    home_page.save_revision().publish()
    assert section_titles(client, "Learn with us")
    assert section_titles(client, "Fresh from the library")


def test_resource_date_is_labelled_for_what_it_does():
    field = ResourcePage._meta.get_field("published_date")
    assert field.verbose_name == "date shown"
    assert "newest" in field.help_text
