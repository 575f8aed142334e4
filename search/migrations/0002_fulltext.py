"""What the database keeps of the index for matching and ranking (search/engine.py).

SQLite: an FTS5 table over the entries' title and body (external content: it keeps only its index),
tokenised with FTS5's ``porter`` so "evictions" finds "eviction", kept in step by triggers.
PostgreSQL: generated ``tsvector`` columns in ``SEARCH_CONFIG`` (the title's, the body's and both,
``document``) with GIN indexes on ``document`` (every match) and ``title_vector`` (titles first).
"""

from django.conf import settings
from django.db import migrations

FTS = "search_entry_fts"
SQLITE_FORWARDS = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, content='search_entry', content_rowid='id', "
    "tokenize='porter unicode61')",
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN "
    f"INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    f"INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    f"INSERT INTO {FTS}(rowid, title, body) SELECT id, title, body FROM search_entry",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_au",
    f"DROP TABLE IF EXISTS {FTS}",
]


def _postgresql_forwards():
    config = getattr(settings, "SEARCH_CONFIG", "english").replace("'", "")
    vector = f"to_tsvector('{config}'::regconfig, COALESCE({{}}, ''))"
    title, body = vector.format("title"), vector.format("body")
    return [
        f"ALTER TABLE search_entry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ({title}) STORED, "
        f"ADD COLUMN body_vector tsvector GENERATED ALWAYS AS ({body}) STORED, "
        f"ADD COLUMN document tsvector GENERATED ALWAYS AS ({title} || {body}) STORED",
        "CREATE INDEX search_entry_document_gin ON search_entry USING GIN (document)",
        "CREATE INDEX search_entry_title_gin ON search_entry USING GIN (title_vector)",
    ]


POSTGRESQL_BACKWARDS = [
    "DROP INDEX IF EXISTS search_entry_title_gin",
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document, DROP COLUMN IF EXISTS body_vector, "
    "DROP COLUMN IF EXISTS title_vector",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARDS)
    elif vendor == "postgresql":
        _run(schema_editor, _postgresql_forwards())


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARDS)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
