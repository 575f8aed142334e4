"""Sample media for block previews and the demo: a real picture and a real PDF, made locally.

The block picker previews each block with real content. The image and
document blocks need a file to show: ``ensure_sample_media`` (run by
``seed_demo``) creates one of each, and the blocks' preview values pick them
(or, on a site without them, the newest image and document editors uploaded).
"""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .pdf import make_pdf

SAMPLE_IMAGE_TITLE = "Local Progress members at the National Convening"
SAMPLE_DOCUMENT_TITLE = "Model tenant protection ordinance"

BRAND = (0, 84, 166)
ACCENT = (238, 93, 54)
TINT = (232, 241, 250)


def sample_image_bytes(width=1200, height=675):
    """A PNG drawn with Pillow: a brand-coloured banner of overlapping circles (people around a table)."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), TINT)
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, height * 2 // 3, width, height], fill=BRAND)
    for i in range(7):
        x = width * (i + 1) // 8
        radius = height // 9
        colour = ACCENT if i % 2 else BRAND
        draw.ellipse([x - radius, height // 3 - radius, x + radius, height // 3 + radius], fill=colour)
        draw.rectangle([x - radius, height // 3 + radius + 10, x + radius, height * 2 // 3], fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def ensure_sample_media(log=lambda message: None):
    """The sample image and document, created once (idempotent)."""
    Image = get_image_model()
    image = Image.objects.filter(title=SAMPLE_IMAGE_TITLE).first()
    if image is None:
        picture = ImageFile(io.BytesIO(sample_image_bytes()), name="national-convening.png")
        image = Image.objects.create(title=SAMPLE_IMAGE_TITLE, file=picture)
        log("Created the sample image")
    Document = get_document_model()
    document = Document.objects.filter(title=SAMPLE_DOCUMENT_TITLE).first()
    if document is None:
        document = Document(title=SAMPLE_DOCUMENT_TITLE)
        lines = ["A sample ordinance members adapt to their city or county.", "Section 1. Purpose."]
        document.file.save(
            "model-tenant-protection-ordinance.pdf", ContentFile(make_pdf(document.title, lines)), save=False
        )
        document.save()
        log("Created the sample document")
    return image, document


def sample_image():
    """The sample image, else the newest image, else None (the block then previews its placeholder)."""
    Image = get_image_model()
    return Image.objects.filter(title=SAMPLE_IMAGE_TITLE).first() or Image.objects.order_by("-pk").first()


def sample_document():
    Document = get_document_model()
    return Document.objects.filter(title=SAMPLE_DOCUMENT_TITLE).first() or Document.objects.order_by("-pk").first()
