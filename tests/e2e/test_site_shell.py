"""Journeys through the site shell in a real browser, with axe scans."""

import re

from playwright.sync_api import expect

from .conftest import assert_accessible, screenshot


def test_home_to_menu_page_to_search(page, site_url):
    page.goto(site_url + "/")
    expect(page.locator("h1")).to_have_text("Advancing racial and economic justice at the local level")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="About").click()
    expect(page).to_have_url(re.compile(r"/about/$"))
    expect(page.locator("h1")).to_have_text("About")
    page.get_by_text("Who can take part?").click()
    expect(page.get_by_text("those who have recently joined")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("searchbox", name="Search the site").fill("team sport")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?query=team\+sport"))
    # The news article and the collaborative's pages share the phrase now; the About page is among the results.
    expect(page.locator(".search-result").get_by_role("link", name="About", exact=True)).to_be_visible()
    assert_accessible(page)
    expect(page.locator(".search-result").first).to_be_in_viewport()
    path = screenshot(page, "journey-search")
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"  # a real image of this page, at the page's width
    assert int.from_bytes(header[16:20], "big") == page.viewport_size["width"]


def test_skip_link_moves_focus_to_the_content(page, site_url):
    page.goto(site_url + "/about/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_small_screens_get_a_menu_button(page, site_url):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site_url + "/")
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="About")
    expect(nav_link).to_be_hidden()
    toggle = page.get_by_role("button", name="Menu")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav_link).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home-mobile-menu")


def test_not_found_page_is_designed_and_accessible(page, site_url):
    response = page.goto(site_url + "/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("We couldn't find that page")
    assert_accessible(page)
