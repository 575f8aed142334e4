"""The page shell's data, read once per content version instead of on every page.

Every public page shows the same site settings, menu and footer. Read from the database that is
several queries on each page, whatever it shows. Here each is read once and kept in Django's cache
under the content's version (home/cache.py), which any content change bumps: a published page, a
saved setting, a new view restriction. So an uncached page pays only for its own content, and an
editor's change shows at once.

- :func:`shared` keeps any such value, :func:`held` a large one as this process's own object;
- ``SiteSettings.for_site`` reads through :func:`shared` (home/models.py);
- the menu and footer tags keep their resolved links here (home/templatetags/site_tags.py);
- :func:`fast_route` keeps the page a path leads to (the one piece of Wagtail's own work done here:
  its figures are on the function).

The site, view restrictions and ``.public()`` are Wagtail's own: kept here they saved under 1.5x of
an uncached page's time (bench/pages.py, docs/architecture.md "Home-made pieces").
"""

import bisect
import hashlib
import threading

from django.contrib.contenttypes.models import ContentType
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from . import cache as page_cache

# An upper bound only: a new generation makes the old values unreachable long before.
SHELL_SECONDS = 24 * 3600
_MISSING = object()
# What a builder returns to keep nothing this time (a miss, a search that timed out): the caller gets None.
NOT_KEPT = _MISSING


# This process's copies of what it read, in front of Django's cache (home/cache.py LocalCopies):
# with Redis every shared value was a round trip, a dozen a page.
_local = page_cache.LocalCopies(max_entries=2048)


def _read(key, build, local=_local, seconds=SHELL_SECONDS):
    value = local.get(key, _MISSING)
    if value is not _MISSING:
        return value
    store = page_cache._cache()
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        if value is _MISSING:
            return None  # nothing to keep
        store.set(key, value, seconds)
    local.set(key, value)
    return value


def shared(name, build, *parts):
    """``build()``, kept until the content or the shell (settings, navigation) changes. ``parts`` tell
    values apart (a site's id)."""
    current = page_cache.versions([page_cache.CONTENT, page_cache.SHELL])
    both = f"{current[page_cache.CONTENT]}.{current[page_cache.SHELL]}"
    key = ":".join(["lpsite:shell", both, name, *map(str, parts)])
    return _read(key, build)


# Values too big to copy on each read (a search's facts about 10,000 pages): this process's own objects,
# never pickled, never in Django's cache. Read-only for their users. Only the current generation's are kept,
# at most HELD_MAX of each name: one page's form class per page visited never pushes a search's facts out.
_held = {}
_held_scopes = {}  # name -> the scope its values are kept under
_held_lock = threading.Lock()
HELD_MAX = 64


def held(name, build, *parts, scope=page_cache.CONTENT):
    """``build()``, kept by this process as is until the content changes, or what ``scope`` names (seat
    counts: a registration changes them, not the content). The value is shared by every request of the
    process, so it must never be changed: build it from tuples, frozensets and dicts no one writes to."""
    current = tuple(page_cache.versions(sorted({page_cache.CONTENT, scope})).values())
    item = _held.get(name, {}).get(parts)
    if item is not None and item[0] == current:
        return item[1]
    value = build()
    with _held_lock:
        _held_scopes[name] = scope
        # Only the current version's are kept (of every name kept under the same scope): the others can
        # never be read again.
        for other_name, other_kept in _held.items():
            if _held_scopes.get(other_name) == scope:
                for other in [other for other, (when, _value) in other_kept.items() if when != current]:
                    del other_kept[other]
        kept = _held.setdefault(name, {})
        if len(kept) >= HELD_MAX:
            kept.clear()
        kept[parts] = (current, value)
    return value


class DeferredPage:
    """A page known by its id until anything else about it is read: then the page itself, which the first
    one to need it loads with every other of its batch in one go (:func:`deferred_pages`). For lists of
    cards kept as fragments named by the page's id: a warm list reads no page at all. Not a page itself:
    a card's template asks for ``.specific`` (the page) inside its fragment, where Wagtail's tags need one."""

    __slots__ = ("_batch", "pk")

    def __init__(self, pk, batch):
        self.pk, self._batch = pk, batch

    def __getattr__(self, name):
        return getattr(self._batch.page(self.pk), name)

    def __getitem__(self, key):
        # The template engine tries ``page["pk"]`` before ``page.pk``: a page is no mapping.
        raise TypeError("a page is not subscriptable")


class _Batch:
    def __init__(self, ids, load):
        self.ids, self.load, self.pages = ids, load, None

    def page(self, pk):
        if self.pages is None:
            self.pages = {page.pk: page for page in self.load(self.ids)}
        return self.pages[pk]


def deferred_pages(ids, load, kind=DeferredPage):
    """:class:`DeferredPage` (or ``kind``, a subclass) for each id; ``load(ids)`` gives the specific pages
    when first needed."""
    batch = _Batch(list(ids), load)
    return [kind(pk, batch) for pk in batch.ids]


def epoch(now):
    """How many of the moments at which time-bound content changes (home/cache.py ``moments``: each live
    session starting, ending, closing its registration) have passed at ``now``. Time-bound content
    (upcoming or past, happening now, registration open) is the same for the same epoch, so a fragment
    that shows it names the epoch."""
    return bisect.bisect_right(page_cache.moments(), now)


ROUTE_KEY = "lpsite:shell:{generation}:route:{root}:{digest}"


def fast_route(root, request, components):
    """Route ``components`` below ``root`` (the site's home page) the way Wagtail does, with one query.

    Wagtail walks the tree a level at a time, two queries a level (the child, then its specific
    page): eight for a session in a series. Here the page whose ``url_path`` is the whole path is
    looked up once per content generation and then loaded with one query. A routable page's own
    route without arguments (``past/``, ``calendar/``, ``feed/``) is kept the same way: the page,
    and the rest of the path for it to route; its own routes come before its children, as in
    Wagtail. Whenever Wagtail's walk could end elsewhere, this answers None and the walk runs: a
    gap in the path (a 404), or a route that takes arguments.

    Kept by the 1.5x rule (docs/architecture.md "Home-made pieces"): without it, bench/pages.py's
    uncached pages took, warm, 3.3 -> 8.5 ms (event), 3.9 -> 8.0 (series), 2.8 -> 5.7 (pillar),
    3.4 -> 6.2 (convening), 3.7 -> 5.9 (library): 1.6-2.6x.
    """

    if not components:
        return None
    url_path = root.url_path + "/".join(components) + "/"
    digest = hashlib.sha256(url_path.encode()).hexdigest()
    key = ROUTE_KEY.format(generation=page_cache.generation(), root=root.pk, digest=digest)
    # A miss is not kept: any path can be asked for, and a miss costs what Wagtail's walk does.
    target = _read(key, lambda: _route_target(root, components) or _MISSING)
    if target is None:
        return None
    page_id, content_type_id, consumed = target

    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    # The page itself, kept with its route: each request gets its own copy from the cache.
    page = shared("route-page", lambda: model.objects.filter(pk=page_id).first(), page_id)
    if page is None:
        return None
    return page.route(request, list(components[consumed:]))


def _route_target(root, components):

    prefixes = [root.url_path + "/".join(components[: n + 1]) + "/" for n in range(len(components))]
    rows = Page.objects.filter(url_path__in=prefixes, path__startswith=root.path, depth__gt=root.depth)
    found = {url_path: (pk, kind) for url_path, pk, kind in rows.values_list("url_path", "pk", "content_type_id")}
    for n, prefix in enumerate(prefixes):
        if prefix not in found:
            return None  # a gap: Wagtail's walk answers (a 404, or a route of a page found above: not kept)
        if n + 1 == len(prefixes):
            return (*found[prefix], len(components))
        model = ContentType.objects.get_for_id(found[prefix][1]).model_class()
        if model is not None and issubclass(model, RoutablePageMixin):
            try:
                match = model.get_resolver().resolve("/" + "/".join(components[n + 1 :]) + "/")
            except Resolver404:
                continue
            # Its own route comes before its children, as in RoutablePageMixin.route(). One that takes
            # arguments (a signed token) is left to Wagtail's walk: a key per value would fill the cache.
            if match.args or match.kwargs:
                return None
            return (*found[prefix], n + 1)
    return None


def find_page(model, below=None):
    """The first live, public ``model`` page (below ``below``, a page, when given), kept per content
    generation: the section pages (library, trainings, news) other pages link to. None if there is none."""

    def build():
        pages = model.objects.live().public()
        if below is not None:
            pages = pages.descendant_of(below)
        return pages.first()

    return shared("find-page", build, model._meta.label_lower, below.pk if below is not None else "")


def parent_page(page):
    """``page.get_parent().specific``, kept per content generation (a page not yet saved reads it)."""

    def build():
        parent = page.get_parent()
        return parent.specific if parent is not None else None

    if not page.pk or not page.path:
        return build()
    return shared("parent", build, page.path)
