"""Preview never breaks: every page type previews from its edit form, in-memory relations included.

The admin's preview posts the edit form (unsaved changes, ParentalKey and
ParentalManyToMany relations held in memory by modelcluster) and renders the
page from it. A page type whose template or context queries the database for
those relations breaks the preview for editors and reviewers alike; this test
posts every page type's edit form, with a change to each relation, and reads
the preview back.
"""

import importlib

import pytest
from django.contrib.auth import get_user_model
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models

from home.models import HomePage
from library.factories import ResourcePageFactory
from taxonomy.factories import IssueAreaFactory

from .editing import cache_embed, edit_post_data, every_block, make_document, make_image, preview

pytestmark = pytest.mark.django_db

PAGE_MODELS = sorted((m for m in get_page_models() if m is not Page), key=lambda m: m._meta.label)


def factory_for(model):
    module = importlib.import_module(f"{model._meta.app_label}.factories")
    factory = getattr(module, f"{model.__name__}Factory", None)
    assert factory is not None, f"add {model.__name__}Factory to {model._meta.app_label}/factories.py"
    return factory


def make_page(model, home, made):
    """A saved ``model`` page under a valid parent (made the same way), with every block in its bodies."""
    if model is HomePage:
        return home
    if model in made:
        return made[model]
    parents = [m for m in model.allowed_parent_page_models() if m is not Page]
    assert parents, f"{model.__name__} has no parent page type"
    parent = make_page(parents[0], home, made)
    page = factory_for(model)(parent=parent)
    made[model] = page
    return page


@pytest.fixture
def admin_client(client, home_page):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda m: m._meta.label)
def test_every_page_type_previews_from_its_edit_form(admin_client, home_page, model):
    made = {}
    page = make_page(model, home_page, made).specific
    image, document = make_image(), make_document()
    cache_embed()
    for field in page._meta.get_fields():
        if isinstance(field, StreamField) and "paragraph" in field.stream_block.child_blocks:
            setattr(page, field.name, every_block(image, document, home_page))
    page.save_revision().publish()
    page.refresh_from_db()

    data = edit_post_data(admin_client, page)
    data["title"] = f"Unsaved title of a {model._meta.verbose_name}"
    expected = [data["title"], "How it works", "Governing is a team sport.", "Model ordinance (PDF)"]
    expected = [text for text in expected if "body" in data or text == data["title"]]

    # In-memory relations: a new issue area ticked, a new editor's pick added.
    if "issue_areas" in {f.name for f in model._meta.get_fields()}:
        area = IssueAreaFactory(name="Preview-only area", slug="preview-only")
        data.setlist("issue_areas", [str(area.pk)])
        if "related_links-TOTAL_FORMS" not in data:
            expected.append("Preview-only area")
        sharing = ResourcePageFactory(
            parent=make_page(ResourcePageFactory._meta.model.allowed_parent_page_models()[0], home_page, made),
            title="Resource sharing the new area",
            issue_areas=[area],
        )
        if model._meta.label in ("library.ResourcePage", "events.EventPage"):
            expected.append(sharing.title)
    if "related_links-TOTAL_FORMS" in data:
        pick = ResourcePageFactory(parent=page.get_parent(), title="Editor's pick for the preview")
        total = int(data["related_links-TOTAL_FORMS"])
        # The chooser of the related-link model: a resource (resources) or any page (articles).
        link_model = model._meta.get_field("related_links").related_model
        chooser = "resource" if "resource" in {f.name for f in link_model._meta.get_fields()} else "page"
        data[f"related_links-{total}-{chooser}"] = str(pick.pk)
        data[f"related_links-{total}-ORDER"] = str(total + 1)
        data[f"related_links-{total}-DELETE"] = ""
        data["related_links-TOTAL_FORMS"] = str(total + 1)
        expected.append(pick.title)
        if "issue_areas" in {f.name for f in model._meta.get_fields()}:
            expected.append("Preview-only area")

    for mode in page.preview_modes:
        response = preview(admin_client, page, data, mode=mode[0])
        assert response.status_code == 200
        html = response.content.decode()
        for text in expected:
            assert text in html.replace("&#x27;", "'"), f"{text!r} missing from the {mode[0]!r} preview"
