"""Every page kind passes the Nu HTML checker (vnu.jar) with 0 errors.

The checker is Java: the test runs the jar named by ``VNU_JAR`` (``.ci/run``
installs the ``vnu-jar`` npm package and sets it), or one found in a
``node_modules`` next to the project. Without Java or the jar it skips and
says why, unless ``VNU_REQUIRED=1`` (CI), where that is a failure.
"""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from events.models import EventPage
from events.registration.emails import manage_signature, rating_url
from events.registration.models import Registration
from events.registration.rules import registration_closed_reason
from inbox.spam import make_token

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = [
    ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
    ROOT / ".ci" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
]


def vnu_command():
    """["java", "-jar", path] or a skip (a failure under VNU_REQUIRED)."""
    java = shutil.which("java")
    jar = os.environ.get("VNU_JAR") or next((str(p) for p in CANDIDATES if p.exists()), None)
    problem = None
    if not java:
        problem = "Java is not installed, so the Nu HTML checker cannot run"
    elif not jar or not Path(jar).exists():
        problem = "vnu.jar not found: `npm install vnu-jar` and set VNU_JAR to its build/dist/vnu.jar"
    if problem:
        if os.environ.get("VNU_REQUIRED"):
            pytest.fail(problem + " (VNU_REQUIRED is set)")
        pytest.skip(problem)
    return [java, "-Xss2m", "-jar", jar]


def open_event():
    now = timezone.now()
    return next(e for e in EventPage.objects.live().order_by("start") if not registration_closed_reason(e, now))


def registration_post(**data):
    return {
        "name": "Nu Checker",
        "email": "nu.checker@example.org",
        "role": "staff",
        "organisation": "Durham, NC",
        "website": "",
        "form_token": make_token(time.time() - 30),
        **data,
    }


def rendered_pages(client):
    """{kind: html} for every page type and the states a member meets."""
    pages = {}

    def keep(kind, response, status=200):
        assert response.status_code == status, (kind, response.status_code)
        pages[kind] = response.content.decode()

    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        kind = type(page).__name__
        if kind not in pages and not (kind == "EventPage" and registration_closed_reason(page, timezone.now())):
            keep(kind, client.get(page.url))
    library_url = next(p.url for p in Page.objects.live().specific() if type(p).__name__ == "ResourceLibraryPage")
    keep("library-filtered", client.get(library_url + "?issue=housing&type=model-ordinance"))
    keep("library-empty", client.get(library_url + "?q=zzzzqqq"))
    keep("search", client.get("/search/?query=housing"))
    keep("not-found", client.get("/no-such-page/"), 404)
    event = open_event()
    keep("registration-errors", client.post(event.url + "register/", registration_post(name="", role="")), 400)
    keep("registration-thanks", client.post(event.url + "register/", registration_post(), follow=True))
    registration = Registration.objects.get(email="nu.checker@example.org")
    keep("manage-registration", client.get(reverse("manage_registration", args=[manage_signature(registration)])))
    # A session's other states (the demo has each): full, with the waitlist's form; cancelled; and the
    # follow-up's rating page.
    full = EventPage.objects.filter(registrations__status="waitlisted").distinct().first()
    keep("event-full", client.get(full.url))
    keep("event-cancelled", client.get(EventPage.objects.filter(cancelled_at__isnull=False, live=True).first().url))
    attendee = Registration.objects.filter(status="attended").first()
    keep("rate-session", client.get(rating_url(attendee, 4), follow=True))  # the test client reads its path
    return pages


def test_every_page_kind_passes_the_nu_html_checker(client, settings, tmp_path, request):
    command = vnu_command()
    settings.FORM_RATE_LIMIT = None
    request.getfixturevalue("demo")  # after vnu_command(), which skips without the checker
    pages = rendered_pages(client)
    assert {"HomePage", "StandardPage", "ResourceLibraryPage", "ResourcePage", "EventPage"} <= set(pages)
    files = []
    for kind, html in pages.items():
        path = tmp_path / f"{kind}.html"
        path.write_text(html)
        files.append(str(path))
    result = subprocess.run(  # noqa: S603 (java and a jar we located, on files we wrote)
        [*command, "--format", "json", "--stdout", *files], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [m for m in messages if m.get("type") in {"error", "non-document-error"}]
    report = "\n".join(
        f"- {Path(m.get('url', '')).stem}:{m.get('lastLine', '?')}: {m.get('message')} | {m.get('extract', '')[:120]!r}"
        for m in errors
    )
    assert not errors, f"the Nu HTML checker found {len(errors)} error(s):\n{report}"
