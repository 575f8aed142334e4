"""Benchmark: the resource library's response time at 1,000 and 10,000 resources.

    make bench                          # SQLite in a temporary file
    DATABASE_URL=postgres://... .venv/bin/python bench/library.py   # a fresh, empty PostgreSQL database

Prints the median time and query count of several requests per URL. This is
a figure to watch, never a pass/fail test.
"""

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

from search import index as search_index  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
URLS = [
    "/resources/",
    "/resources/?issue=housing",
    "/resources/?issue=housing&type=model-ordinance&state=CA",
    "/resources/?q=housing",
    "/resources/?q=eviction+counsel&issue=housing",
    "/resources/?page=40",
    "/search/?query=housing",
    "/search/?query=evictions+counsel",
]


def measure(client, url):
    client.get(url)  # warm caches
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries.captured_queries)


def main():
    from bench.bulk import analyze, bulk_create_resources
    from demo.seed import seed_shell
    from library.demo import ensure_library
    from library.models import ResourcePage
    from taxonomy.demo import ensure_taxonomy

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    home = seed_shell()
    ensure_taxonomy(lambda m: None)
    library = ensure_library(home, lambda m: None)
    client = Client()
    vendor = connection.vendor
    print(f"Resource library benchmark on {vendor}, median of {REPEAT} requests\n")
    print(f"{'resources':>10}  {'ms':>8}  {'queries':>7}  url")
    have = 0
    for size in SIZES:
        start = time.perf_counter()
        ids = bulk_create_resources(library, size - have, seed=size)
        search_index.add_bulk(ResourcePage, list(ResourcePage.objects.filter(pk__in=ids)))
        analyze()
        have = size
        build = time.perf_counter() - start
        for url in URLS:
            ms, queries = measure(client, url)
            print(f"{size:>10}  {ms:>8.1f}  {queries:>7}  {url}")
        print(f"{'':>10}  (building and indexing {size:,} resources took {build:.1f} s)\n")


if __name__ == "__main__":
    main()
