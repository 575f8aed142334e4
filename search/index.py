"""Writing the site's own search index (search/models.py ``Entry``): each page's title and body as text.

A page is (re)indexed whenever it is saved and removed when it is deleted (our own ``post_save`` and
``post_delete`` receivers, for every page model Wagtail would index), in the same transaction, so a
search never sees a page the database does not have, nor misses one it has. The text is what the
page's ``search_fields`` name, as Wagtail reads them: ``SearchField("title")`` is the title, every other
``SearchField`` (through ``RelatedFields`` too) the body.

Bulk jobs index at the end (search/indexing.py ``deferred_indexing``); rows written without signals
(bench/bulk.py) are indexed with :func:`add_bulk`; ``manage.py rebuild_search_index`` indexes every page
again; after ``migrate`` an empty index is filled (a database made before this app existed).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Manager
from django.db.models.signals import post_delete, post_save
from django.utils.encoding import force_str
from modelsearch.index import AutocompleteField, Indexed, RelatedFields, SearchField
from wagtail.models import Page

from home import cache as page_cache

from .models import Entry

# While a bulk job runs (search/indexing.py), saves are noted here instead of indexed.
deferred = []


def indexed_models():
    """Every page model the site indexes: each concrete page class Wagtail's search would index."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and issubclass(model, Indexed) and getattr(model, "search_auto_update", True)
    ]


def _text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_text(item) for item in value.values())
    return "" if value is None else force_str(value)


def _values(obj, field):
    """(SearchField, text) for each value ``field`` gives of ``obj`` (through related objects too)."""
    if isinstance(field, SearchField):
        yield field, _text(field.get_value(obj))
    elif isinstance(field, AutocompleteField):
        return
    elif isinstance(field, RelatedFields):
        related = field.get_value(obj)
        if related is None:
            return
        if isinstance(related, Manager):
            related = related.all()
        elif callable(related):
            related = [related()]
        else:
            related = [related]
        for item in related:
            for sub_field in field.fields:
                yield from _values(item, sub_field)


def document(obj):
    """``(title, body)``: the text a search matches ``obj`` by."""
    title, body = [], []
    for field in obj.get_search_fields():
        for search_field, text in _values(obj, field):
            (title if search_field.field_name == "title" else body).append(text)
    return " ".join(title), " ".join(body)


def add_bulk(model, objects):
    """Index ``objects`` (pages of ``model`` or its subclasses, each as its specific class) now."""
    objects = list(objects)
    if not objects:
        return
    rows = []
    for obj in objects:
        obj = _specific(obj)
        title, body = document(obj)
        rows.append(Entry(content_type_id=_kind(obj), object_id=obj.pk, title=title, body=body))
    with transaction.atomic():
        for kind_id in {row.content_type_id for row in rows}:
            ids = [row.object_id for row in rows if row.content_type_id == kind_id]
            Entry.objects.filter(content_type_id=kind_id, object_id__in=ids).delete()
        Entry.objects.bulk_create(rows, batch_size=500)
    page_cache.invalidate()


def _specific(obj):
    """A page as its own class (a save of the base ``Page`` row indexes the page it is)."""
    if isinstance(obj, Page) and obj.specific_class is not None and type(obj) is not obj.specific_class:
        return obj.specific
    return obj


def _kind(obj):
    return obj.content_type_id if isinstance(obj, Page) else ContentType.objects.get_for_model(type(obj)).pk


def remove(obj):
    if Entry.objects.filter(content_type_id=_kind(obj), object_id=obj.pk).delete()[0]:
        page_cache.invalidate()


def _saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if deferred:
        deferred[-1].setdefault(sender, set()).add(instance.pk)
        return
    add_bulk(sender, [instance])


def _deleted(sender, instance, **kwargs):
    remove(instance)


def connect_signals():
    for model in indexed_models():
        post_save.connect(_saved, sender=model, dispatch_uid=f"search_index_save_{model._meta.label_lower}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search_index_delete_{model._meta.label_lower}")


def rebuild():
    """Index every page again; how many were indexed."""
    count = 0
    with transaction.atomic():
        Entry.objects.all().delete()
        for model in indexed_models():
            pages = model.objects.filter(content_type=ContentType.objects.get_for_model(model))
            add_bulk(model, pages)
            count += len(pages)
    return count


def fill_after_migrate(**kwargs):
    """A database whose pages were never indexed here (made before this app existed) is indexed once."""
    if not Entry.objects.exists() and Page.objects.filter(depth__gt=1).exists():
        rebuild()
