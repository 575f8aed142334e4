"""HTTP benchmark: gunicorn with production settings, driven by wrk, per page kind.

    make bench-http
    BENCH_DATABASES=sqlite BENCH_SIZES=30 BENCH_SECONDS=3 .venv/bin/python bench/http_bench.py

For each database (SQLite in a temporary file; PostgreSQL when
BENCH_POSTGRES_URL names an empty database it may fill, default
postgres://postgres@127.0.0.1:5432/lpsite_bench) and each library size
(the demo's ~30 resources, then 10,000 grown with bench/bulk.py), it seeds
the demo, starts gunicorn (gunicorn.conf.py) with production's cache, Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/14, emptied first; local
memory when unreachable), and runs `wrk` against each page kind twice:
cold (page cache off: every request renders) and warm (page cache on and
filled). It prints requests per second, p50 and p99 latency, and the
SQL queries one uncached request costs. Client and server share the machine.

Targets for a 2-core machine (printed, never asserted): cached pages
>= 1,000 req/s with p99 <= 50 ms at 8 connections; uncached >= 100 req/s.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8130"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "30,10000").split(",")]
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/lpsite_bench")
# Production's cache: Redis (a database of its own, emptied before each server starts); local memory
# per worker when it is unreachable or BENCH_REDIS_URL is empty.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
WRK = shutil.which("wrk")
TARGETS = {"warm": (1000, 50), "cold": (100, None)}


# Helpers run inside Django (a subprocess with the benchmark's environment)


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def helper_grow(size):
    _django()
    from bench.bulk import analyze, bulk_create_resources
    from library.models import ResourceLibraryPage, ResourcePage
    from search import index as search_index

    have = ResourcePage.objects.count()
    if size > have:
        ids = bulk_create_resources(ResourceLibraryPage.objects.get(), size - have, seed=size)
        search_index.add_bulk(ResourcePage, list(ResourcePage.objects.filter(pk__in=ids)))
        analyze()


def helper_urls():
    _django()
    from events.models import EventPage, EventSeriesPage
    from library.models import ResourcePage

    def first(model):
        page = model.objects.live().order_by("path").first()
        return page.url if page else None

    urls = {
        "home": "/",
        "library": "/resources/",
        "library search": "/resources/?q=housing",
        "library filtered": "/resources/?issue=housing&type=toolkit",
        "resource": first(ResourcePage),
        "trainings": "/trainings/",
        "series": first(EventSeriesPage),
        "event": first(EventPage),
        "site search": "/search/?query=housing",
        "news": "/news/",
    }
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 0
    client = Client(SERVER_NAME="127.0.0.1")
    print(json.dumps({kind: url for kind, url in urls.items() if url and client.get(url).status_code == 200}))


def helper_queries(urls):
    _django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    client = Client(SERVER_NAME="127.0.0.1")
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    print(json.dumps(counts))


# The benchmark


def manage(env, *args, quiet=True, cwd=ROOT):
    subprocess.run(  # noqa: S603 - our own commands
        [PYTHON, "manage.py", *args], cwd=cwd, env=env, check=True, capture_output=quiet, text=True, timeout=3600
    )


def helper(env, name, *args):
    result = subprocess.run(  # noqa: S603 - our own script
        [PYTHON, __file__, "--helper", name, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1]) if name != "grow" else None


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def wrk(url, seconds=SECONDS, script=None):
    """req/s, p50 ms, p99 ms and non-2xx/3xx responses of `wrk` against ``url`` (optionally with a Lua script)."""
    return parse_wrk(run_wrk(url, seconds, script))


def run_wrk(url, seconds=SECONDS, script=None):
    return subprocess.run(  # noqa: S603
        [WRK, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", *(["-s", str(script)] if script else []), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def parse_wrk(out):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, percentile(50), percentile(99), int(errors.group(1)) if errors else 0


def serve(env, cwd=ROOT):
    return subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        [str(Path(PYTHON).with_name("gunicorn")), "-c", "gunicorn.conf.py", "lpsite.wsgi"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def redis_reachable():
    if not REDIS_URL:
        return False
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means: use local memory
        return False
    return True


def empty_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def fresh_postgres_database(url):
    """Drop and create the benchmark's own database (never any other)."""
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    if not name.startswith("lpsite_bench"):
        sys.exit(f"BENCH_POSTGRES_URL must name a database starting with lpsite_bench, not {name!r}")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def bench_env(database, workdir):
    """Production settings for a server on ``database`` (a fresh PostgreSQL database, or SQLite in ``workdir``),
    with Redis as the cache when it is reachable."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lpsite.settings.production",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        "FORM_RATE_LIMIT": "off",
    }
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    else:
        env["DATABASE_URL"] = POSTGRES_URL
        fresh_postgres_database(POSTGRES_URL)
    if redis_reachable():
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    return env


def run(database, workdir):
    env = bench_env(database, workdir)
    use_redis = "REDIS_URL" in env
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput")
    for size in SIZES:
        helper(env, "grow", str(size))
        urls = helper(env, "urls")
        queries = helper(env, "queries", *urls.values())
        for mode, cache_seconds in (("cold", "0"), ("warm", "300")):
            if use_redis:
                empty_redis()
            server = serve({**env, "PAGE_CACHE_SECONDS": cache_seconds})
            try:
                wait_for_port(PORT)
                for kind, url in urls.items():
                    full = f"http://127.0.0.1:{PORT}{url}"
                    for _ in range(3):
                        urllib.request.urlopen(full).read()  # noqa: S310 - our own local server
                    rps, p50, p99, errors = wrk(full)
                    target_rps, target_p99 = TARGETS[mode]
                    ok = rps >= target_rps and (target_p99 is None or p99 <= target_p99)
                    print(
                        f"{database:<10} {size:>6} {mode:<5} {kind:<17} {rps:>9.0f} {p50:>8.1f} {p99:>8.1f} "
                        f"{queries[url]:>7}  {'ok' if ok and not errors else 'BELOW TARGET'}"
                        + (f" ({errors} errors)" if errors else ""),
                        flush=True,
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)


def main():
    if not WRK:
        sys.exit("wrk is not installed: apt-get install wrk")
    print(
        f"gunicorn (gunicorn.conf.py, production settings) on 127.0.0.1:{PORT}, wrk {CONNECTIONS} connections, "
        f"{SECONDS} s per row; {os.cpu_count()} CPUs shared by client and server"
    )
    print(f"cache: {'Redis ' + REDIS_URL if redis_reachable() else 'local memory per worker (Redis unreachable)'}")
    print("targets: warm (page cache) >= 1000 req/s and p99 <= 50 ms; cold (no page cache) >= 100 req/s\n")
    header = ("database", "size", "cache", "page", "req/s", "p50 ms", "p99 ms", "queries")
    print("{:<10} {:>6} {:<5} {:<17} {:>9} {:>8} {:>8} {:>7}".format(*header))
    for database in DATABASES:
        with tempfile.TemporaryDirectory(prefix="lpsite-bench-http-") as tmp:
            try:
                run(database, Path(tmp))
            except subprocess.CalledProcessError as exc:
                print(f"{database}: skipped ({exc.cmd[1:3]} failed: {(exc.stderr or '').strip()[-300:]})")
            except OSError as exc:  # PostgreSQL not reachable
                print(f"{database}: skipped ({exc})")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--helper":
        name, args = sys.argv[2], sys.argv[3:]
        if name == "grow":
            helper_grow(int(args[0]))
        elif name == "urls":
            helper_urls()
        else:
            helper_queries(args)
    else:
        main()
