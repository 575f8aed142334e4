"""Editors' day: a resource with every block through review; a Pacific session in the Scheduled report."""

import datetime
import re
import zoneinfo

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from wagtail.models import Page

from home import roles
from library.models import ResourceLibraryPage, ResourcePage
from taxonomy.models import IssueArea, ResourceType

from .conftest import assert_accessible, screenshot
from .test_review_workflow import log_in, make_staff

WIDTHS = {"mobile": 375, "tablet": 768, "desktop": 1280}


def add_block(page, name, preview=None):
    """Insert a block at the end of the body with Wagtail's block picker, as an editor does: the "+" under the
    last block, then the block's name (after looking at its preview, when ``preview`` is what it should show).
    Returns the new block."""
    stream = page.locator("#body-root > [data-streamfield-stream-container]")
    blocks = stream.locator(":scope > [data-streamfield-child]")
    count = blocks.count()
    # The last "Insert a block" of the body is the one under its last block (those of rich text come before).
    stream.get_by_role("button", name="Insert a block").last.click()
    option = page.get_by_role("option", name=name, exact=True)
    if preview is not None:
        page.locator(".w-combobox__option-row").filter(has=option).get_by_role("button", name="Preview").click()
        shown = page.frame_locator(".w-combobox-preview__iframe")
        expect(preview(shown)).to_be_visible()
        screenshot(page, f"editors-day-picker-{slugify(name)}")
    option.click()
    expect(blocks).to_have_count(count + 1)
    return blocks.nth(count)


def choose(page, button, search, title):
    """Pick an item in a chooser modal the way a person does: open it, search, click the title."""
    button.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Search term").fill(search)
    dialog.get_by_role("link", name=title).click()
    expect(dialog).to_have_count(0)


def continue_past_save_confirmation(page, attempt=1):
    """Wagtail's editing sessions may stop an action with "You saved a new version in another window": the
    screen before a reload is that other window when its release (a beacon as it unloads) reaches the server
    after the new screen's first ping, which marks the page as in conflict for as long as the screen is open.
    Seen in CI under load. A person reads the dialog and continues, which runs the action."""
    dialog = page.locator("#w-save-confirmation-dialog")
    try:
        dialog.wait_for(state="visible", timeout=1_000)
    except PlaywrightError:  # no dialog (a timeout), or the screen is already on its way to the next page
        return
    screenshot(page, f"editors-day-save-confirmation-{attempt}")
    dialog.locator("[data-w-dialog-target=confirm]").click()


def submit_from_footer(page, name, attempts=3):
    """Open the footer's "More actions" and submit for review; the edit screen reloads saying so.

    Seen in CI under load: a click that Wagtail's editor did not act on (no request, the old message
    still showing). Give autosave (500 ms after the last change) time to finish; if nothing happens,
    look again. Not "networkidle": the edit screen keeps talking to the server, so it never comes."""
    for attempt in range(1, attempts + 1):
        page.wait_for_timeout(1500)
        button = page.get_by_role("button", name=name).first
        if not button.is_visible():
            page.get_by_role("button", name="More actions").click()
        try:
            with page.expect_navigation(timeout=15_000):
                button.click()
                continue_past_save_confirmation(page, attempt)
            break
        except PlaywrightTimeoutError:
            screenshot(page, f"editors-day-submit-attempt-{attempt}")
            if attempt == attempts:
                raise
    expect(page.locator(".messages")).to_contain_text("submitted")


def test_editor_resource_with_every_block_through_review(browser, site_url):
    from home.samples import SAMPLE_DOCUMENT_TITLE, SAMPLE_IMAGE_TITLE
    from tests.admin.editing import EMBED_URL, cache_embed

    make_staff("erin", roles.EDITORS)
    make_staff("lee", roles.COMMUNICATIONS_LEADS)
    library = ResourceLibraryPage.objects.get()
    about = Page.objects.get(slug="about")
    cache_embed()  # the embed's details, as if YouTube had answered (nothing goes online)

    # The editor creates the resource in the browser: the type is a dropdown, the areas are checkboxes.
    context, page = log_in(browser, site_url, "erin")
    page.goto(f"{site_url}/admin/pages/add/library/resourcepage/{library.pk}/")
    assert_accessible(page)
    page.locator("#id_title").fill("Tenant protection toolkit")
    page.locator("#id_summary").fill("Everything a council member needs to pass tenant protections.")
    page.locator("#id_resource_type").select_option(label=ResourceType.objects.first().name)
    page.get_by_label(IssueArea.objects.first().name, exact=True).check()
    page.locator("#id_published_date").fill(timezone.localdate().isoformat())
    page.locator("#id_title").click()  # closes the date picker

    # Every block of the body, from the block picker, with the sample picture and PDF of the media library.
    block = add_block(page, "Heading", preview=lambda shown: shown.get_by_role("heading", name="How it works"))
    block.get_by_role("textbox", name="Text").fill("How it works")
    block.get_by_role("combobox", name="Level").select_option(label="Section heading (H2)")

    block = add_block(page, "Paragraph")
    block.get_by_role("textbox", name="Paragraph").press_sequentially(
        "Everything a member needs to pass a tenant protection ordinance."
    )

    block = add_block(page, "Image", preview=lambda shown: shown.locator(".sf-image img"))
    choose(page, block.get_by_role("button", name="Choose an image"), "National Convening", SAMPLE_IMAGE_TITLE)
    expect(block).to_contain_text(SAMPLE_IMAGE_TITLE)
    block.get_by_role("textbox", name="Alt text").fill("Members at a convening")
    block.get_by_role("textbox", name="Caption").fill("Denver")

    block = add_block(page, "Quote", preview=lambda shown: shown.get_by_text("Governing is a team sport."))
    block.get_by_role("textbox", name="Quote").fill("Governing is a team sport.")
    block.get_by_role("textbox", name="Attribution").fill("Sarah Johnson")

    block = add_block(page, "Button (call to action)")
    block.get_by_role("textbox", name="Text").fill("Ask the Help Desk")
    block.get_by_role("button", name="Choose a page").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("row", name="Home").get_by_role("link", name="Explore").click()
    dialog.get_by_role("link", name=about.title, exact=True).click()
    expect(dialog).to_have_count(0)
    expect(block).to_contain_text(about.title)

    block = add_block(page, "FAQ", preview=lambda shown: shown.get_by_text("Can I invite my staff to join?"))
    expect(block.get_by_role("textbox", name="Heading")).to_have_value("Frequently asked questions")
    block.get_by_role("textbox", name="Question").fill("Can my staff come?")
    block.get_by_role("textbox", name="Answer").press_sequentially("Yes, all of them.")

    block = add_block(page, "Video or embed")
    block.get_by_role("textbox", name="Embed").fill(EMBED_URL)
    block.get_by_role("textbox", name="Title").fill("Policy primer recording")

    block = add_block(page, "Document download", preview=lambda shown: shown.get_by_text("Model ordinance (PDF)"))
    choose(page, block.get_by_role("button", name="Choose a document"), "tenant protection", SAMPLE_DOCUMENT_TITLE)
    expect(block).to_contain_text(SAMPLE_DOCUMENT_TITLE)
    block.get_by_role("textbox", name="Title").fill("Model ordinance (PDF)")

    # The edit screen with every block open: each rich text editor is named after its field (our admin script).
    assert_accessible(page)
    screenshot(page, "editors-day-every-block")
    # Wagtail autosaves as the editor types (the page exists by now); saving the draft reloads the edit screen.
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
        continue_past_save_confirmation(page)
    messages = page.locator(".messages")
    expect(messages).to_contain_text(re.compile(r"Tenant protection toolkit.*(created|updated)"))
    expect(messages).not_to_contain_text("cannot be submitted")  # no stale warning from an autosave half-way
    resource = ResourcePage.objects.get(title="Tenant protection toolkit")
    body = resource.get_latest_revision_as_object().body
    assert [child.block_type for child in body] == [
        "heading", "paragraph", "image", "quote", "call_to_action", "faq", "embed", "document"
    ]  # fmt: skip

    # Preview at three widths.
    expect(page).to_have_url(re.compile(rf"/admin/pages/{resource.pk}/edit/$"))
    assert_accessible(page)
    # The preview panel posts the edit form (as reviewers' previews do), then renders it in its frame.
    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator("iframe#w-preview-iframe, .preview-panel iframe").first
    expect(frame.get_by_text("Governing is a team sport.")).to_be_visible(timeout=30_000)
    screenshot(page, "editors-day-preview-panel")
    for name, width in WIDTHS.items():
        preview = context.new_page()
        preview.set_viewport_size({"width": width, "height": 900})
        preview.goto(f"{site_url}/admin/pages/{resource.pk}/edit/preview/?mode=")
        expect(preview.get_by_role("heading", name="Tenant protection toolkit")).to_be_visible()
        expect(preview.get_by_text("Governing is a team sport.")).to_be_visible()
        expect(preview.locator(".sf-image img")).to_be_visible()
        assert_accessible(preview)
        screenshot(preview, f"editors-day-preview-{name}")
        preview.close()

    submit_from_footer(page, "Submit to Communications review")
    context.close()

    # The lead requests a change.
    context, page = log_in(browser, site_url, "lee")
    panel = page.locator("#awaiting-review-section")
    panel.get_by_role("row", name=re.compile("Tenant protection toolkit")).get_by_role("button", name="Actions").click()
    panel.get_by_role("button", name="Request changes").click()
    page.locator("textarea[name=comment]").fill("Please add the county's name to the summary.")
    page.locator("form").filter(has=page.locator("textarea[name=comment]")).get_by_role(
        "button", name=re.compile("Request changes")
    ).click()
    expect(page.locator("#awaiting-review-section")).to_have_count(0, timeout=15_000)
    context.close()

    # The editor sees it on the edit screen, fixes and resubmits.
    context, page = log_in(browser, site_url, "erin")
    page.goto(f"{site_url}/admin/pages/{resource.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text("Changes requested by lee")
    expect(page.locator(".messages")).to_contain_text("Please add the county's name to the summary.")
    assert_accessible(page)
    screenshot(page, "editors-day-changes-requested")
    page.locator("#id_summary").fill("Everything a Durham County council member needs to pass tenant protections.")
    submit_from_footer(page, re.compile("Resubmit"))
    context.close()

    context, page = log_in(browser, site_url, "lee")
    panel = page.locator("#awaiting-review-section")
    panel.get_by_role("row", name=re.compile("Tenant protection toolkit")).get_by_role("button", name="Actions").click()
    panel.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#awaiting-review-section")).to_have_count(0, timeout=15_000)
    context.close()

    # Live, with what the editor put in every block.
    public = browser.new_page()
    public.goto(site_url + ResourcePage.objects.get(pk=resource.pk).url)
    expect(public.get_by_text("Durham County council member")).to_be_visible()
    expect(public.get_by_role("heading", name="How it works", level=2)).to_be_visible()
    expect(public.get_by_text("Everything a member needs to pass a tenant protection ordinance.")).to_be_visible()
    expect(public.get_by_role("img", name="Members at a convening")).to_be_visible()
    expect(public.locator(".sf-image figcaption")).to_have_text("Denver")
    expect(public.locator(".sf-quote")).to_contain_text("Governing is a team sport.")
    expect(public.locator(".sf-quote")).to_contain_text("Sarah Johnson")
    expect(public.get_by_role("link", name="Ask the Help Desk")).to_have_attribute("href", about.url)
    expect(public.get_by_role("heading", name="Frequently asked questions")).to_be_visible()
    public.get_by_text("Can my staff come?").click()
    expect(public.get_by_text("Yes, all of them.")).to_be_visible()
    expect(public.locator('.sf-embed iframe[title="Policy primer recording"]')).to_have_count(1)
    expect(public.locator(".sf-embed figcaption")).to_have_text("Policy primer recording")
    document = public.get_by_role("link", name=re.compile(r"Model ordinance \(PDF\)"))
    expect(document).to_have_attribute("href", re.compile(r"\.pdf$"))
    expect(document).to_contain_text("PDF")
    assert_accessible(public)
    screenshot(public, "editors-day-live")
    public.close()


def test_lead_schedules_a_pacific_session_and_sees_it_in_the_scheduled_report(browser, site_url):
    from events.models import EventSeriesPage

    make_staff("lee", roles.COMMUNICATIONS_LEADS)
    series = EventSeriesPage.objects.live().first()
    series.timezone = "America/Los_Angeles"
    series.save_revision().publish()
    day = (timezone.now() + datetime.timedelta(days=20)).date()

    context, page = log_in(browser, site_url, "lee")
    page.goto(f"{site_url}/admin/pages/add/events/eventpage/{series.pk}/")
    assert_accessible(page)
    expect(page.locator("#id_timezone")).to_have_value("America/Los_Angeles")
    page.locator("#id_title").fill("West coast housing primer")
    page.locator("#id_start").fill(f"{day:%Y-%m-%d} 14:00")
    page.locator("#id_start").dispatch_event("change")
    expect(page.locator("#event-time-hint")).to_have_text("Starts 2:00 PM PT = 5:00 PM ET")
    page.locator("#id_end").fill(f"{day:%Y-%m-%d} 15:00")
    page.locator("#id_title").click()  # closes the date picker
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("created")

    # Schedule it: go-live the day before at 09:00 in the lead's zone (Eastern, the site's), as the dialog says.
    event = Page.objects.get(title="West coast housing primer").specific
    page.goto(f"{site_url}/admin/pages/{event.pk}/edit/")
    page.get_by_role("button", name="Toggle status").click()
    page.get_by_role("button", name="Set schedule").click()
    dialog = page.locator("#schedule-publishing-dialog")
    expect(dialog).to_contain_text("your time zone: America/New_York")
    go_live = day - datetime.timedelta(days=1)
    dialog.locator("#id_go_live_at").fill(f"{go_live:%Y-%m-%d} 09:00")
    dialog.locator(".schedule-zone-note").click()  # closes the date picker
    # The date picker's calendar may still cover the button: press it the way the keyboard would.
    dialog.get_by_role("button", name="Save schedule").evaluate("button => button.click()")
    expect(page.locator(".messages")).to_contain_text("has been updated")
    publish = page.locator('button[name="action-publish"]')
    expect(publish).to_contain_text("Schedule to publish")
    if not publish.is_visible():
        page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        publish.click()
        continue_past_save_confirmation(page)
    expect(page.locator(".messages")).to_contain_text("scheduled")

    page.goto(site_url + reverse("scheduled_pages"))
    row = page.get_by_role("row", name=re.compile("West coast housing primer"))
    expect(row).to_contain_text("Goes live")
    expect(row).to_contain_text(f"{go_live:%b} {go_live.day}, {go_live:%Y}, 9:00 AM")
    expect(row).to_contain_text("(America/New_York)")
    expect(row).to_contain_text("2pm PT / 5pm ET")
    assert_accessible(page)
    screenshot(page, "editors-day-scheduled-report")
    context.close()
    event.refresh_from_db()
    eastern = timezone.localtime(event.get_latest_revision().approved_go_live_at, zoneinfo.ZoneInfo("America/New_York"))
    assert eastern.hour == 9
