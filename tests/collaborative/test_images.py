"""Pictures: responsive WebP renditions with width and height, alt text from the description."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template

from collaborative.factories import ConveningPageFactory, PillarPageFactory
from home.images import draw_demo_picture, ensure_demo_image

from .conftest import make_image

pytestmark = pytest.mark.django_db


def render_picture(image, **extra):
    template = Template('{% include "components/picture.html" %}')
    return BeautifulSoup(template.render(Context({"image": image, **extra})), "html.parser")


def test_lead_picture_offers_webp_with_a_jpeg_fallback_and_fixed_size(picture):
    html = render_picture(picture)
    source = html.find("source")
    assert source["type"] == "image/webp"
    assert len(source["srcset"].split(",")) >= 2
    assert ".webp" in source["srcset"]
    img = html.find("img")
    assert img["src"].endswith(".jpg")
    assert img["width"] and img["height"]
    assert int(img["width"]) * 9 == int(img["height"]) * 16
    assert img["alt"] == "Members meeting around a table"


def test_an_image_without_a_description_is_decorative(db):
    image = make_image(title="Pattern", description="")
    assert render_picture(image).find("img")["alt"] == ""
    described = make_image(title="Photo", description="A photo")
    assert render_picture(described, decorative=True).find("img")["alt"] == ""


def test_card_pictures_are_small_and_lazy(picture):
    img = render_picture(picture, variant="card").find("img")
    assert img["loading"] == "lazy"
    assert int(img["width"]) <= 800


def test_cards_show_pillar_pictures(client, collaborative, picture):
    PillarPageFactory(parent=collaborative, title="Racial Justice as a Beacon for All", lead_image=picture)
    page = BeautifulSoup(client.get(collaborative.url).content, "html.parser")
    card = page.find("a", string="Racial Justice as a Beacon for All").find_parent("article")
    assert card.find("picture").find("source")["type"] == "image/webp"


def test_a_convening_page_shows_its_lead_image_with_alt_text(client, pillar, picture):
    convening = ConveningPageFactory(parent=pillar, lead_image=picture)
    page = BeautifulSoup(client.get(convening.url).content, "html.parser")
    assert page.select_one(".lead-figure img")["alt"] == "Members meeting around a table"


def test_demo_pictures_are_drawn_small_and_made_once(db):
    data = draw_demo_picture("Governing is a team sport")
    assert data[:2] == b"\xff\xd8"  # JPEG
    assert len(data) < 150_000
    first = ensure_demo_image("Demo", "A drawing of members")
    again = ensure_demo_image("Demo", "A drawing of members")
    assert first.pk == again.pk
    assert (first.width, first.height) == (1200, 675)
    assert first.description == "A drawing of members"


def test_the_default_share_image_is_used_for_social_cards(client, home_page, picture):
    from home.models import SiteSettings

    settings = SiteSettings.for_site(home_page.get_site())
    settings.social_image = picture
    settings.save()
    page = BeautifulSoup(client.get("/").content, "html.parser")
    # An absolute address on the site's configured root (never the request's Host).
    first = page.find("meta", property="og:image")["content"]
    assert first.startswith(home_page.get_site().root_url + "/")
    # Its address is kept per content generation: choosing another picture shows at once.
    settings.social_image = make_image()
    settings.save()
    page = BeautifulSoup(client.get("/").content, "html.parser")
    second = page.find("meta", property="og:image")["content"]
    assert second != first and second.startswith(home_page.get_site().root_url + "/")


def test_an_image_block_marked_decorative_has_empty_alt_even_with_alt_text(client, home_page, picture):
    from home.factories import StandardPageFactory

    body = [
        ("image", {"image": picture, "alt_text": "Said twice", "decorative": True, "caption": ""}),
        ("image", {"image": picture, "alt_text": "Members at a table", "decorative": False, "caption": ""}),
    ]
    page = StandardPageFactory(parent=home_page, title="Pictures", slug="pictures", body=body)
    decorative, described = BeautifulSoup(client.get(page.url).content, "html.parser").select(".sf-image img")
    assert decorative["alt"] == "" and decorative["width"] and decorative["height"]
    assert described["alt"] == "Members at a table"
