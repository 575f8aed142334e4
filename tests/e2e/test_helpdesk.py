"""Help Desk journeys: a member asks, then adds details; staff assign, reply (saved reply + resource), close."""

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from helpdesk.models import HelpDeskRequest
from home import roles

from .conftest import assert_accessible, screenshot, staff_in_browser

QUESTION = "Just-cause eviction ordinance examples for renters?"


def ask(page, site_url):
    asked = []
    page.on("request", lambda request: asked.append((request.method, request.url)))
    page.goto(site_url + "/help-desk/")
    expect(page.locator("h1")).to_have_text("Help Desk")
    assert_accessible(page)
    form = page.locator("form.helpdesk-form")
    form.get_by_label("Your name").fill("Jenn Journey")
    form.locator("#id_email").fill("jenn.hd.journey@example.org")
    form.get_by_role("radio", name="Elected official", exact=True).check()
    form.locator("#id_jurisdiction").fill("Hillsborough, NC")
    form.get_by_role("radio", name="Policy", exact=True).check()
    form.get_by_label("Issue area").select_option(label="Housing")
    form.get_by_label("Your question, in a line").fill(QUESTION)
    form.get_by_label("Details of your request").fill("Our council votes on renter protections and eviction rules.")
    # The library answers first, as the member types: asked by POST (with the CSRF token), the question never
    # in a URL, where server and proxy logs would keep it.
    expect(page.locator("[data-suggestions] li").first).to_be_visible()
    assert ("POST", site_url + "/helpdesk/suggestions/") in asked
    assert not [url for _method, url in asked if "eviction" in url.lower() or "renter" in url.lower()]
    # A mistake: a date in the past.
    form.get_by_label("Needed by (optional)").fill("2020-01-01")
    form.get_by_role("button", name="Send my request").click()
    expect(page.locator("#id_needed_by_error")).to_contain_text("This date has passed")
    assert_accessible(page)
    page.locator("form.helpdesk-form").get_by_label("Needed by (optional)").fill("")
    page.locator("form.helpdesk-form").get_by_role("button", name="Send my request").click()
    expect(page.locator("h1")).to_have_text("Thank you, we have your request")
    assert_accessible(page)
    screenshot(page, "helpdesk-thanks")
    return HelpDeskRequest.objects.get(email="jenn.hd.journey@example.org")


def member_link(address):
    message = [m for m in mail.outbox if address in m.to][0]
    return re.search(r"https?://[^/\s]+(/helpdesk/request/\S+/)", message.body).group(1)


def test_member_asks_then_adds_details_through_the_link(page, site_url, settings):
    settings.SPAM_MIN_SUBMIT_SECONDS = 0
    settings.FORM_RATE_LIMIT = None
    case = ask(page, site_url)
    expect(page.locator(".helpdesk-reference")).to_have_text(case.reference)
    expect(page.locator(".helpdesk-suggestions")).to_contain_text("Eviction")

    page.goto(site_url + member_link("jenn.hd.journey@example.org"))
    expect(page.locator("h1")).to_have_text(QUESTION)
    assert_accessible(page)
    page.get_by_label("Add more details").fill("The vote moved to April 2.")
    page.get_by_role("button", name="Send to the Help Desk").click()
    expect(page.locator(".notice")).to_contain_text("your details were added")
    expect(page.locator(".helpdesk-thread")).to_contain_text("The vote moved to April 2.")
    assert_accessible(page)
    screenshot(page, "helpdesk-member-link")
    assert case.activities.filter(kind="member_update").exists()


def test_staff_assign_reply_with_saved_reply_and_resource_then_close(browser, page, site_url, settings):
    settings.SPAM_MIN_SUBMIT_SECONDS = 0
    settings.FORM_RATE_LIMIT = None
    case = ask(page, site_url)
    mail.outbox.clear()

    user = get_user_model().objects.create_user("hanna", "hanna@lp.example", "journey-pw", first_name="Hanna")
    user.groups.add(Group.objects.get(name=roles.HELP_DESK_STAFF))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    staff.goto(site_url + "/admin/login/")
    staff.get_by_label("Username").fill("hanna")
    staff.get_by_label("Password").fill("journey-pw")
    staff.get_by_role("button", name="Sign in").click()
    expect(staff).to_have_url(re.compile(r"/admin/$"))
    expect(staff.locator(".lp-inbox-panel")).to_contain_text("overdue")
    assert_accessible(staff)

    staff.goto(site_url + "/admin/helpdesk/helpdeskrequest/")
    expect(staff.locator("table.listing tbody tr").first).to_be_visible()
    assert_accessible(staff)
    staff.locator("main #id_q").fill(case.reference)
    staff.keyboard.press("Enter")
    expect(staff.locator("table.listing tbody tr")).to_have_count(1)
    assert_accessible(staff)
    screenshot(staff, "helpdesk-inbox")
    staff.locator("table.listing tbody tr").first.get_by_role("link", name=case.reference).click()
    expect(staff.get_by_role("heading", name="Status: New")).to_be_visible()
    assert_accessible(staff)

    staff.get_by_role("button", name="Assign to me").click()
    expect(staff.locator(".lp-hd-facts")).to_contain_text("Hanna")

    # A saved reply goes in at the cursor of what is already typed; the draft is kept.
    reply = staff.locator("#reply-message")
    reply.fill("Quick note first.")
    staff.get_by_label("Start from a saved reply").select_option(label="Ordinance examples")
    staff.get_by_role("button", name="Use this reply").click()
    expect(reply).to_have_value(re.compile(r"^Quick note first\.\n\nHello Jenn Journey,"))
    assert_accessible(staff)
    reply.fill(reply.input_value() + "\n\nDurham's ordinance is the closest to yours.")
    staff.locator(".lp-hd-reply input[name=resources]").first.check()
    staff.get_by_role("button", name="Send the reply").click()
    expect(staff.get_by_role("heading", name="Status: In progress")).to_be_visible()
    expect(staff.locator(".lp-thread")).to_contain_text("Durham's ordinance is the closest to yours.")
    assert_accessible(staff)
    screenshot(staff, "helpdesk-case")

    staff.get_by_role("button", name="Close", exact=True).click()
    expect(staff.get_by_role("heading", name="Status: Closed")).to_be_visible()
    case.refresh_from_db()
    assert case.status == HelpDeskRequest.Status.CLOSED and case.assignee == user
    sent, closed = [m for m in mail.outbox if m.to == ["jenn.hd.journey@example.org"]]  # the reply, then the close
    assert closed.subject.startswith("Closed:") and "/helpdesk/request/" in closed.body
    assert "Durham's ordinance is the closest to yours." in sent.body
    assert "/resources/" in sent.body
    assert list(case.thread().values_list("kind", flat=True)) == [
        "submitted",
        "assignment",
        "reply",
        "status",  # the reply moved it to "In progress": its own entry
        "status",  # closed
    ]
    context.close()


def test_a_member_answers_by_email_and_two_staffers_see_it_and_each_other(browser, page, site_url, settings):
    """The member presses Reply on the acknowledgement in their mail program; the answer (quote stripped, file
    kept) is in the case when staff open it, and each staffer sees the other has it open."""
    from email.message import EmailMessage

    from helpdesk import inbound

    settings.SPAM_MIN_SUBMIT_SECONDS = 0
    settings.FORM_RATE_LIMIT = None
    settings.HELPDESK_EMAIL = "Help Desk <helpdesk@lp.example>"
    case = ask(page, site_url)
    [ack] = [m for m in mail.outbox if m.to == ["jenn.hd.journey@example.org"]]
    answer = EmailMessage()
    answer["From"] = "Jenn Journey <jenn.hd.journey@example.org>"
    answer["To"] = ack.reply_to[0]
    answer["Subject"] = "Re: " + ack.subject
    answer["In-Reply-To"] = ack.extra_headers["Message-ID"]
    answer["Message-ID"] = "<e2e-answer@mail.example.org>"
    answer.set_content(
        "Our vote is on April 2; the draft is attached.\n\nOn Tue, Dec 8, 2026 at 9:14 AM Help Desk wrote:\n"
        + "\n".join("> " + line for line in ack.body.splitlines())
    )
    answer.add_attachment(b"%PDF-1.4 draft ordinance", maintype="application", subtype="pdf", filename="draft.pdf")
    assert inbound.receive(answer.as_bytes(), source="imap").outcome == "joined"

    hanna = staff_in_browser(browser, site_url, "hanna", roles.HELP_DESK_STAFF, first_name="Hanna")
    hanna.goto(site_url + f"/admin/helpdesk/helpdeskrequest/inspect/{case.pk}/")
    thread = hanna.locator(".lp-thread")
    expect(thread).to_contain_text("Member added details by email")
    expect(thread).to_contain_text("Our vote is on April 2; the draft is attached.")
    expect(thread).not_to_contain_text("Help Desk wrote")
    with hanna.expect_download() as download:
        thread.get_by_role("link", name="draft.pdf").click()
    assert download.value.suggested_filename == "draft.pdf"
    assert Path(download.value.path()).read_bytes() == b"%PDF-1.4 draft ordinance"
    expect(hanna.locator(".lp-also-open")).to_be_hidden()
    assert_accessible(hanna)

    omar = staff_in_browser(browser, site_url, "omar", roles.HELP_DESK_STAFF, first_name="Omar")
    omar.goto(site_url + f"/admin/helpdesk/helpdeskrequest/inspect/{case.pk}/")
    expect(omar.locator(".lp-also-open")).to_contain_text("Also open by Hanna")
    assert_accessible(omar)
    hanna.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # as when Hanna's tab comes back
    expect(hanna.locator(".lp-also-open")).to_contain_text("Also open by Omar")
    screenshot(hanna, "helpdesk-emailed-reply")
    omar.close()  # Omar closes the tab: his page says it is leaving
    hanna.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(hanna.locator(".lp-also-open")).to_be_hidden()

    # Everything from this member, one click away, and the search that finds them.
    hanna.get_by_role("link", name="Everything from jenn.hd.journey@example.org").click()
    expect(hanna.locator(".lp-timeline")).to_contain_text(case.reference)
    expect(hanna.locator(".lp-timeline")).to_contain_text("Email sent")
    assert_accessible(hanna)
    hanna.get_by_label("Find a member by name or email").fill("Journey")
    hanna.get_by_role("button", name="Find").click()
    expect(hanna.locator(".lp-member__matches")).to_contain_text("jenn.hd.journey@example.org")
    assert_accessible(hanna)
    hanna.set_viewport_size({"width": 390, "height": 844})
    assert hanna.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
