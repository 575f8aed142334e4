"""Pictures: the lead-image field page types share, and the demo pictures the seed draws.

Alt text comes from the image's ``description`` (Wagtail's own field, which
``{% picture %}`` and ``{% image %}`` use as ``alt`` by default); a picture
without a description is treated as decorative and gets ``alt=""``
(``templates/components/picture.html``). Templates render lead images with
``{% picture %}``: WebP with a JPEG fallback, several widths and explicit
width and height, so nothing shifts while they load.

The demo pictures are drawn here with Pillow (gradients, shapes and a title):
nothing is downloaded, and ``make run`` shows a site with pictures.
"""

import functools
import io
import math
import random

from django.core.files.images import ImageFile
from django.db import models
from django.db.models import prefetch_related_objects

DEMO_SIZE = (1200, 675)

# Site palette (static/css/site.css): brand teal, accent orange, and friends.
PALETTES = {
    "teal": ((11, 79, 92), (21, 128, 140), (245, 158, 11)),
    "orange": ((154, 52, 18), (194, 65, 12), (254, 215, 170)),
    "plum": ((76, 29, 89), (126, 58, 140), (250, 204, 21)),
    "blue": ((23, 37, 84), (37, 99, 235), (134, 239, 172)),
    "green": ((20, 83, 45), (22, 163, 74), (254, 240, 138)),
}


def lead_image_field(what):
    """A nullable lead-image foreign key with the shared help text."""
    return models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=f"The picture at the top of the {what} and on its cards. Its alt text is the image's "
        "description (edit it under Images); an image without a description is shown as decorative.",
    )


def prefetch_lead_image_renditions(pages):
    """The renditions of every lead image these pages (of any kinds) show, in one query: each picture
    otherwise looks its own up in the cache and writes them back."""
    prefetch_related_objects([page.lead_image for page in pages if page.lead_image_id], "renditions")


class LeadImageShareMixin:
    """For page types with a lead image and no social image of their own: share cards (``og:image``) show the
    lead image, else the site's default (``home.templatetags.site_tags.social_meta``). No database field."""

    def get_share_image(self):
        return self.lead_image

    @property
    def share_image_id(self):
        return self.lead_image_id


# The same arguments always draw the same bytes: a process that seeds the demo again (the test suite
# does, many times) draws each picture once.
@functools.lru_cache(maxsize=128)
def draw_demo_picture(title, palette="teal", seed=0, size=DEMO_SIZE, people=True):
    """JPEG bytes of a drawn picture: a diagonal gradient, soft circles, a row of figures and a title."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height = size
    dark, mid, light = PALETTES.get(palette, PALETTES["teal"])
    rng = random.Random(seed)  # noqa: S311 - picture layout, not security

    image = Image.new("RGB", size, dark)
    pixels = ImageDraw.Draw(image)
    steps = 64
    for i in range(steps):
        t = i / (steps - 1)
        colour = tuple(round(d + (m - d) * t) for d, m in zip(dark, mid, strict=True))
        x0 = round(width * 2 * i / steps) - width // 2
        pixels.polygon(
            [(x0, 0), (x0 + width // 16 + 40, 0), (x0 + width // 16 + 40 - height, height), (x0 - height, height)],
            fill=colour,
        )

    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for _ in range(7):
        r = rng.randint(height // 8, height // 3)
        cx, cy = rng.randint(0, width), rng.randint(0, height)
        shapes.ellipse((cx - r, cy - r, cx + r, cy + r), fill=light + (rng.randint(28, 60),))
    if people:
        # A row of simple figures: heads and shoulders, gathered around a table.
        count = 7
        base = round(height * 0.86)
        for i in range(count):
            cx = round(width * (0.12 + 0.76 * i / (count - 1)))
            scale = 0.9 + 0.2 * math.sin(i * 1.7 + seed)
            head = round(34 * scale)
            top = base - round(150 * scale)
            tone = (255, 255, 255, 215) if i % 2 else light + (230,)
            shapes.ellipse((cx - head, top - 2 * head, cx + head, top), fill=tone)
            shapes.rounded_rectangle(
                (cx - round(head * 1.8), top + 8, cx + round(head * 1.8), base), radius=head, fill=tone
            )
        shapes.rectangle((0, base, width, height), fill=dark + (235,))
    overlay = overlay.filter(ImageFilter.GaussianBlur(1))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")

    text = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(28, width // 24))
    margin = width // 20
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if text.textlength(candidate, font=font) > width - 2 * margin and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = margin
    for line in lines[:3]:
        text.text((margin + 2, y + 2), line, font=font, fill=(0, 0, 0))
        text.text((margin, y), line, font=font, fill=(255, 255, 255))
        y += round(font.size * 1.25)

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=78, optimize=True, progressive=True)
    return buffer.getvalue()


def ensure_demo_image(title, description, *, palette="teal", seed=0, people=True, collection=None):
    """A Wagtail image with this title, drawn and saved when it does not exist yet (idempotent)."""
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = draw_demo_picture(title, palette=palette, seed=seed, people=people)
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]
    image = Image(
        title=title,
        description=description,
        collection=collection or Collection.get_first_root_node(),
        file=ImageFile(io.BytesIO(data), name=f"demo-{slug}.jpg"),
    )
    image.save()
    return image


DEMO_PALETTES = ["teal", "orange", "plum", "blue", "green"]


def numbered_demo_image(title, index):
    """The demo's picture number ``index`` for a page titled ``title`` (the series and resources take
    numbers in turn, each with its own palette and layout).

    No description, on purpose: the picture only repeats the page's title over a pattern, so it is decorative
    (``alt=""``) and a screen reader does not read the title twice (docs/architecture.md, Pictures)."""
    return ensure_demo_image(
        title[:100], "", palette=DEMO_PALETTES[index % len(DEMO_PALETTES)], seed=100 + index, people=index % 2 == 0
    )
