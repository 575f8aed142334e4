"""Full-text index for home/fulltext.py: stemming on SQLite, an indexed vector on PostgreSQL.

SQLite: Wagtail's FTS5 table is recreated with FTS5's own ``porter``
tokenizer, so "evictions" finds what "eviction" finds, and refilled from the
index entries (the insert/update/delete triggers keep working: they name the
table). PostgreSQL: a GIN index on ``title || body``, the vector that
home/fulltext.py matches and ranks, so a match reads only the rows it finds.
"""

from django.db import migrations

GIN_INDEX = "lpsite_indexentry_fulltext_gin"


def _tables(apps):
    entries = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    return entries, entries + "_fts"


def _recreate_fts(schema_editor, entries, fts, tokenize):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [fts])
        if cursor.fetchone() is None:  # SQLite without FTS5: Wagtail falls back to LIKE
            return
        cursor.execute(f"DROP TABLE {fts}")
        options = f", tokenize='{tokenize}'" if tokenize else ""
        cursor.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(autocomplete, body, title{options})")
        cursor.execute(
            f"INSERT INTO {fts} (rowid, autocomplete, body, title) "  # noqa: S608
            f"SELECT id, autocomplete, body, title FROM {entries}"
        )


def forwards(apps, schema_editor):
    entries, fts = _tables(apps)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _recreate_fts(schema_editor, entries, fts, "porter unicode61")
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {entries} USING GIN "
            "((COALESCE(title, ''::tsvector) || COALESCE(body, ''::tsvector)))"
        )


def backwards(apps, schema_editor):
    entries, fts = _tables(apps)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _recreate_fts(schema_editor, entries, fts, "")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_homepage_resources_heading_and_more"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
