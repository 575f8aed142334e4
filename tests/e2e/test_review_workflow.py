"""An editor submits a page, a Communications lead approves it, it is live."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.models import Page

from home import roles

from .conftest import assert_accessible, screenshot


def make_staff(username, group_name):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "journey-pw", first_name=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def log_in(browser, site_url, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(site_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("journey-pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return context, page


def test_editor_submits_lead_approves_page_goes_live(browser, site_url):
    make_staff("erin", roles.EDITORS)
    make_staff("lee", roles.COMMUNICATIONS_LEADS)
    about = Page.objects.get(slug="about")

    context, page = log_in(browser, site_url, "erin")
    page.goto(f"{site_url}/admin/pages/{about.pk}/edit/")
    expect(page.locator('button[name="action-publish"]')).to_have_count(0)
    page.locator("#id_intro").fill("Reviewed and approved in the browser.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Communications review").click()
    expect(page.locator(".messages")).to_contain_text("submitted")
    context.close()

    # Not live until a lead approves.
    public = browser.new_page()
    public.goto(site_url + "/about/")
    expect(public.get_by_text("Reviewed and approved in the browser.")).to_have_count(0)
    assert_accessible(public)

    context, page = log_in(browser, site_url, "lee")
    panel = page.locator("#awaiting-review-section")
    expect(panel.get_by_role("link", name="About")).to_be_visible()
    screenshot(page, "lead-awaiting-review")
    panel.get_by_role("row", name=re.compile("About")).get_by_role("button", name="Actions").click()
    panel.get_by_role("button", name="Approve", exact=True).click()
    # The dashboard posts the action and reloads; nothing is left to review.
    expect(page.locator("#awaiting-review-section")).to_have_count(0, timeout=15_000)
    context.close()

    public.goto(site_url + "/about/")
    expect(public.get_by_text("Reviewed and approved in the browser.")).to_be_visible()
    public.close()
