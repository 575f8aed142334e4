"""gunicorn settings: `gunicorn -c gunicorn.conf.py lpsite.wsgi` (production settings).

Defaults fit a small machine; every value can be changed by environment
variable. Sync-style threads: each worker is a process (one per core, so a
slow page never stalls the others), with a few threads each so that waiting
on PostgreSQL or Redis does not leave the core idle. See docs/scaling.md.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is killed; public search stops itself sooner (SEARCH_TIMEOUT_MS).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
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


def post_fork(server, worker):
    # Database connections must not be shared between forked workers.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
