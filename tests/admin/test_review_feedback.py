"""Review feedback you cannot miss: the requested change on the edit screen, honest emails, block problems early."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import Page

from home import roles
from home.factories import StandardPageFactory

from .editing import edit_post_data, stream_post_data

pytestmark = pytest.mark.django_db


def make_user(username, group, first, last):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw", first_name=first, last_name=last
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("erin", roles.EDITORS, "Erin", "Editor")


@pytest.fixture
def lead(db):
    return make_user("lee", roles.COMMUNICATIONS_LEADS, "Lee", "Lead")


@pytest.fixture
def about(home_page):
    return StandardPageFactory(parent=home_page, title="About", slug="about", intro="Live intro.")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_requested_changes_show_on_the_edit_screen_with_who_and_the_email_says_so(client, editor, lead, about):
    client.force_login(editor)
    data = edit_post_data(client, about)
    data["intro"] = "Unreviewed intro."
    data["action-submit"] = "Submit"
    assert client.post(edit_url(about), data).status_code == 302

    mail.outbox.clear()
    about.refresh_from_db()
    task_state = about.current_workflow_task_state
    client.force_login(lead)
    url = reverse("wagtailadmin_pages:workflow_action", args=[about.pk, "reject", task_state.pk])
    client.post(url, {"comment": "Please cite the ordinance in the intro."})

    to_editor = [m for m in mail.outbox if editor.email in m.to]
    assert to_editor
    assert "changes requested" in to_editor[0].subject.lower()
    assert "rejected" not in (to_editor[0].subject + to_editor[0].body).lower()
    assert "Lee Lead requested changes" in to_editor[0].body
    assert "Please cite the ordinance in the intro." in to_editor[0].body

    client.force_login(editor)
    html = client.get(edit_url(about)).content.decode()
    assert "Changes requested by Lee Lead" in html
    assert "Please cite the ordinance in the intro." in html

    # Once resubmitted, the old request no longer shows.
    data = edit_post_data(client, about)
    data["intro"] = "Reviewed intro, with the ordinance cited."
    data["action-submit"] = "Submit"
    assert client.post(edit_url(about), data).status_code == 302
    assert "Changes requested by Lee Lead" not in client.get(edit_url(about)).content.decode()


def test_saving_a_draft_lists_required_block_fields_before_submit_would_fail(client, editor, about):
    client.force_login(editor)
    data = edit_post_data(client, about)
    body = about._meta.get_field("body").stream_block
    value = body.to_python(
        [
            {"type": "heading", "value": {"text": "Fine heading", "level": "h2"}},
            {
                "type": "call_to_action",
                "value": {"text": "", "page": None, "url": "https://example.org/", "style": "primary"},
            },
        ]
    )
    for key in [k for k in data if k.startswith("body-")]:
        del data[key]
    data.update(stream_post_data("body", body, value))
    response = client.post(edit_url(about), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be submitted for review or published until these are filled in" in html
    assert "block 2 (Button (call to action))" in html
    assert "text: This field is required." in html
    assert response.redirect_chain, "the draft itself is saved"

    # A complete body saves without the warning.
    about = Page.objects.get(pk=about.pk).specific
    data = edit_post_data(client, about)
    for key in [k for k in data if k.startswith("body-")]:
        del data[key]
    data.update(stream_post_data("body", body, body.to_python(value.raw_data[:1])))
    html = client.post(edit_url(about), data, follow=True).content.decode()
    assert "cannot be submitted for review" not in html


def test_an_autosave_half_way_leaves_no_warning_for_the_next_screen(client, editor, about):
    """Wagtail autosaves as the editor types: a block not yet filled in then is no problem to report later."""
    client.force_login(editor)
    data = edit_post_data(client, about)
    body = about._meta.get_field("body").stream_block
    half_way = body.to_python(
        [{"type": "call_to_action", "value": {"text": "", "page": None, "url": "https://example.org/"}}]
    )
    for key in [k for k in data if k.startswith("body-")]:
        del data[key]
    data.update(stream_post_data("body", body, half_way))
    response = client.post(edit_url(about), data, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["success"]

    html = client.get(edit_url(about)).content.decode()
    assert "cannot be submitted for review" not in html
