"""Every page type renders as a complete, accessible page."""

import re

import pytest
from wagtail import hooks

from home.factories import StandardPageFactory
from home.models import HOME_SECTIONS_HOOK, SiteSettings
from tests.html import soup

pytestmark = pytest.mark.django_db


def test_home_page_renders_shell_and_hero(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = soup(response)
    assert len(html.find_all("h1")) == 1
    assert html.h1.get_text(strip=True) == home_page.hero_heading
    assert html.find("a", class_="skip-link")["href"] == "#main"
    assert html.find("main", id="main")
    assert html.find("header") and html.find("footer")
    assert html.find("link", rel="canonical")["href"] == "http://localhost/"
    assert html.find("meta", attrs={"property": "og:title"})
    assert html.find("meta", attrs={"name": "description"})["content"]


def test_standard_page_renders_body_blocks(client, home_page):
    page = StandardPageFactory(
        parent=home_page,
        title="About",
        slug="about",
        search_description="About the Impact Lab.",
        body=[
            ("heading", {"text": "Who we are", "level": "h2"}),
            ("paragraph", "<p>We build <b>power</b>.</p>"),
            ("quote", {"quote": "Governing is a team sport.", "attribution": "Sarah Johnson"}),
            (
                "faq",
                {"heading": "FAQ", "items": [{"question": "Can staff join?", "answer": "<p>Yes!</p>"}]},
            ),
            ("call_to_action", {"text": "Read more", "url": "https://example.org/", "style": "primary"}),
        ],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = soup(response)
    assert [h.get_text(strip=True) for h in html.find_all("h1")] == ["About"]
    assert html.find("h2", string="Who we are")
    assert "Governing is a team sport." in html.find("blockquote").get_text()
    assert html.find("summary", string="Can staff join?")
    assert html.find("a", string="Read more")["href"] == "https://example.org/"
    assert html.find("meta", attrs={"name": "description"})["content"] == "About the Impact Lab."
    assert html.find("link", rel="canonical")["href"] == "http://localhost/about/"
    breadcrumbs = html.find("nav", attrs={"aria-label": "Breadcrumb"})
    assert breadcrumbs.find("a", string="Home")


def test_main_navigation_lists_only_menu_pages_and_marks_current(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About", slug="about", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Hidden policy", slug="hidden", show_in_menus=False)
    draft = StandardPageFactory(parent=home_page, title="Draft page", slug="draft", show_in_menus=True)
    draft.unpublish()
    nav = soup(client.get(about.url)).find("nav", attrs={"aria-label": "Main"})
    links = {a.get_text(strip=True): a for a in nav.find_all("a")}
    assert list(links) == ["About"]
    assert links["About"]["aria-current"] == "page"


def test_footer_shows_site_settings(client, site):
    SiteSettings.objects.update_or_create(
        site=site,
        defaults={
            "organisation_name": "Local Progress Impact Lab",
            "contact_email": "helpdesk@example.org",
            "bluesky_url": "https://bsky.app/profile/example",
            "footer_text": "<p>A national network.</p>",
        },
    )
    footer = soup(client.get("/")).find("footer")
    assert footer.find("a", href="mailto:helpdesk@example.org")
    assert footer.find("a", href="https://bsky.app/profile/example").get_text() == "Bluesky"
    assert "A national network." in footer.get_text()


def test_help_desk_callout_falls_back_to_email(client, site, home_page):
    SiteSettings.objects.update_or_create(site=site, defaults={"contact_email": "helpdesk@example.org"})
    callout = soup(client.get("/")).find("section", attrs={"aria-labelledby": "callout-heading"})
    assert callout.find("a", string="Ask the Help Desk")["href"] == "mailto:helpdesk@example.org"
    about = StandardPageFactory(parent=home_page, title="Help", slug="help")
    home_page.callout_page = about
    home_page.save_revision().publish()
    callout = soup(client.get("/")).find("section", attrs={"aria-labelledby": "callout-heading"})
    assert callout.find("a", string="Ask the Help Desk")["href"] == "/help/"


def test_other_apps_add_home_sections_through_the_hook(client, home_page):
    def section(request, page):
        return {
            "template": "components/home_section.html",
            "heading": "Upcoming trainings",
            "more_url": "/trainings/",
            "items": [{"title": "Housing Justice", "url": "/trainings/housing-justice/", "meta": "Thu, Jun 12"}],
        }

    with hooks.register_temporarily(HOME_SECTIONS_HOOK, section):
        html = soup(client.get("/"))
    section = html.find("h2", string="Upcoming trainings").find_parent("section")
    assert section.find("a", string="Housing Justice")["href"] == "/trainings/housing-justice/"
    assert len(html.find_all("h1")) == 1


def test_robots_txt_names_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    # On the site's configured address (the Wagtail Site, SITE_URL), never the request's Host.
    sitemap = re.escape(home_page.get_site().root_url + "/sitemap.xml")
    assert re.search(rf"^Sitemap: {sitemap}$", response.content.decode(), re.M)
    assert "Disallow: /admin/" in response.content.decode()


def test_pages_send_a_content_security_policy(client, home_page):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_the_hero_picture_is_responsive_webp_with_alt_text_from_its_description(client, home_page):
    from home.images import ensure_demo_image

    home_page.hero_image = ensure_demo_image("Hero picture", "Members talking at a convening")
    home_page.save_revision().publish()
    media = soup(client.get("/")).select_one(".hero__media")
    source = media.find("picture").find("source")
    assert source["type"] == "image/webp" and len(source["srcset"].split(",")) >= 2
    img = media.find("img")
    assert img["alt"] == "Members talking at a convening"
    assert int(img["width"]) * 3 == int(img["height"]) * 4  # 4:3, as the hero's column expects

    home_page.hero_image = ensure_demo_image("Hero pattern", "")  # no description: decorative
    home_page.save_revision().publish()
    assert soup(client.get("/")).select_one(".hero__media img")["alt"] == ""
