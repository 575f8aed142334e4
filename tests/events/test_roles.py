"""Events staff edit the trainings section, and only that (docs/roles.md)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.factories import EventPageFactory
from events.models import EventPage, TrainingIndexPage
from events.roles import grant_events_staff_page_rights
from home import roles
from home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def make_user(username, group_name=None, **extra):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw", **extra)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def events_rights(page):
    return set(
        GroupPagePermission.objects.filter(group__name=roles.EVENTS_STAFF, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_creating_the_trainings_page_in_the_admin_opens_it_to_events_staff(client, home_page):
    client.force_login(make_user("boss", is_superuser=True, is_staff=True))
    url = reverse("wagtailadmin_pages:add", args=["events", "trainingindexpage", home_page.pk])
    data = nested_form_data(
        {
            "title": "Trainings & Webinars",
            "slug": "trainings",
            "intro": rich_text("<p>Our trainings.</p>"),
            "comments": inline_formset([]),
            "form_fields": inline_formset([]),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    index = TrainingIndexPage.objects.get()
    assert events_rights(index) == {"add_page", "change_page", "lock_page"}
    assert "publish_page" not in events_rights(index)


@pytest.fixture
def events_user():
    return make_user("events", roles.EVENTS_STAFF)


@pytest.fixture
def open_trainings(trainings):
    grant_events_staff_page_rights(trainings)
    assert grant_events_staff_page_rights(trainings) == 0  # idempotent
    return trainings


def edit_data(page, **changes):
    values = {
        "title": page.title,
        "slug": page.slug,
        "timezone": page.timezone,
        "start": "2026-05-14 13:00",
        "end": "2026-05-14 14:00",
        "location_name": page.location_name,
        "meeting_url": page.meeting_url,
        "description": rich_text(page.description),
        "comments": inline_formset([]),
        "form_fields": inline_formset([]),
        **changes,
    }
    return nested_form_data(values)


def test_events_staff_draft_training_pages_but_cannot_publish(client, events_user, open_trainings, primers):
    session = EventPageFactory(parent=primers, title="Housing", slug="housing")
    perms = session.permissions_for_user(events_user)
    assert perms.can_edit() and perms.can_lock()
    assert not perms.can_publish()
    assert open_trainings.permissions_for_user(events_user).can_add_subpage()

    client.force_login(events_user)
    edit_url = reverse("wagtailadmin_pages:edit", args=[session.pk])
    page = client.get(edit_url)
    assert page.status_code == 200
    assert 'name="action-publish"' not in page.content.decode()

    response = client.post(edit_url, edit_data(session, title="Housing 101"))
    assert response.status_code == 302
    draft = EventPage.objects.get(pk=session.pk)
    assert draft.get_latest_revision_as_object().title == "Housing 101"
    assert draft.title == "Housing"  # the live page is unchanged

    client.post(edit_url, {**edit_data(session, title="Published by events"), "action-publish": "1"})
    assert EventPage.objects.get(pk=session.pk).title == "Housing"
    assert "Published by events" not in client.get(session.url).content.decode()


def test_events_staff_still_cannot_edit_other_pages(client, events_user, open_trainings, home_page):
    about = StandardPageFactory(parent=home_page, title="About", slug="about")
    assert not about.permissions_for_user(events_user).can_edit()
    assert not home_page.permissions_for_user(events_user).can_edit()
    client.force_login(events_user)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[about.pk])).status_code in (302, 403)
    assert Page.objects.get(pk=about.pk).title == "About"
