"""gunicorn settings: `gunicorn -c gunicorn.conf.py lpsite.wsgi` (production settings).

Defaults fit a small machine; every value can be changed by environment
variable. Sync workers, twice as many as cores: each worker is a process
that serves one request at a time, so a slow page never stalls the others,
and with two per core one waiting on PostgreSQL or Redis does not leave its
core idle. A sync worker answers each request on its own connection, so the
kernel hands every request to a worker that is free. Threaded workers
(``GUNICORN_THREADS`` above 1 selects them) keep a client's connections
alive on the worker that accepted them: under `make bench-http` all eight of
`wrk`'s connections sometimes landed on one of the two workers, which then
served at half the machine's speed (720 against 2,000 cached pages a second;
seen in gunicorn's access log). Sync workers need a buffering proxy or CDN in
front to absorb slow clients, as gunicorn advises. See docs/scaling.md.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is killed; public search stops itself sooner (SEARCH_TIMEOUT_MS).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5  # threaded workers only: a sync worker closes each connection after its response
# Recycle workers now and then so a slow leak never grows without bound. Not too often: the page
# cache serves over 1,000 requests a second, and a fresh worker starts with empty local copies of
# the page shell and pages (home/shell.py, home/cache.py); at 2,000 a worker restarted every few
# seconds under load, and each restart was a half-second stall in the benchmark's p99.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
# Load the application once in the master, then fork: less memory, faster worker restarts.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
raw_env = [f"DJANGO_SETTINGS_MODULE={os.environ.get('DJANGO_SETTINGS_MODULE', 'lpsite.settings.production')}"]


def when_ready(server):
    """In the master, with the application preloaded: import the cache backends, which Django imports on
    first use. Imported after the fork instead, each worker's first request took 85 ms (against 1)."""
    if not server.cfg.preload_app:
        return
    from django.conf import settings
    from django.utils.module_loading import import_string

    for cache in settings.CACHES.values():
        import_string(cache["BACKEND"])
        if cache.get("OPTIONS", {}).get("CLIENT_CLASS"):
            import_string(cache["OPTIONS"]["CLIENT_CLASS"])


def post_fork(server, worker):
    # Database connections must not be shared between forked workers.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
