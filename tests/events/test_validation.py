"""What editors are told when an event does not make sense, and how the admin reads times."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.factories import EventPageFactory
from events.models import EventPage

from .conftest import LOS_ANGELES, NEW_YORK, UTC

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 2, 22, 13, tzinfo=LOS_ANGELES)


def errors_for(page):
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    return excinfo.value.message_dict


def test_end_before_start_is_refused(trainings):
    page = EventPageFactory(parent=trainings, start=START, end=START + datetime.timedelta(hours=1))
    page.end = START - datetime.timedelta(hours=1)
    assert errors_for(page)["end"] == ["The end must be after the start."]
    page.end = START
    assert errors_for(page)["end"] == ["The end must be after the start."]


def test_registration_deadline_after_the_end_is_refused(trainings):
    page = EventPageFactory(parent=trainings, start=START, end=START + datetime.timedelta(hours=1))
    page.registration_closes = page.end + datetime.timedelta(minutes=1)
    assert errors_for(page)["registration_closes"] == ["Registration must close before the event ends."]
    page.registration_closes = page.end
    page.full_clean()


def test_unknown_time_zone_is_refused(trainings):
    page = EventPageFactory(parent=trainings)
    for bad in ("Mars/Olympus_Mons", "EST5EDT-nope", "../etc/passwd", ""):
        page.timezone = bad
        assert "timezone" in errors_for(page), bad
    page.timezone = "America/Chicago"
    page.full_clean()


def test_the_meeting_link_cannot_be_pasted_into_public_fields(trainings):
    page = EventPageFactory(parent=trainings, meeting_url="https://zoom.us/j/81234567890?pwd=abc")
    page.description = '<p>Join at <a href="https://zoom.us/j/81234567890">Zoom</a></p>'
    assert "keep the meeting link" in errors_for(page)["description"][0]


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(admin)
    return client


def event_form(**overrides):
    data = {
        "title": "Workers’ Rights",
        "slug": "workers-rights",
        "timezone": "America/Los_Angeles",
        "start": "2026-02-22 13:00",
        "end": "2026-02-22 14:30",
        "location_name": "Zoom",
        "meeting_url": "https://zoom.us/j/81234567890",
        "description": rich_text("<p>Policy levers for workers.</p>"),
        "capacity": "",
        "registration_closes": "",
        "recording_url": "",
        "comments": inline_formset([]),
        "form_fields": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["events", "eventpage", parent.pk])


def test_admin_reads_times_in_the_events_own_zone(admin_client, trainings, housing):
    response = admin_client.post(
        add_url(trainings), {**event_form(), "issue_areas": [housing.pk], "action-publish": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = EventPage.objects.get(slug="workers-rights")
    assert page.start == datetime.datetime(2026, 2, 22, 21, tzinfo=UTC)  # 1pm in Los Angeles
    assert page.end == datetime.datetime(2026, 2, 22, 22, 30, tzinfo=UTC)
    assert list(page.issue_areas.all()) == [housing]

    # The edit form shows the same wall-clock time back, not the admin's own zone (New York).
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'value="2026-02-22 13:00"' in edit
    assert 'value="2026-02-22 16:00"' not in edit


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end": "2026-02-22 12:00"}, "end", "The end must be after the start."),
        ({"registration_closes": "2026-02-22 15:00"}, "registration_closes", "Registration must close before"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "is not a time zone we know"),
        # 2:30am on March 8, 2026 never happens in Los Angeles: clocks jump from 2am to 3am.
        ({"start": "2026-03-08 02:30", "end": "2026-03-08 04:00"}, "start", "does not exist in America/Los_Angeles"),
    ],
)
def test_admin_shows_the_error_next_to_the_field(admin_client, trainings, overrides, field, message):
    response = admin_client.post(add_url(trainings), event_form(**overrides))
    assert response.status_code == 200
    assert not EventPage.objects.filter(slug="workers-rights").exists()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message.split("“")[0] in response.content.decode().replace("&#x27;", "'")


def test_new_york_editors_typing_for_a_west_coast_event_get_west_coast_times(admin_client, trainings):
    """The admin's own zone is New York; the event's zone decides what '13:00' means."""
    admin_client.post(add_url(trainings), {**event_form(timezone="America/New_York"), "action-publish": "1"})
    assert EventPage.objects.get(slug="workers-rights").start == datetime.datetime(2026, 2, 22, 13, tzinfo=NEW_YORK)


def test_editors_can_preview_a_new_event_and_an_edited_one(admin_client, trainings, primers):
    url = reverse("wagtailadmin_pages:preview_on_add", args=["events", "eventpage", primers.pk])
    response = admin_client.post(url, event_form())
    assert response.json()["is_valid"] is True
    preview = admin_client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Workers’ Rights" in html and "Sun, Feb 22 | 1pm PT / 4pm ET" in html
    assert "zoom.us/j" not in html

    page = EventPageFactory(parent=primers, title="Housing", slug="housing")
    edit_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert admin_client.post(edit_url, event_form(title="Housing 101", slug="housing"))
    html = admin_client.get(edit_url).content.decode()
    assert "Housing 101" in html and "Policy &amp; Strategy Primers" in html
