"""Reports and the member timeline in Chromium, for the roles that may open them: axe at desktop and phone
widths, no sideways scroll, the chart drawn beside its table."""

import re

from playwright.sync_api import expect

from collaborative.interest import CollaborativeInterest, InterestPage
from home import roles

from .conftest import assert_accessible, screenshot, staff_in_browser


def test_a_lead_reads_both_reports_and_a_member_timeline(browser, site_url):
    page = staff_in_browser(browser, site_url, "reportlead", roles.COMMUNICATIONS_LEADS)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        read_the_reports(page, site_url, width)
    interest_page = InterestPage.objects.live().first()
    CollaborativeInterest.objects.create(
        page=interest_page, name="Rosa Lane", email="rosa.lane@example.org", status="new", form_data={}
    )
    page.goto(site_url + "/admin/members/?q=rosa")  # a lead finds the interest inbox's members
    page.locator(".lp-member__matches a").first.click()
    expect(page.locator(".lp-timeline")).to_be_visible()
    assert_accessible(page)
    page.context.close()


def read_the_reports(page, site_url, width):
    page.goto(site_url + "/admin/reports/helpdesk/?start=2026-01-01&end=2026-12-31")
    expect(page.locator(".lp-report__lead")).to_contain_text("requests arrived")
    expect(page.locator("svg.lp-chart").first).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"report-helpdesk-{width}")
    page.get_by_role("link", name="Last quarter").click()
    expect(page.locator(".lp-report__lead")).to_be_visible()

    page.goto(site_url + "/admin/reports/impact/")
    expect(page.locator(".lp-report__lead")).to_contain_text("served")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("From").fill("2026-12-31")
    page.get_by_label("To (inclusive)").fill("2026-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#id_end-error")).to_have_text("The end comes before the start.")
    assert_accessible(page)
    screenshot(page, f"report-impact-{width}")


def test_help_desk_staff_read_their_report_but_not_the_impact_report(browser, site_url):
    page = staff_in_browser(browser, site_url, "hdreport", roles.HELP_DESK_STAFF)
    page.goto(site_url + "/admin/reports/helpdesk/")
    expect(page.locator(".lp-report__lead")).to_contain_text("requests arrived")
    assert_accessible(page)
    page.goto(site_url + "/admin/reports/impact/")
    expect(page).to_have_url(re.compile(r"/admin/$"))  # Wagtail's answer to a permission denied
    page.context.close()
