"""Editors' day: a resource with every block through review; a Pacific session in the Scheduled report."""

import datetime
import re
import zoneinfo

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from home import roles
from library.models import IssueArea, ResourceLibraryPage, ResourcePage, ResourceType

from .conftest import assert_accessible, screenshot
from .test_review_workflow import log_in, make_staff

WIDTHS = {"mobile": 375, "tablet": 768, "desktop": 1280}
# Wagtail's own edit screen: Draftail editors inside StreamField blocks have no accessible name
# (aria-input-field-name, serious) - Wagtail's markup, not ours; scanned, and only critical problems fail.
ADMIN_EDIT_SCREEN = {"critical"}


def test_editor_resource_with_every_block_through_review(browser, site_url):
    from home.samples import sample_document, sample_image
    from tests.admin.editing import cache_embed, every_block

    make_staff("erin", roles.EDITORS)
    make_staff("lee", roles.COMMUNICATIONS_LEADS)
    library = ResourceLibraryPage.objects.get()
    about = Page.objects.get(slug="about")
    cache_embed()

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
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("created")
    resource = ResourcePage.objects.get(title="Tenant protection toolkit")
    # Every block of the body, with the sample picture and PDF (the picker's own content).
    draft = resource.get_latest_revision_as_object()
    draft.body = every_block(sample_image(), sample_document(), about)
    draft.save_revision(user=resource.owner)

    # Preview at three widths.
    page.goto(f"{site_url}/admin/pages/{resource.pk}/edit/")
    assert_accessible(page, fail_on=ADMIN_EDIT_SCREEN)
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

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Communications review").click()
    expect(page.locator(".messages")).to_contain_text("submitted")
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
    assert_accessible(page, fail_on=ADMIN_EDIT_SCREEN)
    screenshot(page, "editors-day-changes-requested")
    page.locator("#id_summary").fill("Everything a Durham County council member needs to pass tenant protections.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile("Resubmit")).first.click()
    expect(page.locator(".messages")).to_contain_text("submitted")
    context.close()

    context, page = log_in(browser, site_url, "lee")
    panel = page.locator("#awaiting-review-section")
    panel.get_by_role("row", name=re.compile("Tenant protection toolkit")).get_by_role("button", name="Actions").click()
    panel.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#awaiting-review-section")).to_have_count(0, timeout=15_000)
    context.close()

    public = browser.new_page()
    public.goto(site_url + ResourcePage.objects.get(pk=resource.pk).url)
    expect(public.get_by_text("Durham County council member")).to_be_visible()
    expect(public.get_by_text("Governing is a team sport.")).to_be_visible()
    assert_accessible(public)
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
    assert_accessible(page, fail_on=ADMIN_EDIT_SCREEN)
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
    publish.click()
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
