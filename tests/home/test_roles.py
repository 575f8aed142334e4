"""Staff roles and the Communications review workflow (docs/roles.md)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from home import roles
from home.factories import StandardPageFactory
from home.models import StandardPage

pytestmark = pytest.mark.django_db


def make_user(username, group_name=None, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw", first_name=username.title(), **extra
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor():
    return make_user("editor", roles.EDITORS)


@pytest.fixture
def lead():
    return make_user("lead", roles.COMMUNICATIONS_LEADS)


@pytest.fixture
def events_staff():
    return make_user("events", roles.EVENTS_STAFF)


@pytest.fixture
def helpdesk_staff():
    return make_user("helpdesk", roles.HELP_DESK_STAFF)


@pytest.fixture
def about(home_page):
    return StandardPageFactory(parent=home_page, title="About", slug="about", intro="Live intro.")


def edit_form(page, **changes):
    values = {"title": page.title, "slug": page.slug, "intro": page.intro, **changes}
    return nested_form_data({**values, "body": streamfield([]), "comments": inline_formset([])})


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def submit_for_review(client, user, page, **changes):
    client.force_login(user)
    response = client.post(edit_url(page), {**edit_form(page, **changes), "action-submit": "Submit"})
    assert response.status_code == 302, response.content[:2000]
    return Page.objects.get(pk=page.pk).specific


def workflow_action(client, user, page, action, comment=""):
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def test_exactly_the_four_staff_groups_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert names == set(roles.ALL_GROUPS)
    assert "Moderators" not in names


def test_the_review_workflow_covers_the_whole_site(about, home_page):
    workflow = Workflow.objects.get(name=roles.REVIEW_WORKFLOW)
    assert [task.name for task in workflow.tasks] == [roles.REVIEW_TASK]
    task = workflow.tasks.first().specific
    assert [group.name for group in task.groups.all()] == [roles.COMMUNICATIONS_LEADS]
    assert home_page.get_workflow() == workflow
    assert about.get_workflow() == workflow


def test_editor_sees_submit_but_no_publish_button(client, editor, about):
    client.force_login(editor)
    response = client.get(edit_url(about))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="action-submit"' in content
    assert 'name="action-publish"' not in content
    assert not about.permissions_for_user(editor).can_publish()


def test_editor_cannot_publish_with_a_direct_post(client, editor, about):
    client.force_login(editor)
    client.post(edit_url(about), {**edit_form(about, title="Hijacked"), "action-publish": "Publish"})
    live = Page.objects.get(pk=about.pk)
    assert live.title == "About"
    assert client.get("/about/").content.decode().count("Hijacked") == 0
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[about.pk]))
    assert Page.objects.get(pk=about.pk).live
    assert response.status_code in (302, 403)


def test_submitted_page_waits_in_the_leads_dashboard_and_they_are_emailed(client, editor, lead, about):
    mail.outbox.clear()
    submit_for_review(client, editor, about, title="About us")
    recipients = {address for message in mail.outbox for address in message.to}
    assert lead.email in recipients
    assert editor.email not in recipients
    client.force_login(lead)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Awaiting your review" in dashboard
    assert "About us" in dashboard
    client.force_login(editor)
    assert "Awaiting your review" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_approval_publishes_and_tells_the_editor(client, editor, lead, about):
    page = submit_for_review(client, editor, about, title="About us", intro="New intro.")
    assert Page.objects.get(pk=about.pk).title == "About"  # still the live version
    mail.outbox.clear()
    response = workflow_action(client, lead, page, "approve", comment="Looks good")
    assert response.status_code == 302
    live = StandardPage.objects.get(pk=about.pk)
    assert live.live and live.title == "About us" and live.intro == "New intro."
    assert "New intro." in client.get("/about/").content.decode()
    approved = [m for m in mail.outbox if editor.email in m.to]
    assert approved and "approved" in approved[0].subject.lower()


def test_requesting_changes_keeps_the_live_version_and_tells_the_editor_why(client, editor, lead, about):
    page = submit_for_review(client, editor, about, intro="Unreviewed intro.")
    mail.outbox.clear()
    workflow_action(client, lead, page, "reject", comment="Please cite the ordinance.")
    live = StandardPage.objects.get(pk=about.pk)
    assert live.intro == "Live intro."
    assert "Unreviewed intro." not in client.get("/about/").content.decode()
    to_editor = [m for m in mail.outbox if editor.email in m.to]
    assert to_editor
    assert "Please cite the ordinance." in to_editor[0].body
    # The editor sees the comment in the editor too.
    client.force_login(editor)
    assert "Please cite the ordinance." in client.get(edit_url(about)).content.decode()


def test_leads_can_publish_directly(client, lead, about):
    client.force_login(lead)
    content = client.get(edit_url(about)).content.decode()
    assert 'name="action-publish"' in content
    client.post(edit_url(about), {**edit_form(about, title="About the Lab"), "action-publish": "Publish"})
    assert Page.objects.get(pk=about.pk).title == "About the Lab"


def test_scheduled_page_publishes_when_publish_scheduled_runs(client, lead, home_page):
    now = timezone.now()
    page = StandardPageFactory(parent=home_page, title="Primer schedule", slug="schedule", live=False)
    client.force_login(lead)
    go_live = (now + datetime.timedelta(hours=2)).astimezone(timezone.get_current_timezone())
    client.post(
        edit_url(page),
        {**edit_form(page, go_live_at=go_live.strftime("%Y-%m-%d %H:%M")), "action-publish": "Publish"},
    )
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision().approved_go_live_at is not None

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live  # not due yet

    with time_machine.travel(now + datetime.timedelta(hours=3), tick=False):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert client.get("/schedule/").status_code == 200


def test_events_staff_hold_the_registrations_permission_only(client, events_staff, about):
    assert events_staff.has_perm(roles.MANAGE_REGISTRATIONS)
    assert not events_staff.has_perm(roles.MANAGE_HELPDESK)
    assert not about.permissions_for_user(events_staff).can_edit()
    client.force_login(events_staff)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert client.get(edit_url(about)).status_code in (302, 403)


def test_help_desk_staff_edit_like_editors_and_hold_the_help_desk_permission(helpdesk_staff, about):
    assert helpdesk_staff.has_perm(roles.MANAGE_HELPDESK)
    assert not helpdesk_staff.has_perm(roles.MANAGE_REGISTRATIONS)
    perms = about.permissions_for_user(helpdesk_staff)
    assert perms.can_edit()
    assert not perms.can_publish()


def test_only_leads_change_site_settings(client, editor, lead, site):
    url = reverse("wagtailsettings:edit", args=["home", "sitesettings", site.pk])
    client.force_login(lead)
    assert client.get(url).status_code == 200
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)


@pytest.mark.parametrize("group_name", roles.ALL_GROUPS)
def test_no_staff_group_manages_users_or_groups(client, group_name):
    user = make_user("someone", group_name)
    client.force_login(user)
    assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    assert client.get(reverse("wagtailusers_groups:index")).status_code in (302, 403)


@pytest.mark.parametrize("group_name", [roles.EDITORS, roles.COMMUNICATIONS_LEADS, roles.HELP_DESK_STAFF])
def test_page_editors_can_upload_images_and_documents(client, group_name):
    client.force_login(make_user("someone", group_name))
    assert client.get(reverse("wagtailimages:add")).status_code == 200
    assert client.get(reverse("wagtaildocs:add")).status_code == 200


def test_editors_delete_only_their_own_images_and_leads_any(client, editor, lead):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    theirs = Image.objects.create(title="Convening", file=get_test_image_file(), uploaded_by_user=lead)
    own = Image.objects.create(title="Mine", file=get_test_image_file(), uploaded_by_user=editor)
    client.force_login(editor)
    client.post(reverse("wagtailimages:delete", args=[theirs.pk]))
    assert Image.objects.filter(pk=theirs.pk).exists()
    client.post(reverse("wagtailimages:delete", args=[own.pk]))
    assert not Image.objects.filter(pk=own.pk).exists()
    client.force_login(lead)
    client.post(reverse("wagtailimages:delete", args=[theirs.pk]))
    assert not Image.objects.filter(pk=theirs.pk).exists()
