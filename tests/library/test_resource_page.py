"""A resource page: what it is, where it's from, downloads, related resources."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents.models import Document

from library.factories import ResourcePageFactory
from library.models import RelatedResource, ResourceDocument, ResourcePage
from library.pdf import make_pdf
from taxonomy.models import IssueArea, ResourceType
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(library, areas, types):
    document = Document(title="RTC ordinance text")
    document.file.save("rtc.pdf", ContentFile(make_pdf("Right to counsel", ["Section 1."])), save=False)
    document._set_document_file_metadata()
    document.save()
    page = ResourcePageFactory(
        parent=library,
        title="Right to counsel ordinance",
        slug="right-to-counsel",
        summary="Tenants facing eviction get a lawyer.",
        resource_type=types["model-ordinance"],
        issue_areas=[areas["housing"], areas["workers"]],
        jurisdiction="Cleveland, OH",
        state="OH",
        external_url="https://example.org/ordinance",
    )
    page.documents = [ResourceDocument(document=document, title="Ordinance text (PDF)")]
    page.save_revision().publish()
    return page


def test_shows_type_issue_areas_date_and_place_linking_back_to_the_library(client, resource):
    html = soup(client.get("/resources/right-to-counsel/"))
    assert html.h1.get_text(strip=True) == "Right to counsel ordinance"
    assert html.select_one(".eyebrow a")["href"] == "/resources/?type=model-ordinance"
    area_links = {a.get_text(strip=True): a["href"] for a in html.select(".resource-facts .tag--link")}
    assert area_links == {"Housing": "/resources/?issue=housing", "Workers": "/resources/?issue=workers"}
    facts = html.select_one(".resource-facts").get_text(" ", strip=True)
    assert "Cleveland, OH" in facts
    assert resource.published_date.strftime("%B") in facts
    assert html.find("a", string="More from Ohio")["href"] == "/resources/?state=OH"


def test_downloads_are_listed_with_type_and_size_and_download(client, resource):
    html = soup(client.get("/resources/right-to-counsel/"))
    link = html.select_one(".downloads a[download]")
    assert "Ordinance text (PDF)" in link.get_text()
    assert "PDF" in link.select_one(".document-link__meta").get_text()
    assert "bytes" in link.select_one(".document-link__meta").get_text()
    download = client.get(link["href"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")
    assert html.find("a", href="https://example.org/ordinance")


def test_related_resources_editor_picks_first_then_shared_issue_areas(client, resource, library, areas, types):
    make = ResourcePageFactory
    picked = make(parent=library, title="Editor pick on budgets", resource_type=types["toolkit"])
    both = make(
        parent=library,
        title="Shares two areas",
        resource_type=types["toolkit"],
        issue_areas=[areas["housing"], areas["workers"]],
    )
    one = make(parent=library, title="Shares housing", resource_type=types["toolkit"], issue_areas=[areas["housing"]])
    make(parent=library, title="Unrelated", resource_type=types["toolkit"], issue_areas=[areas["community-safety"]])
    draft = make(parent=library, title="Draft sibling", resource_type=types["toolkit"], issue_areas=[areas["housing"]])
    draft.unpublish()
    resource.related_links = [RelatedResource(resource=picked)]
    resource.save_revision().publish()

    html = soup(client.get("/resources/right-to-counsel/"))
    related = [a.get_text(strip=True) for a in html.select("#related-heading ~ .card-grid .card__title a")]
    assert related == [picked.title, both.title, one.title]
    assert ResourcePage.objects.get(pk=resource.pk).get_related_resources(limit=2) == [picked, both]


def test_home_page_shows_the_latest_resources(client, resource, library, types):
    ResourcePageFactory(parent=library, title="Newest brief", resource_type=types["toolkit"])
    html = soup(client.get("/"))
    section = html.find("h2", string="Latest from the resource library").find_parent("section")
    titles = [a.get_text(strip=True) for a in section.select(".card__title a")]
    assert titles[0] == "Newest brief"
    assert "Right to counsel ordinance" in titles
    more = [a for a in section.select(".section__header a") if "Browse the resource library" in a.get_text()]
    assert more[0]["href"] == "/resources/"


def test_issue_areas_and_types_are_snippets_in_the_admin(admin_client, areas):
    assert admin_client.get("/admin/snippets/taxonomy/issuearea/").status_code == 200
    response = admin_client.post(
        "/admin/snippets/taxonomy/resourcetype/add/",
        {"name": "Explainer video", "slug": "explainer-video", "description": "Short videos."},
    )
    assert response.status_code == 302
    assert ResourceType.objects.filter(slug="explainer-video").exists()
    assert IssueArea.objects.get(slug="housing").name == "Housing"


def test_seed_demo_fills_the_library(demo):
    resources = ResourcePage.objects.live()
    assert resources.count() >= 24
    assert set(IssueArea.objects.values_list("slug", flat=True)) >= {
        "housing",
        "community-safety",
        "economic-justice",
        "workers-rights",
        "immigrant-justice",
        "police-accountability",
        "local-budgets-and-finance",
        "governance-and-oversight",
        "equitable-development",
        "communications",
    }
    assert ResourceType.objects.count() >= 8
    used_areas = IssueArea.objects.filter(resources__isnull=False).distinct().count()
    assert used_areas == IssueArea.objects.count()
    assert resources.exclude(state="").values("state").distinct().count() >= 8
    assert ResourceDocument.objects.count() >= 10
    call_command("seed_demo", verbosity=0)
    assert ResourcePage.objects.count() == resources.count()


def test_home_page_resource_cards_show_their_pictures(client, resource, library, types):
    from home.images import ensure_demo_image

    resource.lead_image = ensure_demo_image("Right to counsel picture", "")
    resource.save_revision().publish()
    ResourcePageFactory(parent=library, title="No picture", resource_type=types["toolkit"])
    html = soup(client.get("/"))
    section = html.find("h2", string="Latest from the resource library").find_parent("section")
    card = section.find("a", string="Right to counsel ordinance").find_parent("li")
    assert card.find("picture").find("source")["type"] == "image/webp"
    img = card.find("img")
    assert img["alt"] == "" and img["width"] and img["height"]
    assert section.find("a", string="No picture").find_parent("li").find("picture") is None
