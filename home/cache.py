"""The page cache: every anonymous page served from Django's cache, invalidated by signals.

One mechanism for all public pages (Wagtail pages, the site search, the
sitemap, robots.txt): :class:`PageCacheMiddleware` stores the whole
response of an anonymous GET/HEAD and serves it again without touching the
database or the templates.

What is never cached: anything but GET/HEAD; a visitor with a session
cookie (staff, and anyone the site has given a session); ``/admin/``,
``/django-admin/``, documents and the private registration links
(``PAGE_CACHE_SKIP_PREFIXES``); a response that is not a 200 HTML page,
sets a cookie, or says ``private``/``no-store``/``no-cache``. Previews are
served under ``/admin/``, so they are never cached either.

Invalidation: the whole cache has one *generation* number, part of every
key. Anything a public page can show bumps it (see
:func:`connect_signals`): publish, unpublish, move, delete of a page, any
save or delete of a snippet, a setting, the navigation or a registration
(seats left), redirects, sites, view restrictions. Bumping is O(1) and
leaves old entries to expire. Time-bound content (upcoming vs past
trainings, "registration closes") is bounded by the lifetime
``PAGE_CACHE_SECONDS``; a view can shorten its own page's lifetime with
:func:`cache_until`.

Forms on cached pages: templates keep ``{% csrf_token %}``. On public
pages the context processor :func:`csrf_placeholder` renders a fixed
placeholder instead of a token, the cached HTML keeps the placeholder, and
the middleware puts a real per-visitor token in (``get_token``) and marks
the response ``private`` on its way out, hit or miss. Django's
``CsrfViewMiddleware`` then sets the cookie as usual. CSRF protection is
Django's own, forms work with JavaScript off, and the rendering work is
cached; only pages without a form can be shared by a CDN
(``Cache-Control: public, s-maxage``). See docs/architecture.md "Page cache".
"""

import contextvars
import hashlib
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control

from . import cache_backend

GENERATION_KEY = "lpsite:pagecache:generation"
CSRF_PLACEHOLDER = "lpsite-csrf-placeholder-9f3c2a7e"
_CSRF_BYTES = CSRF_PLACEHOLDER.encode()


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def lifetime():
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def cdn_lifetime():
    return getattr(settings, "PAGE_CACHE_CDN_SECONDS", 60)


# The generation as this request first read it: one cache read a request, not one per shared value
# (home/shell.py reads a dozen; with Redis each was a round trip). A bump forgets it.
_request_generation = contextvars.ContextVar("lpsite_request_generation", default=None)


@contextmanager
def request_scope():
    """Read the generation once for the request inside (PageCacheMiddleware opens it)."""
    token = _request_generation.set({})
    try:
        yield
    finally:
        _request_generation.reset(token)


def generation():
    memo = _request_generation.get()
    if memo is not None and "value" in memo:
        return memo["value"]
    value = _read_generation()
    if memo is not None:
        memo["value"] = value
    return value


def _read_generation():
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if getattr(cache, "degraded", False):
        # The shared cache is out of reach (home/cache_backend.py): keep nothing, since no other process
        # could invalidate it. A number never seen before makes every page, value and fragment a miss.
        return secrets.randbits(48)
    if value is None:
        # Any fresh value works, as long as it does not repeat an old one after the cache was emptied:
        # the processes' own copies (home/shell.py, below) are kept under the old numbers. A random
        # start makes that as good as impossible (a clock could meet an old number counted up).
        value = secrets.randbits(48)
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def invalidate(**_kwargs):
    """Make every cached page (and the page shell's data, home/shell.py) stale, now and again when
    the current transaction commits. Done even with the page cache off: the shell data still uses it."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    memo = _request_generation.get()
    if memo is not None:
        memo.pop("value", None)
    cache = _cache()
    if getattr(cache, "degraded", False):
        return  # nothing is kept while the cache is out of reach; its return starts a new generation
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        generation()
        cache.incr(GENERATION_KEY)


def cache_until(request, when):
    """Cap the cached lifetime of this request's page at ``when`` (an aware datetime): a moment passing."""
    from django.utils import timezone

    seconds = int((when - timezone.now()).total_seconds())
    current = getattr(request, "_page_cache_seconds", None)
    seconds = max(seconds, 0)
    request._page_cache_seconds = seconds if current is None else min(current, seconds)


def skip_cache(request):
    """Never cache this request's response (a view that shows something per visitor)."""
    request._page_cache_skip = True


class _CsrfPlaceholder:
    """Renders as the placeholder and notes that the page used a token; inert until rendered.

    Not a lazy object: code that inspects context values (isinstance checks)
    must not count as using the token.
    """

    __slots__ = ("request",)

    def __init__(self, request):
        self.request = request

    def __str__(self):
        self.request._page_cache_csrf = True
        return CSRF_PLACEHOLDER

    def __bool__(self):
        return True

    def __eq__(self, other):
        return str(self) == other

    __hash__ = object.__hash__


def csrf_placeholder(request):
    """Context processor: ``{% csrf_token %}`` renders a placeholder the middleware replaces per visitor."""
    if not _cacheable_request(request):
        return {}
    return {"csrf_token": _CsrfPlaceholder(request)}


def _cacheable_request(request):
    if not getattr(settings, "PAGE_CACHE_SECONDS", 300):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if any(name in request.COOKIES for name in _bypass_cookies()):
        return False
    skip = getattr(settings, "PAGE_CACHE_SKIP_PREFIXES", ())
    return not request.path.startswith(tuple(skip))


def _bypass_cookies():
    # A session (staff, or a visitor the site remembers) or a pending message: render for them.
    return (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))


def _key(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"lpsite:page:{generation()}:{digest}"


def _storable(request, response):
    if getattr(request, "_page_cache_skip", False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _finish(request, response, uses_csrf):
    """Put the visitor's CSRF token in; set Cache-Control for browsers and CDNs."""
    if uses_csrf:
        response.content = response.content.replace(_CSRF_BYTES, get_token(request).encode())
        patch_cache_control(response, private=True, no_cache=True)
    elif not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=0, s_maxage=cdn_lifetime())
    return response


class LocalCopies:
    """Pickled copies of cached values, kept by this process in front of Django's cache.

    With Redis every read is a round trip and a transfer. A copy is safe wherever the key names its
    generation: a generation's values never change (a change starts a new generation, under new
    keys), so a copy goes stale only when its own lifetime ends (``expires``, wall clock, optional).
    Kept pickled, so each reader gets its own objects, as from Django's cache. Bounded by number of
    entries or bytes (one entry at most an eighth of them); the least recently used go first.
    Used for the page shell (home/shell.py) and for whole pages (below).
    """

    def __init__(self, max_entries=None, max_bytes=None):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items = OrderedDict()  # key -> (expires or None, pickled value)
        self.size = 0
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._items)

    def get(self, key, default=None):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return default
            if item[0] is not None and time.time() >= item[0]:
                self._drop(key)
                return default
            self._items.move_to_end(key)
        return pickle.loads(item[1])  # noqa: S301 - our own values

    def set(self, key, value, expires=None):
        blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if self.max_bytes is not None and len(blob) > self.max_bytes // 8:
            return
        with self._lock:
            self._drop(key)
            self._items[key] = (expires, blob)
            self.size += len(blob)
            while self._items and (
                (self.max_entries is not None and len(self._items) > self.max_entries)
                or (self.max_bytes is not None and self.size > self.max_bytes)
            ):
                self._drop(next(iter(self._items)))

    def _drop(self, key):
        item = self._items.pop(key, None)
        if item is not None:
            self.size -= len(item[1])

    def clear(self):
        with self._lock:
            self._items.clear()
            self.size = 0


# The pages this process recently stored or served: a hit then costs one cache read (the
# generation), not a page transfer. Each is kept no longer than its own lifetime.
_local_pages = LocalCopies(max_bytes=32 * 1024 * 1024)


class PageCacheMiddleware:
    """Serve anonymous GET/HEAD responses from the cache; store the cacheable ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self._respond(request)

    def _respond(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        cached = _local_pages.get(key)
        if cached is None:
            cached = _cache().get(key)
            if cached is not None:
                _local_pages.set(key, cached, expires=cached[2])
        if cached is not None:
            response, uses_csrf, _expires = cached
            response["X-Page-Cache"] = "hit"
            return _finish(request, response, uses_csrf)
        response = self.get_response(request)
        uses_csrf = getattr(request, "_page_cache_csrf", False)
        if not _storable(request, response):
            # Still replace the placeholder (an error page may carry a form); never mark it public.
            return _finish(request, response, True) if uses_csrf else response
        seconds = getattr(request, "_page_cache_seconds", None)
        seconds = lifetime() if seconds is None else min(seconds, lifetime())
        if seconds > 0:
            response["X-Page-Cache"] = "miss"
            entry = (response, uses_csrf, time.time() + seconds)
            _cache().set(key, entry, seconds)
            _local_pages.set(key, entry, expires=entry[2])
        return _finish(request, response, uses_csrf)


# Invalidation

# Models whose saves never change a public page (logs, queues, the search index).
IGNORED_MODELS = {
    "home.outboundemail",
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.uploadedfile",
    "wagtailsearch.indexentry",
    # Made while a page renders (a picture's size, an embed's markup): a cache, not content.
    "wagtailimages.rendition",
    "wagtailembeds.embed",
}
# Apps whose models public pages show: every save or delete bumps the generation.
CONTENT_APPS = {
    "home",
    "library",
    "taxonomy",
    "news",
    "events",
    "helpdesk",
    "wagtailcore",
    "wagtailredirects",
    "wagtailimages",
    "wagtaildocs",
    "wagtailembeds",
    "taggit",
}


def _content_changed(sender, **kwargs):
    label = sender._meta.label_lower
    if sender._meta.app_label in CONTENT_APPS and label not in IGNORED_MODELS and not kwargs.get("raw"):
        invalidate()


def connect_signals():
    """Called from HomeConfig.ready(): every content change makes cached pages stale."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    post_save.connect(_content_changed, dispatch_uid="lpsite_page_cache_save")
    post_delete.connect(_content_changed, dispatch_uid="lpsite_page_cache_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="lpsite_page_cache_m2m")
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(invalidate, dispatch_uid=f"lpsite_page_cache_{id(signal)}")


def _m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _content_changed(type(instance))


# Content published while the shared cache was out of reach invalidated nothing: start afresh on its return.
cache_backend.on_recovery.append(_bump)
