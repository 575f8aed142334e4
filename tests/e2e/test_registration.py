"""A member registers for a session; staff find them in the inbox and mark attendance."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.registration.models import Registration
from home import roles

from .conftest import assert_accessible, screenshot


def test_member_registers_then_staff_mark_attended(browser, page, site_url, settings):
    settings.SPAM_MIN_SUBMIT_SECONDS = 0  # the robot types faster than any person
    settings.FORM_RATE_LIMIT = None

    page.goto(site_url + "/trainings/social-media-strategies/")
    form = page.locator("form.registration-form")
    expect(form).to_be_visible()
    assert_accessible(page)

    # A mistake first: a clear message next to the field.
    form.get_by_label("Your name").fill("Jenn Weaver")
    form.get_by_label("Email").fill("not-an-email")
    form.get_by_role("button", name="Register").click()
    expect(page.locator(".form-field.has-error").first).to_contain_text("valid email")
    assert_accessible(page)

    form = page.locator("form.registration-form")
    form.get_by_label("Email").fill("jenn.w.journey@example.org")
    form.get_by_role("radio", name="Elected official", exact=True).check()
    form.get_by_label("Jurisdiction or organisation").fill("Hillsborough, NC")
    form.get_by_role("button", name="Register").click()
    expect(page.locator("h1")).to_have_text("Thank you, Jenn Weaver")
    expect(page.locator(".registration-result")).to_contain_text("You're confirmed")
    assert_accessible(page)
    screenshot(page, "registration-thanks")
    registration = Registration.objects.get(email="jenn.w.journey@example.org")
    assert registration.status == Registration.Status.CONFIRMED

    user = get_user_model().objects.create_user("eva", "eva@example.org", "journey-pw", first_name="Eva")
    user.groups.add(Group.objects.get(name=roles.EVENTS_STAFF))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = context.new_page()
    staff.goto(site_url + "/admin/login/")
    staff.get_by_label("Username").fill("eva")
    staff.get_by_label("Password").fill("journey-pw")
    staff.get_by_role("button", name="Sign in").click()
    expect(staff).to_have_url(re.compile(r"/admin/$"))

    staff.goto(site_url + "/admin/events/registration/")
    staff.locator("main #id_q").fill("jenn.w.journey")
    staff.keyboard.press("Enter")
    expect(staff.locator("table.listing tbody tr")).to_have_count(1)
    assert_accessible(staff)
    screenshot(staff, "inbox-registrations")
    staff.locator("table.listing tbody tr").first.get_by_role("link").first.click()
    expect(staff.get_by_role("heading", name="Status: Confirmed")).to_be_visible()
    staff.get_by_role("button", name="Mark attended").click()
    expect(staff.get_by_role("heading", name="Status: Attended")).to_be_visible()
    expect(staff.locator("table.listing")).to_contain_text("Marked attended")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED
    context.close()
