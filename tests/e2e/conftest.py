"""Browser harness: Playwright for Python driving Debian's Chromium.

Playwright's own browser download does not work here, so the tests launch
the system `chromium` (`make browsers` installs it). Without it they skip,
unless E2E_REQUIRED is set (CI), where a missing browser is a failure.
"""

import os
import shutil
import warnings
from pathlib import Path

import pytest
from django.core.management import call_command

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
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def site_url(live_server):
    """The live server's address, with the demo content loaded."""
    call_command("seed_demo", verbosity=0)
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


def assert_accessible(page):
    """Fail on any serious or critical axe-core violation on the current page; list the moderate ones.

    Returns the moderate violations (also reported as warnings in the test summary).
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    moderate = [v for v in violations if v.get("impact") == "moderate"]
    if moderate:
        warnings.warn(f"axe: moderate issues on {page.url}:\n{describe(moderate)}", stacklevel=2)
    assert not blocking, f"axe found serious accessibility problems on {page.url}:\n{describe(blocking)}"
    return moderate
