"""The admin works under its Content-Security-Policy: no violation on the screens staff use."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from events.models import EventPage
from home.models import HomePage

from .conftest import screenshot


def test_admin_screens_raise_no_csp_violation(browser, site_url):
    get_user_model().objects.create_superuser("csp-admin", "csp@example.org", "journey-pw")
    event = EventPage.objects.live().first()
    home = HomePage.objects.first()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(site_url + "/admin/login/")
    page.get_by_label("Username").fill("csp-admin")
    page.get_by_label("Password").fill("journey-pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    for path in [
        "/admin/",
        f"/admin/pages/{event.pk}/edit/",  # date/time widgets, inline panels, StreamField
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/{home.pk}/",
        "/admin/images/",
        "/admin/lockouts/",
    ]:
        response = page.goto(site_url + path)
        assert response.status == 200, path
        assert "script-src" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    # Opening the live preview loads the page in a frame under the admin's policy.
    page.goto(f"{site_url}/admin/pages/{event.pk}/edit/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "admin-event-editor-under-csp")
    context.close()
    assert violations == []
