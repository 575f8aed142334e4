"""Wagtail's own search index as Wagtail made it: what home migrations 0007 and 0011 changed is undone.

Before this app, the public searches read Wagtail's index tables directly: 0007 recreated Wagtail's FTS5
table with the ``porter`` tokenizer (SQLite) and 0011 added a generated column with a GIN index to
Wagtail's entries (PostgreSQL). Now they run on the site's own index (search/), so a Wagtail upgrade
can change its tables freely. Wagtail's FTS5 table is recreated as Wagtail creates it and refilled.
"""

from django.db import migrations


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
            f"INSERT INTO {fts} (rowid, autocomplete, body, title) "  # noqa: S608 - our own table names
            f"SELECT id, autocomplete, body, title FROM {entries}"
        )


def forwards(apps, schema_editor):
    entries, fts = _tables(apps)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _recreate_fts(schema_editor, entries, fts, "")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS lpsite_indexentry_document_gin")
        schema_editor.execute("DROP INDEX IF EXISTS lpsite_indexentry_fulltext_gin")
        schema_editor.execute(f"ALTER TABLE {entries} DROP COLUMN IF EXISTS lpsite_document")


def backwards(apps, schema_editor):
    entries, fts = _tables(apps)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _recreate_fts(schema_editor, entries, fts, "porter unicode61")
    elif vendor == "postgresql":
        expression = "(COALESCE(title, ''::tsvector) || COALESCE(body, ''::tsvector))"
        schema_editor.execute(
            f"ALTER TABLE {entries} ADD COLUMN IF NOT EXISTS lpsite_document tsvector "
            f"GENERATED ALWAYS AS {expression} STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS lpsite_indexentry_document_gin ON {entries} USING GIN (lpsite_document)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_fulltext"),
        ("home", "0013_outboundemail_moves_to_inbox"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
