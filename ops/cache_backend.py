"""Redis as the cache, with an outage that degrades the site instead of failing it.

    CACHES = {"default": {"BACKEND": "ops.cache_backend.ResilientRedisCache", "LOCATION": REDIS_URL}}

django-redis raises on every call while Redis is unreachable, and every page, form and sign-in
reads the cache (the page cache, the shell's values, rate limits): one Redis made the whole site a
500. This backend is django-redis's with each call caught: while Redis cannot be reached
(connection refused, reset or timed out) the call goes to this process's own memory instead
(``LocMemCache``), and Redis is tried again every ``RETRY_SECONDS`` (one request pays the attempt,
not every request). So rate limits and the error-mail throttle count per process, and
:attr:`degraded` tells the page cache and the shell (home/cache.py) to keep nothing: pages render
uncached, and no process serves what another process could not invalidate. The log says so when
Redis goes and at most once a minute after, and when it is back; on its return the registered
``on_recovery`` callbacks run (the page cache starts a new generation: content published during
the outage was invalidated nowhere).

Anything else Redis answers (a wrong type, a script error) is an error, as before.
"""

import contextlib
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
RETRY_SECONDS = 5
LOG_EVERY_SECONDS = 60
# Called (no arguments) when Redis answers again after an outage this process saw.
on_recovery = []


class _Outage:
    """Whether one Redis server is out of reach, as every alias and thread of this process sees it (the
    page cache and the fragments are two aliases of one server: one outage, logged once)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0
        self.logged_at = 0.0


_outages = {}
_outages_lock = threading.Lock()


def _outage_of(server):
    with _outages_lock:
        return _outages.setdefault(str(server), _Outage())


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        # Without these, a Redis that stops answering (rather than refusing) would hold each request forever.
        options.setdefault("SOCKET_CONNECT_TIMEOUT", 1)
        options.setdefault("SOCKET_TIMEOUT", 1)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._fallback = LocMemCache(f"lpsite-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._outage = _outage_of(server)

    @property
    def degraded(self):
        """True while Redis is out of reach: what is cached now is this process's alone."""
        return self._outage.down_since is not None

    def _went_down(self, error):
        outage = self._outage
        now = time.monotonic()
        with outage.lock:
            first = outage.down_since is None
            if first:
                outage.down_since = now
            outage.retry_at = now + RETRY_SECONDS
            due = first or now - outage.logged_at >= LOG_EVERY_SECONDS
            if due:
                outage.logged_at = now
            since = outage.down_since
        if due:
            logger.error(
                "Cache (Redis) unreachable%s: pages are served uncached and rate limits count per process. %s: %s",
                "" if first else f" for {int(now - since)} s",
                type(error).__name__,
                error,
            )

    def _came_back(self):
        outage = self._outage
        with outage.lock:
            if outage.down_since is None:
                return
            lasted = time.monotonic() - outage.down_since
            outage.down_since = None
        logger.warning("Cache (Redis) reachable again after %d s: caching resumes.", lasted)
        for callback in list(on_recovery):
            try:
                callback()
            except Exception:  # noqa: BLE001 - one callback failing must not stop the others
                logger.exception("Cache recovery callback %r failed", callback)

    def _call(self, name, *args, **kwargs):
        if self._outage.down_since is not None and time.monotonic() >= self._outage.retry_at:
            # Back? Asked first, so the recovery callbacks (a new page-cache generation) run before this
            # call reads anything Redis kept from before the outage.
            try:
                self.client.get_client(write=True).ping()
            except OUTAGE as error:
                self._went_down(error)
            else:
                self._came_back()
        if self._outage.down_since is None:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except OUTAGE as error:
                self._went_down(error)
        return getattr(self._fallback, name)(*args, **kwargs)

    def get(self, key, default=None, version=None, client=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        kwargs.pop("client", None)
        if kwargs.pop("nx", False):
            return self.add(key, value, timeout=timeout, version=version)
        kwargs.pop("xx", None)
        return self._call("set", key, value, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._call("add", key, value, timeout, version=version)

    def delete(self, key, version=None, **kwargs):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None, **kwargs):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._call("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None, **kwargs):
        return self._call("delete_many", keys, version=version)

    def incr(self, key, delta=1, version=None, **kwargs):
        return self._call("incr", key, delta, version=version)

    def decr(self, key, delta=1, version=None, **kwargs):
        return self._call("decr", key, delta, version=version)

    def has_key(self, key, version=None, **kwargs):
        return self._call("has_key", key, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._call("touch", key, timeout, version=version)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")

    def close(self, **kwargs):
        with contextlib.suppress(OUTAGE):
            super().close(**kwargs)
