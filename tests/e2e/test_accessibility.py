"""The accessibility bar of issue 15, in a real browser:

- axe: 0 violations of any impact on every public page kind, at 1280 and 390 px;
- no layout shift (CLS < 0.02) as the page loads, on a phone and a desktop;
- keyboard-only journeys through the library and a registration reach their
  goal with a visible focus indicator (3:1 against what it sits on) at every stop.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from events.models import EventPage
from events.registration.emails import manage_signature
from events.registration.models import Registration
from events.registration.rules import registration_closed_reason

from .conftest import assert_accessible, screenshot, untrack

WIDTHS = [1280, 390]
ALL_IMPACTS = {"minor", "moderate", "serious", "critical"}
MAX_CLS = 0.02
CPU_SLOWDOWN = 6

# Sums the layout shifts of the page so far (those right after input excluded, as CLS does).
CLS_JS = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 500);
})"""

# Where the focus is, the ring that shows it (the element or the card around
# it) and the colours of every background the ring sits on.
FOCUS_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {element: null};
    let ringOwner = el, style = getComputedStyle(el);
    while (ringOwner && !(style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)) {
        ringOwner = ringOwner.parentElement;
        style = ringOwner ? getComputedStyle(ringOwner) : null;
    }
    const backgrounds = [];
    let node = ringOwner ? ringOwner.parentElement : null;
    while (node) {
        const s = getComputedStyle(node);
        const image = s.backgroundImage;
        if (image && image !== "none") {
            for (const m of image.matchAll(/rgba?\\([^)]*\\)/g)) backgrounds.push(m[0]);
        }
        if (s.backgroundColor !== "rgba(0, 0, 0, 0)" && s.backgroundColor !== "transparent") {
            backgrounds.push(s.backgroundColor);
            break;
        }
        node = node.parentElement;
    }
    if (!node) backgrounds.push("rgb(255, 255, 255)");
    return {
        element: el.outerHTML.slice(0, 160),
        ring: ringOwner ? style.outlineColor : null,
        backgrounds: backgrounds,
    };
}"""


def parse_rgb(text):
    values = [float(v) for v in re.findall(r"[\d.]+", text)]
    alpha = values[3] if len(values) > 3 else 1.0
    return values[:3], alpha


def luminance(rgb):
    linear = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in linear]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def assert_focus_visible(page):
    """The focused element shows a ring of at least 3:1 against its background."""
    info = page.evaluate(FOCUS_JS)
    assert info["element"], "focus was lost to the page body"
    assert info["ring"], f"no visible focus indicator on {info['element']}"
    ring, alpha = parse_rgb(info["ring"])
    assert alpha == 1, info
    for background in info["backgrounds"]:
        colour, bg_alpha = parse_rgb(background)
        if bg_alpha < 1:  # translucent gradient decoration over the solid colours also listed
            continue
        ratio = contrast(ring, colour)
        assert ratio >= 3, f"focus ring {info['ring']} is {ratio:.2f}:1 on {background} at {info['element']}"
    return info


def tab_to(page, predicate, limit=80):
    """Press Tab until predicate(focused-element-info) holds; check focus at every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = assert_focus_visible(page)
        if predicate(info["element"]):
            return info
    raise AssertionError("never reached the element by keyboard")


def open_event():
    now = timezone.now()
    return next(e for e in EventPage.objects.live().order_by("start") if not registration_closed_reason(e, now))


def page_kinds(site_url):
    """One live page of every page type, plus the other states a member sees."""
    urls = {}
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        kind = type(page).__name__
        if kind == "EventPage" and registration_closed_reason(page, timezone.now()):
            continue  # prefer an event whose form is showing
        urls.setdefault(kind, page.url)
    urls["LibraryFiltered"] = urls["ResourceLibraryPage"] + "?issue=housing&type=model-ordinance"
    urls["PastTrainings"] = urls["TrainingIndexPage"] + "past/"
    urls["Search"] = "/search/?query=housing"
    urls["SearchEmpty"] = "/search/?query=zzzzqqq"
    urls["NotFound"] = "/no-such-page/"
    registration = Registration.objects.create(
        event=open_event(), name="Ana Axe", email="ana.axe@example.org", role="staff", status="confirmed", form_data={}
    )
    urls["ManageRegistration"] = reverse("manage_registration", args=[manage_signature(registration)])
    return {kind: site_url + url for kind, url in urls.items()}


def first_visit(browser, url, width):
    """(context, page, CLS) of ``url`` opened in a fresh context: nothing cached, as on a first visit."""
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # A slow phone: the page paints while it is still arriving, so a part placed by
    # content that comes later (a grid re-ordered, a header row filled in) shows as a shift.
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(url)
    shift = page.evaluate(CLS_JS)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    return context, page, shift


@pytest.mark.parametrize("width", WIDTHS)
def test_every_public_page_kind_has_no_axe_violations_and_no_layout_shift(browser, site_url, width):
    failures = []
    for kind, url in page_kinds(site_url).items():
        context, page, shift = first_visit(browser, url, width)
        if shift >= MAX_CLS:
            # Once more on a fresh visit: a real shift comes back every time; a test machine that
            # stalled mid-load (seen once in CI, never reproduced) does not. The revisit is the one scanned.
            untrack(page)
            context.close()
            context, page, again = first_visit(browser, url, width)
            if again >= MAX_CLS:
                failures.append(f"{kind} at {width}px: CLS {shift:.3f}, then {again:.3f} ({url})")
        try:
            assert_accessible(page, fail_on=ALL_IMPACTS)
        except AssertionError as error:
            failures.append(f"{kind} at {width}px: {error}")
        context.close()
    assert not failures, "\n".join(failures)


def test_failed_registration_states_have_no_axe_violations(page, site_url, settings):
    settings.FORM_RATE_LIMIT = None
    event = open_event()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site_url + event.url)
        assert_accessible(page, fail_on=ALL_IMPACTS)
        page.locator("form.registration-form").get_by_role("button", name="Register").click()
        expect(page.locator("[data-error-summary]")).to_be_focused()
        assert_accessible(page, fail_on=ALL_IMPACTS)


def test_keyboard_only_through_the_library_to_a_resource(page, site_url):
    page.goto(site_url + "/resources/")
    assert_accessible(page)
    tab_to(page, lambda html: "facet__option" in html and "Housing" in html)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?issue=housing#results-heading$"))
    heading = page.locator("#results-heading")
    expect(heading).to_be_focused()
    assert_focus_visible(page)
    assert_accessible(page)
    # Onwards from the results: the first resource.
    tab_to(page, lambda html: re.match(r'<a href="/resources/[^"?#]+/"', html) is not None)
    title = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(title)
    assert_accessible(page)


def test_keyboard_only_on_a_phone_from_an_event_to_a_registration(page, site_url, settings):
    settings.SPAM_MIN_SUBMIT_SECONDS = 0
    settings.FORM_RATE_LIMIT = None
    page.set_viewport_size({"width": 390, "height": 844})
    event = open_event()
    page.goto(site_url + event.url)
    assert_accessible(page)

    # The first action on the page is Register; it jumps to the form.
    tab_to(page, lambda html: html.startswith("<a") and 'href="#register"' in html)
    calendar = page.get_by_role("link", name="Add to calendar", exact=True)
    expect(calendar).to_have_class(re.compile(r"button--secondary"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#register$"))
    tab_to(page, lambda html: 'name="name"' in html)

    # Send it empty: the error summary takes focus, the title says so, and its
    # first link puts focus in the field.
    page.keyboard.press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert_focus_visible(page)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    tab_to(page, lambda html: 'href="#id_name"' in html)
    page.keyboard.press("Enter")
    expect(page.locator("#id_name")).to_be_focused()

    values = {"name": "Kim Keyboard", "email": "kim.keyboard@example.org", "organisation": "Durham, NC"}
    page.keyboard.type(values.pop("name"))
    for _ in range(40):
        page.keyboard.press("Tab")
        info = assert_focus_visible(page)
        html = info["element"]
        name = re.search(r'name="([^"]+)"', html)
        name = name.group(1) if name else ""
        if name in values:
            page.keyboard.type(values.pop(name))
        elif 'type="radio"' in html and name == "role":
            # The radio group's error is read with each of its inputs.
            described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
            assert described and page.locator(f"#{described.split()[-1]}").inner_text()
            page.keyboard.press("Space")
        elif html.startswith("<button") and 'type="submit"' in html:
            break
    assert not values, f"never reached {values}"
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Thank you, Kim Keyboard")
    assert_accessible(page)
    screenshot(page, "keyboard-registration-thanks")
    assert Registration.objects.filter(email="kim.keyboard@example.org").exists()
