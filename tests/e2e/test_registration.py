"""A member registers for a session (a too-fast post, the confirmation page, the manage page's cancel and
register again); staff find them in the inbox, tick them and mark attendance. axe scans every page."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventPage
from events.registration.models import Registration
from home import roles
from inbox.models import OutboundEmail

from .conftest import assert_accessible, screenshot


def test_member_registers_then_staff_mark_attended(browser, page, site_url, settings):
    settings.SPAM_MIN_SUBMIT_SECONDS = 600  # the robot is faster than any person: its first post is "too fast"
    settings.FORM_RATE_LIMIT = None
    page.set_viewport_size({"width": 1280, "height": 900})

    # An open session: no approval step, seats free (whatever the demo did to others).
    EventPage.objects.filter(slug="social-media-strategies").update(requires_approval=False, capacity=None)
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
    # Too fast (autofill): the form comes back with a note, nothing is stored or promised.
    expect(page.locator(".error-summary")).to_contain_text("Please check your answers, then send the form again")
    assert not Registration.objects.filter(email="jenn.w.journey@example.org").exists()
    assert_accessible(page)
    settings.SPAM_MIN_SUBMIT_SECONDS = 0
    page.locator("form.registration-form").get_by_role("button", name="Register").click()

    # The confirmation page is a page of its own: a refresh registers nobody twice.
    expect(page).to_have_url(re.compile(r"/register/thanks/$"))
    expect(page.locator("h1")).to_have_text("Thank you, Jenn Weaver")
    expect(page.locator(".registration-result")).to_contain_text("You're confirmed")
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    expect(page.get_by_text("private link to your registration")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "registration-thanks")
    page.reload()
    expect(page.locator(".registration-result")).to_contain_text("You're confirmed")
    registration = Registration.objects.get(email="jenn.w.journey@example.org")
    assert registration.status == Registration.Status.CONFIRMED

    # The manage page from the email: facts side by side without overlapping; cancel asks first.
    email = OutboundEmail.objects.get(purpose="registration.confirmed", to=["jenn.w.journey@example.org"])
    manage_path = re.search(r"/registrations/manage/\S+/", email.text_body).group()
    page.goto(site_url + manage_path)
    expect(page.locator(".registration-facts")).to_contain_text("Confirmed")
    assert_accessible(page)
    boxes = [page.locator(".registration-facts dd").nth(n).bounding_box() for n in range(3)]
    email_box, status_box = boxes[1], boxes[2]
    overlap = not (
        email_box["x"] + email_box["width"] <= status_box["x"]
        or status_box["x"] + status_box["width"] <= email_box["x"]
        or email_box["y"] + email_box["height"] <= status_box["y"]
        or status_box["y"] + status_box["height"] <= email_box["y"]
    )
    assert not overlap, (email_box, status_box)
    page.get_by_role("link", name="Cancel my registration…").click()
    expect(page.get_by_role("heading", name="Cancel your registration?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_role("status")).to_contain_text("Your registration is cancelled")
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_have_count(0)
    screenshot(page, "manage-cancelled")
    assert_accessible(page)
    page.get_by_role("link", name="Register again").click()
    expect(page).to_have_url(re.compile(r"/trainings/social-media-strategies/#register$"))
    form = page.locator("form.registration-form")
    form.get_by_label("Your name").fill("Jenn Weaver")
    form.get_by_label("Email").fill("jenn.w.journey@example.org")
    form.get_by_role("radio", name="Elected official", exact=True).check()
    form.get_by_role("button", name="Register").click()
    expect(page.locator(".registration-result")).to_contain_text("You're confirmed")
    registration = Registration.objects.get(email="jenn.w.journey@example.org", status="confirmed")

    user = get_user_model().objects.create_user("eva", "eva@example.org", "journey-pw", first_name="Eva")
    user.groups.add(Group.objects.get(name=roles.EVENTS_STAFF))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = context.new_page()
    staff.goto(site_url + "/admin/login/")
    staff.get_by_label("Username").fill("eva")
    staff.get_by_label("Password").fill("journey-pw")
    staff.get_by_role("button", name="Sign in").click()
    expect(staff).to_have_url(re.compile(r"/admin/$"))

    # The dashboard says what waits, and links to it.
    expect(staff.locator("section.lp-inbox-panel")).to_contain_text("waiting for you")
    assert_accessible(staff)

    staff.goto(site_url + "/admin/events/registration/?status__exact=confirmed")
    assert_accessible(staff)
    staff.locator("main #id_q").fill("jenn.w.journey")
    staff.keyboard.press("Enter")
    expect(staff.locator("table.listing tbody tr")).to_have_count(1)
    assert_accessible(staff)
    screenshot(staff, "inbox-registrations")
    # Addresses never break mid-word: the address (a link to the member's timeline) is one line.
    lines = staff.locator("table.listing td.field-member_email a").first.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el); "
        "return new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size }"
    )
    assert lines == 1
    # The session column names the date: sessions of different series share titles.
    expect(staff.locator("table.listing td.field-session").first).to_contain_text(", 20")

    staff.locator("table.listing tbody tr").first.locator("a[href*='/inspect/']").first.click()
    expect(staff.get_by_role("heading", name="Status: Confirmed")).to_be_visible()
    assert_accessible(staff)
    expect(staff.locator('header a[href*="/action/"]')).to_have_count(0)  # no "+" leading to a 405
    staff.go_back()

    # Bulk: tick the row, choose the action, apply (attendance is taken once the session has started).
    now = timezone.now()
    EventPage.objects.filter(pk=registration.event_id).update(
        start=now - datetime.timedelta(minutes=5), end=now + datetime.timedelta(minutes=55)
    )
    staff.reload()
    staff.locator("table.listing tbody tr").first.get_by_role("checkbox").check()
    staff.get_by_label("With the ticked rows").select_option(label="Mark attended")
    staff.get_by_role("button", name="Apply").click()
    expect(staff.locator(".messages")).to_contain_text("Marked attended: 1 registration.")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED
    staff.goto(site_url + f"/admin/events/registration/inspect/{registration.pk}/")
    expect(staff.get_by_role("heading", name="Status: Attended")).to_be_visible()
    expect(staff.locator("table.lp-history")).to_contain_text("Marked attended")
    context.close()
