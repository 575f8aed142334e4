"""Menus, footer and taxonomies owned by staff: Settings › Navigation, lead-owned snippets, a type dropdown."""

import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from home import roles
from home.factories import StandardPageFactory
from home.models import NavigationSettings
from home.navigation import add_footer_link, add_nav_link
from library.factories import ResourceLibraryPageFactory
from taxonomy.factories import ResourceTypeFactory

pytestmark = pytest.mark.django_db


def nav_links(client, url="/", label="Main"):
    html = BeautifulSoup(client.get(url).content, "html.parser")
    nav = html.find("nav", attrs={"aria-label": label})
    return [(a.get_text(strip=True), a["href"]) for a in nav.find_all("a")] if nav else []


def staff(username, group):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_main_navigation_and_footer_come_from_settings_in_order(client, site, home_page):
    about = StandardPageFactory(parent=home_page, title="About", slug="about", show_in_menus=True)
    policies = StandardPageFactory(parent=home_page, title="Our policies", slug="policies", show_in_menus=False)
    draft = StandardPageFactory(parent=home_page, title="Draft", slug="draft", show_in_menus=True)
    draft.unpublish()
    add_nav_link(site, policies, label="Policies")
    add_nav_link(site, url="https://localprogress.org/", label="Local Progress")
    add_nav_link(site, about)
    add_nav_link(site, draft)
    assert add_nav_link(site, about)[1] is False  # idempotent
    add_footer_link(site, about, label="Who we are")
    add_footer_link(site, url="/search/", label="Search the site")

    assert nav_links(client) == [
        ("Policies", "/policies/"),
        ("Local Progress", "https://localprogress.org/"),
        ("About", "/about/"),
    ]
    assert nav_links(client, label="Footer") == [("Who we are", "/about/"), ("Search the site", "/search/")]
    html = BeautifulSoup(client.get("/about/").content, "html.parser")
    current = html.find("nav", attrs={"aria-label": "Main"}).find("a", attrs={"aria-current": "page"})
    assert current.get_text(strip=True) == "About"


def test_the_menu_and_footer_cost_the_same_few_queries_however_many_links(site, home_page):
    """Built once per version: the settings, their two lists and one look at which linked pages are public
    (Wagtail's .public()), not a check per link. A page behind a view restriction is left out."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import PageViewRestriction

    from home import cache as page_cache

    def shell_queries():
        page_cache.invalidate()
        with CaptureQueriesContext(connection) as captured:
            Client().get("/")
        return [q["sql"] for q in captured if "navigation" in q["sql"] or "footerlink" in q["sql"]]

    pages = [StandardPageFactory(parent=home_page, title=f"Section {n}", slug=f"section-{n}") for n in range(8)]
    add_nav_link(site, pages[0])
    add_footer_link(site, pages[0])
    few = shell_queries()
    for page in pages[1:]:
        add_nav_link(site, page)
        add_footer_link(site, page)
    assert len(shell_queries()) == len(few) == 3  # the settings, the menu's links, the footer's links
    PageViewRestriction.objects.create(page=pages[1], restriction_type=PageViewRestriction.LOGIN)
    assert ("Section 1", "/section-1/") not in nav_links(Client())
    assert ("Section 2", "/section-2/") in nav_links(Client())


def test_without_settings_the_menu_falls_back_to_menu_pages(client, site, home_page):
    StandardPageFactory(parent=home_page, title="About", slug="about", show_in_menus=True)
    assert nav_links(client) == [("About", "/about/")]
    assert ("Staff login", "/admin/") in nav_links(client, label="Footer")


def test_seed_fills_the_menu_with_the_sections_and_keeps_edits(client, demo):
    labels = [label for label, _ in nav_links(client)]
    assert "About" in labels and "Trainings & Webinars" in labels
    site = NavigationSettings.objects.get().site
    nav = NavigationSettings.for_site(site)
    nav.main_links.filter(link_page__slug="about").delete()
    call_command("seed_demo", stdout=io.StringIO())
    assert "About" not in [label for label, _ in nav_links(client)]


def test_leads_edit_navigation_and_taxonomies_editors_cannot(client, home_page):
    lead = staff("lee", roles.COMMUNICATIONS_LEADS)
    editor = staff("erin", roles.EDITORS)
    for codename in ("add_issuearea", "change_issuearea", "add_resourcetype", "change_resourcetype"):
        assert lead.has_perm(f"taxonomy.{codename}")
        assert not editor.has_perm(f"taxonomy.{codename}")
    assert lead.has_perm("home.change_navigationsettings")
    assert not editor.has_perm("home.change_navigationsettings")

    client.force_login(lead)
    add = reverse("wagtailsnippets_taxonomy_issuearea:add")
    response = client.post(add, {"name": "Climate", "slug": "climate", "description": ""})
    assert response.status_code == 302
    client.force_login(editor)
    assert client.get(add).status_code in (302, 403)


def test_resource_type_is_a_dropdown_and_help_says_whom_to_ask(client, home_page):
    library = ResourceLibraryPageFactory(parent=home_page)
    ResourceTypeFactory(name="Toolkit", slug="toolkit")
    client.force_login(staff("erin", roles.EDITORS))
    response = client.get(reverse("wagtailadmin_pages:add", args=["library", "resourcepage", library.pk]))
    html = BeautifulSoup(response.content, "html.parser")
    select = html.find("select", attrs={"name": "resource_type"})
    assert select is not None and select.find("option", string="Toolkit")
    assert "Ask a Communications lead" in response.content.decode()
