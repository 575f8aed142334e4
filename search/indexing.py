"""Search and reference indexing deferred to the end of a bulk job (the demo seed).

Every page save normally indexes the page for the site's search (search/index.py), for Wagtail's
admin search (modelsearch) and for Wagtail's reference index ("usage") straight away. A seed saves most pages
two or three times (create, revision, publish), so it indexed each one that
many times: about half of the seed's database work. Inside
:func:`deferred_indexing` the saves are only noted; when the block ends
without an error, each object saved is indexed once, per model in bulk.

Single-threaded jobs only: the signal handlers are disconnected process-wide
while the block runs.
"""

from contextlib import contextmanager

from django.db.models.signals import post_save
from modelcluster.fields import ParentalKey
from modelsearch import index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import update_reference_index_on_save

from . import index as site_index


def _search_models():
    return [model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)]


@contextmanager
def deferred_indexing():
    """Index each object saved inside the block once, when the block ends."""
    search_models = set(_search_models())
    reference_models = set(ReferenceIndex.tracked_models)
    for_search, for_references = {}, {}

    def note(sender, instance, raw=False, **kwargs):
        if raw:
            return
        if sender in search_models:
            for_search.setdefault(sender, set()).add(instance.pk)
        if sender in reference_models:
            root = _reference_root(instance)
            if root is not None:
                model = getattr(root, "specific_class", None) or root._meta.model
                for_references.setdefault(model, set()).add(root.pk)

    for model in search_models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    for model in reference_models:
        post_save.disconnect(update_reference_index_on_save, sender=model)
    post_save.connect(note, weak=False, dispatch_uid="search.indexing.note")
    ours = {}
    site_index.deferred.append(ours)
    try:
        yield
    finally:
        site_index.deferred.pop()
        post_save.disconnect(note, dispatch_uid="search.indexing.note")
        for model in search_models:
            post_save.connect(post_save_signal_handler, sender=model)
        for model in reference_models:
            post_save.connect(update_reference_index_on_save, sender=model)
    for model, pks in ours.items():
        site_index.add_bulk(model, model.objects.filter(pk__in=pks))
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in for_search.items():
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        for backend in backends:
            backend.add_bulk(model, objects)
    for model, pks in for_references.items():
        if ReferenceIndex.is_indexed(model):
            for obj in model._default_manager.filter(pk__in=pks):
                ReferenceIndex.create_or_update_for_object(obj)


def _reference_root(instance):
    """The object whose references a save changes: the instance, or the parent of a child (inline) row.

    As Wagtail's own ``update_reference_index_task`` does."""
    while True:
        keys = [field for field in instance._meta.get_fields() if isinstance(field, ParentalKey)]
        if not keys:
            return instance
        instance = getattr(instance, keys[0].name)
        if instance is None:
            return None
