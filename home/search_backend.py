"""The site's search backend: Wagtail's database backend (modelsearch), whose index writes count as
content changes.

In production the search index is written by a task (``db_worker``), after the publish that asked
for it has already started a new content generation (home/cache.py). Searches answered in between
would keep showing the index as it was: a cached search page without the new page, and the search
facts kept per generation (home/fulltext.py, library/search.py) mapping index entries to pages.
So every write to the index starts a new generation too.
"""

import functools

from modelsearch.backends import database

from . import cache


class InvalidateOnIndexWrite:
    """Mixed into the database backend chosen for the connection's vendor."""

    def add(self, obj):
        super().add(obj)
        _changed()

    def add_bulk(self, model, obj_list):
        super().add_bulk(model, obj_list)
        _changed()

    def delete(self, obj):
        super().delete(obj)
        _changed()


def _changed():
    cache.invalidate()


@functools.cache
def _with_invalidation(backend_class):
    return type(backend_class.__name__, (InvalidateOnIndexWrite, backend_class), {})


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database.SearchBackend(params)  # the class for this connection's vendor
    backend.__class__ = _with_invalidation(type(backend))  # the same object, its writes now noted
    return backend
