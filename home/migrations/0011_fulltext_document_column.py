"""PostgreSQL: the vector home/fulltext.py matches, stored once per index entry.

Migration 0007 indexed the expression ``title || body``; a match still
joined the two vectors again for every row it read (PostgreSQL rechecks the
expression on the table's rows, and with most rows matching a common word
it scans the table instead), about half of a library search at 10,000
resources. A generated column holds the joined vector: PostgreSQL keeps it
up to date on every insert and update of Wagtail's index entries (which
name their columns, so they never write it), and its GIN index serves the
match. SQLite keeps its FTS5 table (0007) and gets nothing here.
"""

from django.db import migrations

COLUMN = "lpsite_document"
GIN_INDEX = "lpsite_indexentry_document_gin"
OLD_GIN_INDEX = "lpsite_indexentry_fulltext_gin"
EXPRESSION = "(COALESCE(title, ''::tsvector) || COALESCE(body, ''::tsvector))"


def _entries(apps):
    return apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries = _entries(apps)
    schema_editor.execute(
        f"ALTER TABLE {entries} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector GENERATED ALWAYS AS {EXPRESSION} STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {entries} USING GIN ({COLUMN})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_GIN_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries = _entries(apps)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_GIN_INDEX} ON {entries} USING GIN ({EXPRESSION})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    schema_editor.execute(f"ALTER TABLE {entries} DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0010_hero_image_alt_text_from_description"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
