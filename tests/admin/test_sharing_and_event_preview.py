"""Faithful sharing and previews: per-page social cards with fallbacks; an unpublished event previews as live."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from events.factories import EventPageFactory, TrainingIndexPageFactory
from home.factories import StandardPageFactory
from home.models import SiteSettings
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory

from .editing import edit_post_data, make_image, preview

pytestmark = pytest.mark.django_db


def og(client, url):
    html = BeautifulSoup(client.get(url).content, "html.parser")
    description = html.find("meta", attrs={"property": "og:description"})
    image = html.find("meta", attrs={"property": "og:image"})
    return (description["content"] if description else None, image["content"] if image else None)


def test_social_description_and_image_fall_back_page_then_summary_then_site(client, site, home_page):
    default_image = make_image("Site default share picture", colour=(0, 84, 166))
    SiteSettings.objects.update_or_create(
        site=site, defaults={"tagline": "Building power locally.", "social_image": default_image}
    )
    library = ResourceLibraryPageFactory(parent=home_page)
    resource = ResourcePageFactory(parent=library, summary="A model ordinance on tenant protections.")
    description, image = og(client, resource.url)
    assert description == "A model ordinance on tenant protections."
    assert image and "/media/images/" in image  # the site's default picture

    own = make_image("Tenant rally", colour=(238, 93, 54))
    resource.social_image = own
    resource.social_text = "Share this: protect tenants in your city."
    resource.save_revision().publish()
    description, image = og(client, resource.url)
    assert description == "Share this: protect tenants in your city."
    assert image and image != og(client, library.url)[1]

    about = StandardPageFactory(parent=home_page, slug="about", intro="Who we are and how we help.")
    assert og(client, about.url)[0] == "Who we are and how we help."
    library.intro = ""
    library.save_revision().publish()
    assert og(client, library.url)[0] == "Building power locally."


def test_an_unpublished_event_previews_its_registration_box_as_it_will_be_live(client, home_page):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "pw"))
    index = TrainingIndexPageFactory(parent=home_page)
    event = EventPageFactory(parent=index, title="Budget primer", live=False, capacity=40)
    data = edit_post_data(client, event)
    html = preview(client, event, data).content.decode()
    assert "Register for this session" in html
    assert "once this session is published" in html
    assert "not open for registration" not in html
    # The public cannot register while it is unpublished.
    response = client.post(event.url + "register/", {"name": "A", "email": "a@example.org"}) if event.url else None
    assert response is None or response.status_code in (302, 404)


def test_the_social_image_field_tells_editors_the_lead_image_comes_first(admin_client, home_page):
    page = StandardPageFactory(parent=home_page, slug="about")
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Leave empty for the page&#x27;s lead image if it has one, else the site&#x27;s default." in html
