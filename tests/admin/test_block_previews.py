"""Block previews: the block picker shows each block rendered with real content and the site's CSS."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from home.blocks import BodyStreamBlock
from home.models import StandardPage
from home.samples import SAMPLE_DOCUMENT_TITLE, SAMPLE_IMAGE_TITLE, ensure_sample_media

pytestmark = pytest.mark.django_db

BODY = StandardPage._meta.get_field("body").stream_block


@pytest.fixture
def admin_client(client, home_page):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


def preview_html(client, block):
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    return response.content.decode()


def test_every_body_block_is_previewable_with_a_description_and_a_readable_label():
    assert isinstance(BODY, BodyStreamBlock)
    for name, block in BODY.child_blocks.items():
        assert block.is_previewable, f"{name} has no preview in the block picker"
        assert block.get_description(), name
    labels = {name: block.label for name, block in BODY.child_blocks.items()}
    assert labels["faq"] == "FAQ"
    assert labels["call_to_action"] == "Button (call to action)"
    assert all(label[0].isupper() for label in labels.values())


def test_block_previews_render_sample_content_with_the_site_css(admin_client):
    image, document = ensure_sample_media()
    expected = {
        "heading": "How it works",
        "paragraph": "Local Progress Impact Lab works with members",
        "image": "/media/images/",  # a rendition of the sample picture, not the placeholder
        "quote": "Governing is a team sport.",
        "call_to_action": "Check out our resource library",
        "faq": "Can I invite my staff to join?",
        "embed": "Policy &amp; Strategy Primer recording",
        "document": "PDF",
    }
    for name, block in BODY.child_blocks.items():
        html = preview_html(admin_client, block)
        assert "/static/css/site.css" in html, name
        assert expected[name] in html, f"{name} preview lacks {expected[name]!r}"
    image_html = preview_html(admin_client, BODY.child_blocks["image"])
    assert 'alt="Members meeting at the national convening"' in image_html
    assert "sf-image__placeholder" not in image_html
    assert document.url in preview_html(admin_client, BODY.child_blocks["document"])
    assert image.title == SAMPLE_IMAGE_TITLE and document.title == SAMPLE_DOCUMENT_TITLE


def test_block_picker_offers_previews(admin_client, home_page):
    """The add-page form's StreamField definition marks the blocks previewable for the picker."""
    response = admin_client.get(reverse("wagtailadmin_pages:add", args=["home", "standardpage", home_page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "FAQ" in html
    assert "Button (call to action)" in html
    # The picker reads each block's telepath definition: eight previewable blocks, none bare.
    assert html.count("&quot;isPreviewable&quot;: true") >= len(BODY.child_blocks)
