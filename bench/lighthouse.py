"""Lighthouse's four category scores for the pages members use most.

    make run                                   # in one terminal (demo content)
    .venv/bin/python bench/lighthouse.py       # in another; or: make bench
    .venv/bin/python bench/lighthouse.py http://127.0.0.1:8150 --mobile

Runs the `lighthouse` npm package (``LIGHTHOUSE`` names its binary; else
``node_modules/.bin/lighthouse`` or ``lighthouse`` on PATH; ``npm install
lighthouse`` in any directory and point LIGHTHOUSE at it) with Debian's
Chromium (``CHROME_PATH``, default ``chromium``), against a running server
(first argument, or ``LIGHTHOUSE_BASE_URL``, default http://127.0.0.1:8000).
Desktop preset by default, ``--mobile`` for Lighthouse's phone emulation.

Not part of CI: each page takes 15-40 s on the 2-core machine. Prints one
line per page; exits 0 even when something is missing (it says what), so
``make bench`` keeps going.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def find_lighthouse():
    candidates = [os.environ.get("LIGHTHOUSE"), str(ROOT / "node_modules" / ".bin" / "lighthouse")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("lighthouse")


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local URL we were given)
        return response.read().decode()


def pages(base):
    """(label, url) of home, library, an event with its form, the registration
    form itself, and the Help Desk form where the site has one."""
    found = [("home", base + "/"), ("library", base + "/resources/")]
    trainings = fetch(base + "/trainings/")
    event = None
    for href in re.findall(r'class="event-card__title"[^>]*>\s*<a href="([^"]+)"', trainings):
        html = fetch(base + href)
        if 'class="registration-form"' in html:
            event = base + href
            break
    if event:
        found += [("event", event), ("registration form", event + "#register")]
    try:
        if "<form" in fetch(base + "/help-desk/"):
            found.append(("help desk form", base + "/help-desk/"))
    except OSError:
        pass
    return found


def scores(lighthouse, url, mobile):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        if not mobile:
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH") or shutil.which("chromium") or ""}
        subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)  # noqa: S603 (our own argv)
        data = json.loads(report.read_text())
    result = {name: round((data["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    failing = [
        audit_id
        for audit_id, audit in data["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit_id in {ref["id"] for ref in data["categories"]["accessibility"]["auditRefs"]}
    ]
    return result, failing


def main(argv):
    mobile = "--mobile" in argv
    args = [a for a in argv if not a.startswith("--")]
    base = (args[0] if args else os.environ.get("LIGHTHOUSE_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    lighthouse = find_lighthouse()
    print(f"Lighthouse ({'mobile' if mobile else 'desktop'}) on {base}")
    if not lighthouse:
        print("  skipped: lighthouse not found (npm install lighthouse; LIGHTHOUSE=node_modules/.bin/lighthouse)")
        return 0
    try:
        targets = pages(base)
    except OSError as exc:
        print(f"  skipped: no server at {base} ({exc}); start one with `make run`")
        return 0
    print(f"  {'page':<20} " + " ".join(f"{name:>14}" for name in CATEGORIES))
    for label, url in targets:
        try:
            result, failing = scores(lighthouse, url, mobile)
        except (subprocess.SubprocessError, OSError, KeyError, ValueError) as exc:
            print(f"  {label:<20} failed: {exc}")
            continue
        line = " ".join(f"{result[name]:>14}" for name in CATEGORIES)
        print(f"  {label:<20} {line}" + (f"   accessibility audits below 1: {', '.join(failing)}" if failing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
