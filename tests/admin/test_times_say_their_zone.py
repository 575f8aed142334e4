"""Times that say their zone: scheduling in the editor's zone, a series' zone for new sessions, the PT = ET hint."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.users.models import UserProfile

from events.factories import EventPageFactory, EventSeriesPageFactory, TrainingIndexPageFactory
from events.models import EventPage, EventSeriesPage
from events.times import equivalence
from home.factories import StandardPageFactory

from .editing import edit_post_data

pytestmark = pytest.mark.django_db
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def admin_user(home_page):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def series(home_page):
    index = TrainingIndexPageFactory(parent=home_page)
    return EventSeriesPageFactory(parent=index, timezone="America/Los_Angeles")


def test_equivalence_reads_own_zone_first_then_the_other_coast():
    moment = datetime.datetime(2026, 2, 22, 14, 0, tzinfo=LA)
    assert equivalence(moment, "America/Los_Angeles") == "2:00 PM PT = 5:00 PM ET"
    assert equivalence(moment, "America/New_York") == "5:00 PM ET = 2:00 PM PT"
    assert equivalence(moment, "America/Chicago") == "4:00 PM CT = 2:00 PM PT = 5:00 PM ET"


def test_no_help_text_speaks_of_iana():
    for model in (EventPage, EventSeriesPage):
        for field in model._meta.get_fields():
            assert "IANA" not in str(getattr(field, "help_text", "")), f"{model.__name__}.{field.name}"


def test_a_new_session_takes_its_series_zone(admin_client, series):
    response = admin_client.get(reverse("wagtailadmin_pages:add", args=["events", "eventpage", series.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="America/Los_Angeles" selected>' in html
    assert "js/admin-event-times.js" in html
    assert 'data-event-time-hint="start"' in html


def test_edit_screen_states_the_saved_start_on_both_coasts(admin_client, series):
    start = datetime.datetime(2026, 3, 4, 14, 0, tzinfo=LA)
    event = EventPageFactory(
        parent=series, timezone="America/Los_Angeles", start=start, end=start + datetime.timedelta(hours=1)
    )
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert "Saved: 2:00 PM PT = 5:00 PM ET." in html


def test_scheduling_dialog_names_the_editors_zone_and_go_live_is_read_in_it(admin_client, admin_user, home_page):
    page = StandardPageFactory(parent=home_page, title="Convening recap")
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = admin_client.get(edit_url).content.decode()
    assert "your time zone: America/New_York" in html  # the site's zone by default

    profile = UserProfile.get_for_user(admin_user)
    profile.current_time_zone = "America/Los_Angeles"
    profile.save()
    html = admin_client.get(edit_url).content.decode()
    assert "your time zone: America/Los_Angeles" in html

    data = edit_post_data(admin_client, page)
    data["go_live_at"] = "2030-06-01 09:00"
    response = admin_client.post(edit_url, data)
    assert response.status_code == 302
    page.refresh_from_db()
    revision = page.get_latest_revision()
    go_live = revision.as_object().go_live_at
    assert go_live.astimezone(LA).hour == 9


def test_account_preferences_offer_the_us_zones(admin_client):
    html = admin_client.get(reverse("wagtailadmin_account")).content.decode()
    assert "America/Los_Angeles" in html and "America/Chicago" in html
    assert "Europe/Paris" not in html
