"""A member goes from the home page to a pillar, its convening and the get-involved form; axe on each page type."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from collaborative.interest import CollaborativeInterest
from home import roles

from .conftest import assert_accessible, screenshot


def test_home_to_a_pillar_its_convening_and_raising_my_hand(browser, page, site_url, settings):
    settings.SPAM_MIN_SUBMIT_SECONDS = 1
    settings.FORM_RATE_LIMIT = None
    page.goto(site_url + "/")
    expect(page.get_by_role("heading", name="Latest news")).to_be_visible()
    assert_accessible(page)

    # The collaborative is in the main navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Leadership Collaborative").click()
    expect(page.locator("h1")).to_have_text("Leadership Collaborative")
    expect(page.locator("#next-heading")).to_contain_text("Elected Officials as an Organized Force")
    expect(page.locator(".callout__when")).to_contain_text(re.compile(r"March 9–10, \d{4} · Washington, DC"))
    expect(page.locator(".timeline__item")).to_have_count(4)
    # Pictures are WebP renditions with a fixed size.
    lead = page.locator(".lead-figure img")
    expect(lead).to_have_attribute("width", re.compile(r"\d+"))
    # currentSrc is empty until the browser has picked a source: wait for it
    # rather than read it the instant the element exists.
    lead.scroll_into_view_if_needed()
    lead.evaluate(
        "img => img.complete && img.currentSrc ? null : new Promise(r => img.addEventListener('load', r, {once: true}))"
    )
    assert lead.evaluate("img => img.currentSrc").endswith(".webp")
    assert_accessible(page)
    screenshot(page, "collaborative")

    # A pillar.
    page.locator("#pillars-heading ~ ul").get_by_role("link", name="Collaborative Governing to Build Power").click()
    expect(page.locator("h1")).to_have_text("Collaborative Governing to Build Power")
    expect(page.get_by_role("heading", name="Related resources")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "pillar")

    # Its convening.
    page.locator(".convening-card__title a").first.click()
    expect(page.locator("h1")).to_contain_text("Chicago, IL")
    expect(page.locator(".event-lead")).to_contain_text(re.compile(r"\w+ 9–10, \d{4} \| Chicago, IL"))
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    expect(page.get_by_text(re.compile(r"9am – .*5pm CT"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "convening")

    # The get-involved form.
    page.locator(".event-register").get_by_role("link", name="Get in touch").click()
    expect(page.locator("h1")).to_have_text("Interested in getting involved? Get in touch")
    assert_accessible(page)
    page.locator("#id_name").fill("Jenn Weaver")
    page.locator("#id_email").fill("jenn.e2e@example.org")
    page.get_by_role("radio", name="Elected official", exact=True).check()
    page.locator("#id_jurisdiction").fill("Hillsborough, NC")
    page.locator("#id_leadership_position").select_option(label="State organizing committee")
    page.locator("#id_message").fill("I'd like to help plan a convening.")
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you, we've received your message")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "interest-thanks")
    submission = CollaborativeInterest.objects.get(email="jenn.e2e@example.org")
    assert submission.status == CollaborativeInterest.Status.NEW
    assert submission.form_data["leadership_position"] == "state_committee"

    # A Communications lead opens it from the inbox: labels, not codes; axe on the list and the submission.
    lead = get_user_model().objects.create_user("lena", "lena@lp.example", "journey-pw", first_name="Lena")
    lead.groups.add(Group.objects.get(name=roles.COMMUNICATIONS_LEADS))
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff.set_default_timeout(15_000)
    staff.goto(site_url + "/admin/login/")
    staff.get_by_label("Username").fill("lena")
    staff.get_by_label("Password").fill("journey-pw")
    staff.get_by_role("button", name="Sign in").click()
    expect(staff).to_have_url(re.compile(r"/admin/$"))
    staff.goto(site_url + "/admin/collaborative/collaborativeinterest/")
    expect(staff.locator("table.listing")).to_contain_text("Jenn Weaver")
    expect(staff.locator("table.listing")).to_contain_text("State organizing committee")
    assert_accessible(staff)
    staff.goto(site_url + f"/admin/collaborative/collaborativeinterest/inspect/{submission.pk}/")
    expect(staff.locator(".lp-answers")).to_contain_text("State organizing committee")
    expect(staff.locator(".lp-answers")).not_to_contain_text("state_committee")
    assert_accessible(staff)


def test_news_index_and_article_are_accessible(page, site_url):
    page.goto(site_url + "/news/")
    expect(page.locator("h1")).to_have_text("News")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Governing is a Team Sport")).first.click()
    expect(page.locator(".sf-quote").first).to_contain_text("Governing is a team sport")
    expect(page.get_by_role("navigation", name="Share this page")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "article")
