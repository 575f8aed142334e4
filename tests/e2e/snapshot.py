"""One demo seed per test session, copied back before every browser test.

Seeding the demo takes far longer than any journey's clicks (pages, images, the search
index), and every journey starts from the same content. So the first browser test seeds
once and takes a snapshot of every table; the others get that snapshot back in well
under a second:

- SQLite: the database file is copied with SQLite's online backup API, into a second
  file and back (other connections, such as the live server's, see the new content);
- PostgreSQL: every table is copied into a schema of its own; restoring empties the
  tables and copies the rows back in one transaction (foreign keys are deferrable,
  as Django creates them), then sets every sequence back to where it stood.

Caches are cleared after a restore: they may hold what the previous test wrote.
"""

import os
import sqlite3
import tempfile
from pathlib import Path

from django.core.cache import caches
from django.db import connection, transaction

from tests.demo import postgresql_columns

SCHEMA = "e2e_snapshot"


class Snapshot:
    def take(self):
        raise NotImplementedError

    def restore(self):
        raise NotImplementedError


class SQLiteSnapshot(Snapshot):
    def __init__(self):
        descriptor, name = tempfile.mkstemp(prefix="lpsite-e2e-snapshot-", suffix=".sqlite3")
        os.close(descriptor)
        self.path = Path(name)

    def take(self):
        connection.ensure_connection()
        target = sqlite3.connect(self.path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def restore(self):
        connection.ensure_connection()
        source = sqlite3.connect(self.path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    def discard(self):
        self.path.unlink(missing_ok=True)


class PostgreSQLSnapshot(Snapshot):
    def __init__(self):
        self.columns = {}
        self.sequences = []

    def take(self):
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            columns = postgresql_columns(cursor)
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
            for table, names in columns.items():
                cursor.execute(f"CREATE TABLE {SCHEMA}.{quote(table)} AS SELECT {', '.join(names)} FROM {quote(table)}")  # noqa: S608
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
            self.sequences = cursor.fetchall()
        self.columns = columns

    def restore(self):
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in self.columns) + " CASCADE")
            for table, names in self.columns.items():
                listed = ", ".join(names)
                cursor.execute(f"INSERT INTO {quote(table)} ({listed}) SELECT {listed} FROM {SCHEMA}.{quote(table)}")  # noqa: S608
            for sequence, value in self.sequences:
                if value is None:
                    cursor.execute("SELECT setval(%s, 1, false)", [quote(sequence)])
                else:
                    cursor.execute("SELECT setval(%s, %s, true)", [quote(sequence), value])

    def discard(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


def for_this_database():
    snapshot = PostgreSQLSnapshot() if connection.vendor == "postgresql" else SQLiteSnapshot()
    return snapshot


def clear_caches():
    for cache in caches.all():
        cache.clear()
