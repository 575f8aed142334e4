"""A member finds an ordinance in the library and downloads it."""

import re

from playwright.sync_api import expect

from .conftest import assert_accessible, screenshot


def test_filter_search_open_and_download(page, site_url):
    page.goto(site_url + "/")
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Resource library").click()
    expect(page.locator("h1")).to_have_text("Resource library")
    assert_accessible(page)

    # Click 1: an issue area. Click 2: a type. Examples of ordinances on that issue.
    page.get_by_role("navigation", name="Issue area").get_by_role("link", name=re.compile(r"^Housing")).click()
    expect(page).to_have_url(re.compile(r"\?issue=housing#results-heading$"))
    # Focus lands on the results, whose heading says how many there are.
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ resources?"))).to_be_focused()
    assert_accessible(page)
    page.get_by_role("navigation", name="Type").get_by_role("link", name=re.compile(r"^Model ordinance")).click()
    expect(page).to_have_url(re.compile(r"issue=housing&type=model-ordinance#results-heading$"))
    expect(page.locator(".library__results .card")).not_to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Search the library").fill("eviction")
    page.locator("form.library-search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=eviction&issue=housing&type=model-ordinance"))
    expect(page.locator("#results-heading")).to_contain_text("for “eviction”")
    assert_accessible(page)
    screenshot(page, "library-filtered")
    page.get_by_role("link", name="Right to Counsel in Eviction Proceedings").click()

    expect(page.locator("h1")).to_have_text("Right to Counsel in Eviction Proceedings")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.locator(".downloads a[download]").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(8).startswith(b"%PDF")
    screenshot(page, "resource-page")
