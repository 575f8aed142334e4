"""The page shell's data, read once per content generation instead of on every page.

Every public page shows the same site settings, menu and footer, and every listing leaves out
pages behind a view restriction. Read from the database that is seven or more queries on each
page, whatever it shows. Here each is read once and kept in Django's cache under the page
cache's *generation* (home/cache.py), which any content change bumps: a published page, a saved
setting, a new view restriction. So an uncached page pays only for its own content, and an
editor's change shows at once.

- :func:`shared` keeps any such value;
- :func:`restricted_paths` and :func:`public_q` replace Wagtail's ``PageQuerySet.public()``,
  which looks the view restrictions up again for every listing;
- ``SiteSettings.for_site`` reads through :func:`shared` (home/models.py);
- the menu and footer tags keep their resolved links here (home/templatetags/site_tags.py).
"""

from django.db.models import Q

from . import cache as page_cache

# An upper bound only: a new generation makes the old values unreachable long before.
SHELL_SECONDS = 24 * 3600
_MISSING = object()


def shared(name, build, *parts):
    """``build()``, kept until the content changes. ``parts`` tell values apart (a site's id)."""
    key = ":".join(["lpsite:shell", str(page_cache.generation()), name, *map(str, parts)])
    store = page_cache._cache()
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        store.set(key, value, SHELL_SECONDS)
    return value


def restricted_paths():
    """Tree paths of the pages with a view restriction (each hides its whole subtree)."""
    from wagtail.models import PageViewRestriction

    return shared("restricted-paths", lambda: sorted(PageViewRestriction.objects.values_list("page__path", flat=True)))


def is_public(page):
    return not any(page.path.startswith(path) for path in restricted_paths())


def public_q():
    """``.filter(public_q())`` is Wagtail's ``.public()`` without a query of its own: the pages outside
    every subtree behind a view restriction."""
    hidden = Q()
    for path in restricted_paths():
        hidden |= Q(path__startswith=path)
    return ~hidden if hidden else Q()
