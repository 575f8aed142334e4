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

Invalidation says what changed, as *scopes*, each with a version number:
``content`` (pages, snippets, pictures, redirects, sites, view
restrictions), ``shell`` (site settings and navigation) and ``seats:<id>``
(one session's seat counts). Each model declares what it changes
(``page_cache_scopes``, :func:`scopes_for`); inbox rows change nothing
public. A page is kept with the versions of what it showed and served only
while they hold; a bump is O(1) and leaves old entries to expire.
Time-bound content (happening now, registration closed) is on time: a
page's lifetime ends at the next moment (:func:`moments`) that changes it.

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

import bisect
import contextvars
import functools
import hashlib
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control
from wagtail import hooks
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

# The content's version (pages, snippets, pictures): every page depends on it.
CONTENT = "content"
# The shell's: the site's settings and navigation, which every page shows around its content but no search
# fact, route or listing is built from. Every page and fragment depends on it too.
SHELL = "shell"
GENERATION_KEY = "lpsite:pagecache:generation"
VERSION_KEY = "lpsite:pagecache:version:{scope}"
CSRF_PLACEHOLDER = "lpsite-csrf-placeholder-9f3c2a7e"
_CSRF_BYTES = CSRF_PLACEHOLDER.encode()


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


FRAGMENT_CACHE = "template_fragments"
FRAGMENT_KEY_FUNCTION = "home.cache.fragment_key"


def fragment_key(key, key_prefix, version):
    """The ``template_fragments`` cache's KEY_FUNCTION: Django's own key with the content's and the shell's
    versions in it. Every ``{% wagtailcache %}`` fragment (cards, pictures, sections, a form's fields) is so
    kept per version: any change to what it may show makes them all new, and no template names a version."""
    current = versions([CONTENT, SHELL])
    return f"{key_prefix}:{version}:fragment:{current[CONTENT]}.{current[SHELL]}:{key}"


def lifetime():
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def cdn_lifetime():
    return getattr(settings, "PAGE_CACHE_CDN_SECONDS", 60)


def _version_key(scope):
    return GENERATION_KEY if scope == CONTENT else VERSION_KEY.format(scope=scope)


# What this request has read: each scope's version as first read (one cache read a request, not one per
# shared value: home/shell.py reads a dozen, and with Redis each was a round trip), and the scopes its
# response depends on. A bump forgets the version it changed.
_request = contextvars.ContextVar("lpsite_page_cache_request", default=None)


class _RequestState:
    __slots__ = ("depends", "versions")

    def __init__(self):
        self.versions = {}
        self.depends = {CONTENT, SHELL}


@contextmanager
def request_scope():
    """Read each version once for the request inside, and note what its response depends on
    (PageCacheMiddleware opens it)."""
    token = _request.set(_RequestState())
    try:
        yield
    finally:
        _request.reset(token)


def versions(scopes):
    """{scope: version} of ``scopes``, as this request first read them (one round trip for those not yet
    read). A scope never seen before (or lost with the cache) is given a fresh random number."""
    state = _request.get()
    known = state.versions if state is not None else {}
    wanted = [scope for scope in scopes if scope not in known]
    if wanted:
        found = _read_versions(wanted)
        if state is None:
            return {scope: known.get(scope, found.get(scope)) for scope in scopes}
        known.update(found)
    return {scope: known[scope] for scope in scopes}


def version(scope=CONTENT):
    return versions([scope])[scope]


def generation():
    """The content's version: the shell's values and fragments are kept under it (home/shell.py)."""
    return version(CONTENT)


def _read_versions(scopes):
    cache = _cache()
    keys = {_version_key(scope): scope for scope in scopes}
    found = cache.get_many(list(keys))
    if getattr(cache, "degraded", False):
        # The shared cache is out of reach (ops/cache_backend.py): keep nothing, since no other process
        # could invalidate it. Numbers never seen before make every page, value and fragment a miss.
        return {scope: secrets.randbits(48) for scope in scopes}
    result = {}
    for key, scope in keys.items():
        value = found.get(key)
        if value is None:
            # Any fresh value works, as long as it does not repeat an old one after the cache was emptied:
            # the processes' own copies (home/shell.py, below) are kept under the old numbers. A random
            # start makes that as good as impossible (a clock could meet an old number counted up).
            cache.add(key, secrets.randbits(48), timeout=None)
            value = cache.get(key)
        result[scope] = value
    return result


def depends_on(*scopes):
    """The response of the current request shows what ``scopes`` name (``"seats:12"``: the seats of
    session 12): a cached copy is used only while none of them has changed. Returns their versions."""
    state = _request.get()
    if state is not None:
        state.depends.update(scopes)
    return versions(scopes)


def bump(*scopes):
    """Say that what ``scopes`` name has changed, now and again when the current transaction commits
    (a reader between the two may have kept the old rows under the new number)."""
    scopes = scopes or (CONTENT,)
    _bump(*scopes)
    transaction.on_commit(lambda: _bump(*scopes))


def invalidate(**_kwargs):
    """The content changed: every cached page, shell value and fragment is stale. Done even with the page
    cache off: the shell's values still use it. (A signal receiver: it takes the signal's arguments.)"""
    bump(CONTENT)


def _bump(*scopes):
    scopes = scopes or (CONTENT,)
    state = _request.get()
    if state is not None:
        for scope in scopes:
            state.versions.pop(scope, None)
    cache = _cache()
    if getattr(cache, "degraded", False):
        return  # nothing is kept while the cache is out of reach; its return starts afresh
    for scope in scopes:
        key = _version_key(scope)
        try:
            cache.incr(key)
        except ValueError:
            version(scope)
            cache.incr(key)


def cache_until(request, when):
    """Cap the cached lifetime of this request's page at ``when`` (an aware datetime): a moment passing."""
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
    """The page's key: its address only. What it depends on is kept with it (:class:`PageCacheMiddleware`)."""
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "lpsite:page:" + hashlib.sha256(url.encode()).hexdigest()


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


def _finish(request, response, uses_csrf, expires=None, stale=False):
    """Put the visitor's CSRF token in; set Cache-Control for browsers and CDNs (never longer than the
    page's own lifetime, and not at all for a stale copy)."""
    if uses_csrf:
        response.content = response.content.replace(_CSRF_BYTES, get_token(request).encode())
        patch_cache_control(response, private=True, no_cache=True)
    elif stale:
        patch_cache_control(response, no_cache=True)
    elif not response.has_header("Cache-Control"):
        seconds = cdn_lifetime()
        if expires is not None:
            seconds = max(min(seconds, int(expires - time.time())), 0)
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
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


# The pages this process recently stored or served: a hit then costs one cache read (the versions it
# depends on), not a page transfer. Each is kept no longer than its own lifetime.
_local_pages = LocalCopies(max_bytes=32 * 1024 * 1024)
# How long one process may take to render a page the others wait for (serving the stale copy meanwhile).
RENDER_LOCK_SECONDS = 10


class Entry(NamedTuple):
    response: object
    uses_csrf: bool
    expires: float  # wall clock: the page's lifetime, or the next moment that changes what it shows
    depends: dict  # {scope: version} as the page was rendered


def _current(entry):
    return entry is not None and time.time() < entry.expires


def _fresh(entry):
    return _current(entry) and versions(list(entry.depends)) == entry.depends


class PageCacheMiddleware:
    """Serve anonymous GET/HEAD responses from the cache; store the cacheable ones.

    A page is kept under its address with the versions of what it showed (the content, the seats of
    the sessions on it): it is served while they are unchanged and its lifetime lasts, which ends at
    the next moment a session starts, ends or closes its registration (:func:`next_moment`). After a
    change one process renders it again while the others serve the copy they have (marked stale, for
    no longer than ``RENDER_LOCK_SECONDS``), so a publish does not make every worker render every page
    at once."""

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
        if not _fresh(cached):
            shared = _cache().get(key)
            if _current(shared) and shared != cached:
                cached = shared
                _local_pages.set(key, cached, expires=cached.expires)
        if _fresh(cached):
            return self._serve(request, cached, "hit")
        lock = key + ":rendering"
        if _current(cached) and not _cache().add(lock, 1, RENDER_LOCK_SECONDS):
            return self._serve(request, cached, "stale")  # another process is rendering it
        try:
            return self._render(request, key)
        finally:
            _cache().delete(lock)

    def _serve(self, request, entry, how):
        response = entry.response
        response["X-Page-Cache"] = how
        return _finish(request, response, entry.uses_csrf, entry.expires, stale=how == "stale")

    def _render(self, request, key):
        response = self.get_response(request)
        uses_csrf = getattr(request, "_page_cache_csrf", False)
        if not _storable(request, response):
            _cache().delete(key)  # what was kept is no longer what the page is
            # Still replace the placeholder (an error page may carry a form); never mark it public.
            return _finish(request, response, True) if uses_csrf else response
        seconds = getattr(request, "_page_cache_seconds", None)
        seconds = lifetime() if seconds is None else min(seconds, lifetime())
        upcoming = next_moment()
        if upcoming is not None:
            seconds = min(seconds, max(int((upcoming - timezone.now()).total_seconds()), 0))
        if seconds <= 0:
            return _finish(request, response, uses_csrf, time.time())
        response["X-Page-Cache"] = "miss"
        state = _request.get()
        entry = Entry(response, uses_csrf, time.time() + seconds, versions(sorted(state.depends)))
        _cache().set(key, entry, seconds)
        _local_pages.set(key, entry, expires=entry.expires)
        return _finish(request, response, uses_csrf, entry.expires)


# Time: the moments at which what a public page shows changes by itself (a session starting, ending,
# closing its registration). Apps that show time-bound content answer the ``lpsite_moments`` hook with
# rows of moments (None for none): events/wagtail_hooks.py.
_moments = {}


def moments():
    """Every such moment, sorted, kept by this process per content version (any publish may add one)."""
    current = generation()
    kept = _moments.get("value")
    if kept is not None and kept[0] == current:
        return kept[1]
    rows = [row for moments_of in hooks.get_hooks("lpsite_moments") for row in moments_of()]
    found = sorted({moment for row in rows for moment in row if moment is not None})
    _moments["value"] = (current, found)
    return found


def next_moment(now=None):
    """The first of :func:`moments` after ``now``, or None."""
    now = now or timezone.now()
    found = moments()
    index = bisect.bisect_right(found, now)
    return found[index] if index < len(found) else None


# Invalidation: each model says what of the public pages it changes.
#
# A model of this project's own apps changes the content unless it says otherwise with a class attribute
# ``page_cache_scopes``: a tuple of scopes (``()`` for rows no public page shows: the inboxes' submissions,
# their notes, logs), or a function of the row (a registration changes the seats of its session). So a new
# app's models are content until they declare otherwise: nothing is listed by hand here. Other packages'
# models change nothing, except those of the framework apps public pages are built from:
FRAMEWORK_CONTENT_APPS = {
    "wagtailcore",
    "wagtailredirects",
    "wagtailimages",
    "wagtaildocs",
    "wagtailembeds",
    "taggit",
}
# ... and of those, the rows that are logs, queues or caches, not content.
FRAMEWORK_NOT_CONTENT = {
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
    # Made while a page renders (a picture's size, an embed's markup): a cache, not content.
    "wagtailimages.rendition",
    "wagtailembeds.embed",
}


@functools.cache
def _own_app(app_label):
    try:
        path = Path(apps.get_app_config(app_label).path).resolve()
    except LookupError:
        return False  # not an installed app (Django's own migration records)
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) and "site-packages" not in path.parts


def scopes_for(model, instance=None):
    """What a save or delete of ``instance`` (a ``model``) changes on the public pages: a tuple of scopes."""
    declared = getattr(model, "page_cache_scopes", None)
    if declared is not None:
        if callable(declared):
            return tuple(declared(instance)) if instance is not None else (CONTENT,)
        return tuple(declared)
    meta = model._meta
    if _own_app(meta.app_label):
        return (CONTENT,)
    if meta.app_label in FRAMEWORK_CONTENT_APPS and meta.label_lower not in FRAMEWORK_NOT_CONTENT:
        return (CONTENT,)
    return ()


def _row_changed(sender, instance=None, raw=False, **kwargs):
    if raw:
        return  # loaddata: the whole database is being written; nothing is served meanwhile
    scopes = scopes_for(sender, instance)
    if scopes:
        bump(*scopes)


def _m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _row_changed(type(instance), instance)


def connect_signals():
    """Called from HomeConfig.ready(): every change a public page shows makes the pages showing it stale."""
    post_save.connect(_row_changed, dispatch_uid="lpsite_page_cache_save")
    post_delete.connect(_row_changed, dispatch_uid="lpsite_page_cache_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="lpsite_page_cache_m2m")
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(invalidate, dispatch_uid=f"lpsite_page_cache_{id(signal)}")


def recovered():
    """The shared cache is back after an outage (ops/cache_backend.py calls it: ops/apps.py). Changes made
    meanwhile bumped nothing: moving the content starts everything afresh (every page and every kept value
    depends on it, whatever else it depends on)."""
    _bump(CONTENT)


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Production runs several processes (gunicorn, the task worker): invalidation only reaches them all
    through a cache they share. A process-local cache would keep serving what another process changed."""
    backend = caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]
    if isinstance(backend, LocMemCache):
        return [
            checks.Error(
                "The cache is local to each process (LocMemCache), so a change handled by one process is "
                "never seen by the others: pages, menus and settings stay stale in every other worker.",
                hint="Set REDIS_URL (or configure CACHES with any cache the processes share).",
                id="lpsite.E010",
            )
        ]
    return []


@checks.register(checks.Tags.caches)
def check_fragment_cache(app_configs, **kwargs):
    """Django's cache tag falls back to the default cache without the alias, whose keys carry no version:
    fragments would outlive the content they show."""
    config = settings.CACHES.get(FRAGMENT_CACHE, {})
    if config.get("KEY_FUNCTION") != FRAGMENT_KEY_FUNCTION:
        return [
            checks.Error(
                f"CACHES has no {FRAGMENT_CACHE!r} alias keyed by the content's version, so cards and pictures "
                "kept with {% wagtailcache %} would show old content after a change.",
                hint="Wrap CACHES in with_fragment_cache() (lpsite/settings/base.py).",
                id="lpsite.E011",
            )
        ]
    return []
