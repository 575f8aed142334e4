"""``/healthz`` for load balancers and uptime checks: database, cache and task queue age.

Answered by :class:`HealthCheckMiddleware`, the first middleware, so a check
is cheap (one query, one cache round trip, one indexed query on the task
queue) and is not redirected to HTTPS, host-checked, given a session, cached
or logged. 200 with ``{"status": "ok"}`` when all is well, 503 otherwise with
the failing check named (never an exception's text).

A failing check is not a server error: the 503 is kept out of
``django.request``'s log (and so out of the error mail to ``ADMINS``, whose
throttle needs the cache that may be what failed) and logged instead as one
WARNING line on ``lpsite.health`` per failing check per ``LOG_INTERVAL``
seconds in each process, however often the load balancer asks.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

logger = logging.getLogger("lpsite.health")

PATH = "/healthz"
LOG_INTERVAL = 300  # seconds between two log lines about the same failing check, per process

_last_logged = {}


class NotHealthChecks(logging.Filter):
    """On ``django.request`` (lpsite/settings/base.py LOGGING): drops its "Service Unavailable: /healthz"
    line, which would be an error mailed to ADMINS; the failing check is logged here instead."""

    def filter(self, record):
        return getattr(getattr(record, "request", None), "path", None) != PATH


def _log_failure(name, exc):
    now = time.monotonic()
    last = _last_logged.get(name)
    if last is not None and now - last < LOG_INTERVAL:
        return
    _last_logged[name] = now
    logger.warning("Health check %s failing: %s", name, exc)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache():
    """ "ok"; "degraded" while Redis is out of reach (ops/cache_backend.py): the node still serves, uncached,
    so the load balancer must keep it (the status stays 200; an uptime check can alert on the word)."""
    key = "lpsite:healthz"
    value = str(time.time())
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")
    return "degraded (Redis unreachable: serving uncached)" if getattr(cache, "degraded", False) else "ok"


def oldest_ready_task_age(now=None):
    """Seconds the oldest task ready to run has waited, or None without a database queue or a waiting task."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend != "django_tasks_db.DatabaseBackend":
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").only("enqueued_at", "run_after").first()
    if oldest is None:
        return None
    since = oldest.enqueued_at
    if oldest.run_after != get_date_max() and oldest.run_after > since:
        since = oldest.run_after
    return max((now - since).total_seconds(), 0)


def check_tasks():
    age = oldest_ready_task_age()
    if age is not None and age > settings.HEALTHZ_MAX_TASK_AGE:
        raise RuntimeError(f"oldest waiting task is {int(age)}s old (is db_worker running?)")
    return "ok" if age is None else f"ok ({int(age)}s)"


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


def health_response():
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure makes the check fail, never a 500
            healthy = False
            results[name] = "failing"
            _log_failure(name, exc)
    response = JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503
    )
    # Not a server error: django.request's log drops the 503 (NotHealthChecks), so no mail to ADMINS.
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` (GET or HEAD) before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == PATH and request.method in ("GET", "HEAD"):
            response = health_response()
            if request.method == "HEAD":
                response.content = b""
            return response
        return self.get_response(request)
