"""Helpers that drive the Wagtail admin the way a browser does: edit-form data, previews, sample content."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail import blocks
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.fields import StreamField
from wagtail.images.models import Image
from wagtail.test.utils.form_data import _querydict_from_form
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

EMBED_URL = "https://www.youtube.com/watch?v=preview-sample"


def make_image(title="Members at the national convening", colour=(200, 60, 40)):
    """A real PNG image made with Pillow (no network)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), colour).save(buffer, "PNG")
    return Image.objects.create(title=title, file=SimpleUploadedFile("sample.png", buffer.getvalue()))


def make_document(title="Model ordinance"):
    return Document.objects.create(
        title=title, file=SimpleUploadedFile("ordinance.pdf", b"%PDF-1.4 sample ordinance\n%%EOF\n")
    )


def cache_embed(url=EMBED_URL, title="Policy primer recording"):
    """Wagtail reads embeds from its Embed table before asking a provider: fill it so nothing goes online."""
    return Embed.objects.get_or_create(
        hash=get_embed_hash(url),
        defaults={
            "url": url,
            "type": "video",
            "html": f'<iframe title="{title}" src="https://www.youtube-nocookie.com/embed/x"></iframe>',
            "title": title,
            "provider_name": "YouTube",
        },
    )[0]


def every_block(image, document, page):
    """A body holding every block of the shared StreamBlock, with real content."""
    return [
        ("heading", {"text": "How it works", "level": "h2"}),
        ("paragraph", "<p>Everything a member needs to pass a tenant protection ordinance.</p>"),
        ("image", {"image": image, "alt_text": "Members at a convening", "decorative": False, "caption": "Denver"}),
        ("quote", {"quote": "Governing is a team sport.", "attribution": "Sarah Johnson"}),
        ("call_to_action", {"text": "Ask the Help Desk", "page": page, "url": "", "style": "primary"}),
        (
            "faq",
            {
                "heading": "Frequently asked questions",
                "items": [{"question": "Can my staff come?", "answer": "<p>Yes, all of them.</p>"}],
            },
        ),
        ("embed", {"embed": EMBED_URL, "title": "Policy primer recording"}),
        ("document", {"document": document, "title": "Model ordinance (PDF)"}),
    ]


def edit_form_soup(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200, response.status_code
    soup = WagtailTestUtils.get_soup(response.content)
    return response, soup


def find_page_form(soup):
    for form in soup.find_all("form"):
        if form.find("input", attrs={"name": "title"}):
            return form
    raise AssertionError("no page form on the edit screen")


def _block_post_data(block, state, prefix, out):
    """Turn a block's form state (what the admin's JavaScript starts from) into the POST data it sends."""
    if isinstance(block, blocks.StreamBlock):
        state = state or []
        out[f"{prefix}-count"] = str(len(state))
        for i, item in enumerate(state):
            out[f"{prefix}-{i}-type"] = item["type"]
            out[f"{prefix}-{i}-deleted"] = ""
            out[f"{prefix}-{i}-order"] = str(i)
            out[f"{prefix}-{i}-id"] = item.get("id") or ""
            _block_post_data(block.child_blocks[item["type"]], item["value"], f"{prefix}-{i}-value", out)
    elif isinstance(block, blocks.ListBlock):
        state = state or []
        out[f"{prefix}-count"] = str(len(state))
        for i, item in enumerate(state):
            out[f"{prefix}-{i}-deleted"] = ""
            out[f"{prefix}-{i}-order"] = str(i)
            out[f"{prefix}-{i}-id"] = item.get("id") or ""
            _block_post_data(block.child_block, item["value"], f"{prefix}-{i}-value", out)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _block_post_data(child, (state or {}).get(name), f"{prefix}-{name}", out)
    elif isinstance(block, blocks.BooleanBlock):
        if state:
            out[prefix] = "on"
    else:
        if isinstance(state, dict):  # choosers: {"id": ..., "title": ...}
            state = state.get("id")
        if isinstance(state, list):  # choices: ["h2"]
            state = state[0] if state else None
        out[prefix] = "" if state is None else str(state)


def stream_post_data(field_name, stream_block, value):
    out = {}
    _block_post_data(stream_block, stream_block.get_form_state(value), field_name, out)
    return out


def edit_post_data(client, page):
    """The data the edit screen would post for ``page`` as it is stored, StreamFields included."""
    _, soup = edit_form_soup(client, page)
    data = _querydict_from_form(find_page_form(soup))
    for key in [k for k in data if "__prefix__" in k]:
        del data[key]
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            for key in [k for k in data if k == field.name or k.startswith(field.name + "-")]:
                del data[key]
            data.update(stream_post_data(field.name, field.stream_block, getattr(page, field.name)))
    return data


def preview(client, page, data, mode=None):
    """Post ``data`` to the edit view's preview, as the admin does, then fetch the rendered preview."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    result = json.loads(response.content)
    if not result["is_valid"]:
        edit = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        form = edit.context["form"]
        errors = {
            name: [getattr(e, "block_errors", None) or e.messages for e in errs]
            for name, errs in form.errors.as_data().items()
        }
        formsets = {name: [f.errors for f in fs.forms] for name, fs in form.formsets.items()}
        raise AssertionError(f"the preview found the form invalid: {errors} {formsets}")
    params = {"mode": mode} if mode is not None else {}
    return client.get(url, params)
