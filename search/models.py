"""The site's own search index: one row per page, its title and its body as text.

The database keeps the searchable form itself (search/migrations/0002): on SQLite an FTS5 table over these
rows (``search_entry_fts``, FTS5's ``porter`` tokenizer, kept in step by triggers); on PostgreSQL
generated ``tsvector`` columns (``title_vector``, ``body_vector``, ``document``) with GIN indexes. The
ORM names its columns, so it never writes those. Written by search/index.py from the pages' own saves
and deletes; read by search/engine.py. Wagtail's index (``wagtailsearch_*``) stays Wagtail's: the
admin's search uses it, nothing here reads or writes it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class Entry(models.Model):
    # Small integers: a search's match comes back as bits, bit n for entry n (search/engine.py).
    id = models.AutoField(primary_key=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    title = models.TextField()
    body = models.TextField()

    # Our own index: writing it is a content change (search facts map entries to pages), which the page
    # cache sees through the page's own save in the same transaction, or search/index.py says itself.
    page_cache_scopes = ()

    class Meta:
        verbose_name_plural = "entries"
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_object")]

    def __str__(self):
        return self.title
