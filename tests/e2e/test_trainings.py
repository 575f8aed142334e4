"""A member finds a training on their issue, adds it to their calendar and reads the series FAQ."""

import re
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import expect

from .conftest import assert_accessible, screenshot


def test_home_to_a_training_on_my_issue_into_my_calendar_then_the_series_faq(page, site_url):
    page.goto(site_url + "/")
    trainings = page.locator("section.home-trainings")
    expect(trainings.get_by_role("heading", name="Upcoming trainings")).to_be_visible()
    assert_accessible(page)
    expect(trainings.locator(".event-card")).to_have_count(3)
    expect(trainings.locator(".event-card__when").first).to_contain_text(re.compile(r"\d+(am|pm) PT / \d+(am|pm) ET"))

    # Click 1: my issue.
    trainings.get_by_role("navigation", name="Trainings by issue").get_by_role("link", name="Housing").click()
    expect(page).to_have_url(re.compile(r"/trainings/\?issue=housing$"))
    expect(page.locator("h1")).to_have_text("Trainings & Webinars")
    expect(page.locator(".results-count")).to_contain_text("on Housing")
    expect(page.get_by_label("Issue area", exact=True)).to_have_value("housing")
    assert_accessible(page)
    screenshot(page, "trainings-index-housing")

    # Click 2: the next one.
    first = page.locator(".event-card").first
    title = first.locator(".event-card__title").inner_text()
    when = first.locator(".event-card__when").inner_text()
    first.locator(".event-card__title a").click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".event-lead")).to_contain_text(when)
    expect(page.locator(".event-when__zones")).to_contain_text("PT")
    expect(page.locator(".event-when__zones")).to_contain_text("ET")
    expect(page.get_by_text("The meeting link is emailed to registered participants.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "trainings-event")

    # Click 3: into my calendar.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    content = Path(download.path()).read_bytes()
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert event["DTSTART"].params["TZID"] in {"America/New_York", "America/Los_Angeles"}
    assert calendar.walk("VTIMEZONE")
    assert b"zoom.us" not in content

    # The Policy & Strategy Primers' FAQ.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Trainings & Webinars").click()
    expect(page.locator("h1")).to_have_text("Trainings & Webinars")
    assert_accessible(page)
    page.get_by_role("link", name="Policy & Strategy Primers", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Policy & Strategy Primers")
    answer = page.get_by_text("They can sign up for as many sessions as they like")
    expect(answer).to_be_hidden()
    page.get_by_text("Can I invite my staff to join?").click()
    expect(answer).to_be_visible()
    expect(page.get_by_role("link", name="Subscribe to the calendar")).to_have_attribute(
        "href", re.compile(r"^webcal://.+/trainings/policy-strategy-primers/calendar/$")
    )
    assert_accessible(page)
    screenshot(page, "trainings-series")


def test_filters_work_without_javascript_and_past_sessions_have_recordings(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(site_url + "/trainings/")
        page.get_by_label("Series", exact=True).select_option(label="Policy & Strategy Primers")
        page.get_by_label("Issue area", exact=True).select_option(label="Communications")
        page.get_by_role("button", name="Show trainings").click()
        expect(page).to_have_url(re.compile(r"series=policy-strategy-primers&issue=communications"))
        cards = page.locator(".event-card")
        expect(cards.first).to_be_visible()
        for text in cards.locator(".event-card__series").all_inner_texts():
            assert text.lower() == "policy & strategy primers"

        page.get_by_role("link", name="Past sessions & recordings").click()
        expect(page.locator("h1")).to_have_text("Past trainings & recordings")
        page.get_by_role("button", name="Show trainings").click()  # the filters carry over
        page.get_by_role("link", name="Clear filters").click()
        expect(page.locator(".event-card").first).to_contain_text("Recording available")
        page.locator(".event-card__title a").first.click()
        expect(page.locator(".event-notice")).to_contain_text("This session has ended — watch the recording")
        # (axe needs JavaScript: the scans run in the other journeys.)
    finally:
        context.close()


def test_trainings_on_a_phone(page, site_url):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site_url + "/trainings/past/")
    expect(page.locator("h1")).to_have_text("Past trainings & recordings")
    assert_accessible(page)
    page.goto(site_url + "/trainings/")
    expect(page.get_by_label("Issue area", exact=True)).to_be_visible()
    assert_accessible(page)
    page.locator(".event-card__title a").first.click()
    expect(page.get_by_role("link", name="Add to calendar", exact=True)).to_be_in_viewport()
    assert_accessible(page)
    screenshot(page, "trainings-event-mobile")
