"""Deleting a page never deletes what members sent through it (submissions cascade with their page)."""

import pytest
from django.urls import reverse

from helpdesk.models import HelpDeskRequest

from .conftest import intake

pytestmark = pytest.mark.django_db


def test_a_page_holding_requests_is_not_deleted_and_the_editor_is_told_why(client, help_desk, superuser):
    client.post("/help-desk/", intake())
    assert HelpDeskRequest.objects.count() == 1
    client.force_login(superuser)
    delete_url = reverse("wagtailadmin_pages:delete", args=[help_desk.pk])

    asked = client.get(delete_url, follow=True)
    assert "Not deleted: members sent submissions through this page" in asked.text
    assert "1 in Help Desk" in asked.text

    refused = client.post(delete_url)
    assert refused.status_code == 302
    assert HelpDeskRequest.objects.count() == 1
    assert type(help_desk).objects.filter(pk=help_desk.pk).exists()


def test_deleting_a_parent_in_bulk_is_refused_too(client, help_desk, superuser, home_page):
    client.post("/help-desk/", intake())
    client.force_login(superuser)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    response = client.post(f"{url}?id={help_desk.pk}&childOf={home_page.pk}")
    assert response.status_code == 302
    assert HelpDeskRequest.objects.count() == 1 and type(help_desk).objects.filter(pk=help_desk.pk).exists()


def test_a_page_without_submissions_is_deleted_as_before(client, help_desk, superuser):
    client.force_login(superuser)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[help_desk.pk]))
    assert response.status_code == 302
    assert not type(help_desk).objects.filter(pk=help_desk.pk).exists()
