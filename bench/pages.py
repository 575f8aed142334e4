"""Benchmark: every page kind of the demo, uncached, in-process.

    make bench                          # SQLite in a temporary file
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py   # a fresh, empty PostgreSQL database

Seeds the demo (`seed_demo`), turns the page cache off and prints, per page
kind, the median time and the queries of one request in two states:

- **warm**: the page shell and the rendered fragments (cards, pictures, the
  sections made of them: ``{% wagtailcache %}``) kept from an earlier request, as for
  a signed-in member, a filtered listing or any page not in the page cache;
- **after a publish**: every request follows a content change (a new
  generation), so the shell and every fragment are read and rendered again:
  the most a page costs.

A figure to watch, never a pass/fail test. ``BENCH_REPEAT`` (default 15) tunes it.
"""

import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inprocess import setup  # noqa: E402

setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))


def page_kinds():
    from wagtail.models import Page

    urls = {}
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        urls.setdefault(type(page).__name__, page.url)
    library = urls.get("ResourceLibraryPage")
    if library:
        urls["library, filtered"] = library + "?issue=housing&type=toolkit"
        urls["library, searched"] = library + "?q=housing"
    urls["site search"] = "/search/?query=housing"
    return urls


def measure(client, url, before=None):
    timings = []
    for _ in range(REPEAT):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        if before:
            before()
        client.get(url)
    return statistics.median(timings) * 1000, len(queries.captured_queries)


def main():
    from home import cache as page_cache

    call_command("migrate", verbosity=0, interactive=False)
    with contextlib.redirect_stdout(io.StringIO()):  # the seed prints the dev logins
        call_command("seed_demo", verbosity=0)
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    print(f"{'page kind':<24} {'warm ms':>8} {'queries':>8} {'after a publish ms':>19} {'queries':>8}")
    for kind, url in page_kinds().items():
        client.get(url)
        warm, warm_queries = measure(client, url)
        cold, cold_queries = measure(client, url, before=page_cache.invalidate)
        print(f"{kind:<24} {warm:>8.1f} {warm_queries:>8} {cold:>19.1f} {cold_queries:>8}", flush=True)


if __name__ == "__main__":
    main()
