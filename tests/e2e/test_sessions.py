"""A session's life in the browser: a member joins a full session's waitlist on a phone and sees her place;
events staff write to a session's registrants, cancel it with a message, and take a past session's
attendance from Zoom's report; an attendee rates a session from the follow-up email. axe scans every page."""

import datetime
import re

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from events.models import EventPage
from events.registration.emails import manage_signature
from events.registration.models import Registration
from home import roles
from inbox.models import OutboundEmail

from .conftest import assert_accessible, screenshot

ZOOM_REPORT = """Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Jenn Weaver,JENN.WEAVER+zoom@example.org,11/26/2026 03:58:12 PM,11/26/2026 05:01:40 PM,63,No
Robin Chen,robin.chen@example.net,11/26/2026 04:01:12 PM,11/26/2026 05:01:40 PM,60,No
"""


def log_in(browser, site_url, username, password, group):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", password, first_name="Eva")
    user.groups.add(Group.objects.get(name=group))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    staff.goto(site_url + "/admin/login/")
    staff.get_by_label("Username").fill(username)
    staff.get_by_label("Password").fill(password)
    staff.get_by_role("button", name="Sign in").click()
    expect(staff).to_have_url(re.compile(r"/admin/$"))
    return context, staff


def test_a_member_joins_a_full_sessions_waitlist_on_a_phone(page, site_url, settings):
    settings.SPAM_MIN_SUBMIT_SECONDS = 0
    settings.FORM_RATE_LIMIT = None
    page.set_viewport_size({"width": 390, "height": 844})
    full = EventPage.objects.filter(registrations__status="waitlisted").distinct().get()
    waiting = full.registrations.filter(status="waitlisted").count()
    page.goto(site_url + full.url)
    expect(page.locator(".page-header__action")).to_have_text("Join the waitlist")
    form = page.locator("form.registration-form")
    expect(form).to_contain_text(
        f"This session is full: the form adds you to the waitlist (you're number {waiting + 1})"
    )
    assert_accessible(page)
    form.get_by_label("Your name").fill("Robin Chen")
    form.get_by_label("Email").fill("robin.chen@example.net")
    form.get_by_role("radio", name="Staff of an elected official").check()
    form.get_by_role("button", name="Join the waitlist").click()
    expect(page.locator(".registration-result")).to_contain_text(f"You're on the waitlist: number {waiting + 1}.")
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "waitlist-thanks-phone")
    email = OutboundEmail.objects.get(purpose="registration.waitlisted", to=["robin.chen@example.net"])
    assert f"you're number {waiting + 1}" in email.text_body and email.attachments == []
    page.goto(site_url + re.search(r"/registrations/manage/\S+/", email.text_body).group())
    expect(page.locator(".registration-facts .status")).to_have_text(f"Waitlisted: number {waiting + 1}")
    expect(page.get_by_role("link", name=re.compile("Add to calendar"))).to_have_count(0)
    assert_accessible(page)
    # A link to a session that has ended says it has expired, and offers the member's other links.
    past = Registration.objects.filter(status="attended").select_related("event").first()
    page.goto(site_url + reverse("manage_registration", args=[manage_signature(past)]))
    expect(page.locator("h1")).to_have_text("This link has expired")
    expect(page.get_by_role("button", name="Email me my links")).to_be_visible()
    assert_accessible(page)


def test_events_staff_message_cancel_and_take_attendance_from_zoom(browser, page, site_url, settings, tmp_path):
    context, staff = log_in(browser, site_url, "eva", "journey-pw", roles.EVENTS_STAFF)
    full = EventPage.objects.filter(registrations__status="waitlisted").distinct().get()

    # From the Sessions listing (upcoming first, each with its registrations) to the full session's.
    staff.goto(site_url + "/admin/sessions/")
    expect(staff.get_by_role("link", name="3 / 3 confirmed, 2 waitlisted")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_role("link", name="3 / 3 confirmed, 2 waitlisted").click()

    # Write to the session's confirmed registrants.
    expect(staff.locator(".lp-event-stats")).to_contain_text("3 / 3 confirmed, 2 on the waitlist")
    assert_accessible(staff)
    staff.get_by_role("link", name="Message registrants").click()
    assert_accessible(staff)
    staff.get_by_label("Confirmed (3)").check()
    staff.get_by_label("Subject").fill("Please read the one-pager first")
    staff.locator("#id_body").fill("Hello all,\nthe one-pager is on the session's page.")
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name="Send the message").click()
    expect(staff.locator(".messages")).to_contain_text("sent to 3 people")
    assert OutboundEmail.objects.filter(subject="Please read the one-pager first").count() == 3
    # Events staff see their inbox's emails under Settings → Outgoing emails, and nobody else's.
    staff.goto(site_url + "/admin/inbox/outboundemail/")
    expect(staff.locator("table.listing")).to_contain_text("Please read the one-pager first")
    assert_accessible(staff)
    staff.go_back()

    # Cancel it, with a word for the people registered.
    staff.get_by_role("link", name="Cancel this session…").click()
    expect(staff.locator("main")).to_contain_text("cancels the 5 active registrations")
    assert_accessible(staff)
    staff.get_by_label("Message to registrants (optional)").fill("Our presenter is unwell; we'll send a new date.")
    staff.get_by_role("button", name=re.compile("Cancel the session and tell 5 registrants")).click()
    expect(staff.locator(".messages")).to_contain_text("5 registrants were told by email")
    assert_accessible(staff)
    screenshot(staff, "session-cancelled-inbox")
    assert set(full.registrations.exclude(status="spam").values_list("status", flat=True)) == {"cancelled"}
    page.goto(site_url + full.url)
    expect(page.locator(".event-notice--cancelled")).to_contain_text("This session has been cancelled.")
    expect(page.locator(".event-notice--cancelled")).to_contain_text("we'll send a new date")
    expect(page.locator("form.registration-form")).to_have_count(0)
    assert_accessible(page)

    # A past session's attendance from Zoom's participants report, then a walk-in.
    past = EventPage.objects.filter(registrations__status="attended").distinct().get()
    Registration.objects.filter(event=past).update(status="confirmed")
    report = tmp_path / "participants.csv"
    report.write_text(ZOOM_REPORT)
    staff.goto(site_url + f"/admin/events/registration/attendance/{past.pk}/")
    assert_accessible(staff)
    staff.get_by_label("Zoom participants report (CSV)").set_input_files(str(report))
    staff.get_by_role("button", name="Read the report").click()
    expect(staff.locator(".messages")).to_contain_text("Read 2 participants: 1 matched a registration")
    expect(staff.locator("#unmatched-heading")).to_have_text("Not matched (1)")
    assert_accessible(staff)
    staff.get_by_role("button", name="Add as a walk-in").click()
    expect(staff.locator(".messages")).to_contain_text("Robin Chen added as a walk-in: attended.")
    expect(staff.locator("#unmatched-heading")).to_have_count(0)
    assert_accessible(staff)
    screenshot(staff, "attendance-from-zoom")
    statuses = dict(past.registrations.values_list("email", "status"))
    assert statuses["jenn.weaver@example.org"] == "attended" and statuses["robin.chen@example.net"] == "attended"
    assert statuses["priya.shah@example.org"] == "no_show"
    context.close()


def test_an_attendee_rates_a_session_from_the_follow_up(page, site_url):
    past = EventPage.objects.filter(registrations__status="attended").distinct().get()
    with time_machine.travel(past.end + datetime.timedelta(hours=2), tick=False):
        call_command("send_event_followups")  # nothing more when the demo's seed already sent them
    followup = OutboundEmail.objects.filter(purpose="registration.followup_attended").order_by("pk").first()
    four = re.search(r"https?://[^/\s]+(/registrations/rate/\S+/4/)", followup.text_body).group(1)
    page.goto(site_url + four)
    expect(page.get_by_role("status")).to_contain_text("you rated this session 4 out of 5")
    assert_accessible(page)
    page.get_by_label("5").check()
    page.get_by_label("Anything to add? (optional)").fill("More examples from small towns, please.")
    page.get_by_role("button", name="Save my feedback").click()
    expect(page.get_by_role("status")).to_contain_text("your feedback is saved")
    assert_accessible(page)
    rated = Registration.objects.get(pk=followup.related_key.split(":")[1])
    assert rated.rating == 5 and rated.rating_comment == "More examples from small towns, please."


def test_unpublishing_a_session_with_registrants_warns_first(browser, site_url):
    context, lead = log_in(browser, site_url, "lee", "journey-pw", roles.COMMUNICATIONS_LEADS)
    full = EventPage.objects.filter(registrations__status="waitlisted").distinct().get()
    lead.goto(site_url + reverse("wagtailadmin_pages:unpublish", args=[full.pk]))
    expect(lead.locator(".help-warning")).to_contain_text("5 people are registered for this session.")
    assert_accessible(lead)
    context.close()
