"""Browser harness: Playwright for Python driving Debian's Chromium.

Playwright's own browser download does not work here, so the tests launch
the system `chromium` (`make browsers` installs it). Without it they skip,
unless E2E_REQUIRED is set (CI), where a missing browser is a failure.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import clear_caches

# Playwright's sync API keeps an event loop in the test thread; the ORM calls
# the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}
# Wagtail's own admin screens are not ours to scan; our inbox views are.
NOT_OURS = re.compile(r"^/admin/(?!events/|helpdesk/|home/)")

# Every page a journey visits must be scanned by assert_accessible (the gate
# checks at the end of each test): {page: [visited urls]}, {page: {scanned}}.
_visited = {}
_scanned = {}


def _normalise(url):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def track(page):
    """Record every document the page shows (not fragment jumps within one)."""
    _visited[page] = []
    _scanned.setdefault(page, set())

    def navigated(frame):
        visited = _visited.get(page)  # None once the test's gate has checked the page (late navigations)
        if visited is not None and frame.parent_frame is None and frame.url.startswith("http"):
            url = _normalise(frame.url)
            if not NOT_OURS.match(urlsplit(url).path) and url not in visited:
                visited.append(url)

    page.on("framenavigated", navigated)
    return page


def untrack(page):
    """Forget a page the test throws away unscanned (a first visit measured again on a fresh one)."""
    _visited.pop(page, None)
    _scanned.pop(page, None)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            # The live server needs committed data; serialized_rollback brings
            # back what migrations created (root page, collections, groups).
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        message = "Debian's chromium is not installed (run `make browsers`)"
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(message + " and E2E_REQUIRED is set")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path, django_db_setup, django_db_blocker):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright runs in a greenlet with its own context variables, and
    # Django keeps its connections in context-local storage: connections made
    # after this point are new objects that lack the serialized copy of the
    # migrated data which serialized_rollback restores. Carry it across.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        new_context = browser.new_context

        def tracked_context(*args, **kwargs):
            # Every page of every context is tracked, except where JavaScript is
            # off (axe cannot run there; those journeys say so).
            context = new_context(*args, **kwargs)
            if kwargs.get("java_script_enabled", True):
                context.on("page", track)
            return context

        new_page = browser.new_page

        def tracked_page(*args, **kwargs):
            page = new_page(*args, **kwargs)
            if kwargs.get("java_script_enabled", True):
                track(page)
            return page

        browser.new_context = tracked_context
        browser.new_page = tracked_page
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _every_visited_page_is_scanned(request):
    """The accessibility gate: a journey that shows a page it never scanned fails."""
    _visited.clear()
    _scanned.clear()
    yield
    if getattr(request.node, "rep_call_failed", True):
        return
    missed = [url for page, urls in _visited.items() for url in urls if url not in _scanned.get(page, set())]
    _visited.clear()
    _scanned.clear()
    assert not missed, "pages visited but never scanned with assert_accessible:\n" + "\n".join(missed)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call_failed = report.failed
        if report.failed and "browser" in item.funcargs:
            report.sections.append(("browser at the failure", browser_state(item.funcargs["browser"], item.name)))


# What each open tab showed when a journey failed: its address, its open dialogs and their text, the
# start of its text, and a screenshot in the artifacts. CI keeps only the log, so the log must say it.
STATE_JS = """() => ({
    dialogs: [...document.querySelectorAll('[role=dialog], dialog')]
        .filter(d => d.checkVisibility())
        .map(d => (d.id ? '#' + d.id + ': ' : '') + d.innerText.replace(/\\s+/g, ' ').slice(0, 400)),
    text: document.body ? document.body.innerText.replace(/\\s+/g, ' ').slice(0, 800) : '',
})"""


def browser_state(browser, name):
    lines = []
    for c, context in enumerate(browser.contexts):
        for p, page in enumerate(context.pages):
            try:
                state = page.evaluate(STATE_JS)
                shot = screenshot(page, f"failed-{name}-{c}-{p}")
            except Exception as error:  # noqa: BLE001 - a closed or crashed tab says so and the others still report
                lines.append(f"tab {c}.{p} {page.url}: {error}")
                continue
            lines.append(f"tab {c}.{p} {page.url} (screenshot {shot.name})")
            lines.extend(f"  open dialog {dialog}" for dialog in state["dialogs"])
            lines.append(f"  text: {state['text']}")
    return "\n".join(lines) or "no tab open"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def site_url(live_server, _demo_copy):
    """The live server's address, with the demo content loaded: the copy the other tests share
    (tests/demo.py, seeded once per process), committed, since these tests are transactional."""
    _demo_copy.restore()
    clear_caches()
    return live_server.url


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def describe(violations):
    return "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s), e.g. {v['nodes'][0]['html'][:200]})"
        for v in violations
    )


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    _scanned.setdefault(page, set()).add(_normalise(page.url))
    return Axe().run(page).response["violations"]


# Resolves when every running animation that ends within the timeout has finished (or after the timeout):
# one that lasts longer (Wagtail's "new items" badge pings for 5 x 5 s) is not waited for, since it would
# not have ended anyway. evaluate(), not wait_for_function(), which needs 'unsafe-eval' the policy rightly refuses.
SETTLE = """(timeout) => Promise.race([
    Promise.all(document.getAnimations()
        .filter(a => {
            const timing = a.effect?.getComputedTiming();
            return a.playState === 'running' && timing && timing.endTime - (a.currentTime ?? 0) <= timeout;
        })
        .map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, timeout)),
])"""


def settle(page, timeout=3000):
    """Wait for running CSS animations to end (Wagtail's messages fade in: mid-fade text reads as low contrast)."""
    page.evaluate(SETTLE, timeout)


def assert_accessible(page, fail_on=BLOCKING_IMPACTS):
    """Scan the current page with axe-core: fail on serious and critical
    violations (or the impacts in ``fail_on``), print the others."""
    settle(page)
    violations = axe_violations(page)
    blocking = [v for v in violations if v.get("impact") in fail_on]
    others = [v for v in violations if v not in blocking]
    if others:
        print(f"axe: {len(others)} lesser violation(s) on {page.url}:\n{describe(others)}")
    assert not blocking, f"axe found accessibility problems on {page.url}:\n{describe(blocking)}"


def staff_in_browser(browser, site_url, username, group, *, first_name="Rae", width=1280):
    """A new staffer in ``group``, signed in to the admin in a browser context of their own; their page."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from playwright.sync_api import expect

    user = get_user_model().objects.create_user(username, f"{username}@lp.example", "staff-pw", first_name=first_name)
    user.groups.add(Group.objects.get(name=group))
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(site_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("staff-pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page
