"""The demo site for tests that read it: seeded once per test process, copied into each test's transaction.

Seeding the demo takes 10-20 s (pages, revisions, pictures, the search index), and a dozen tests only need
its result. The ``demo`` fixture (tests/conftest.py) seeds once per test process, inside a transaction it
then rolls back, after reading every table's rows into memory; each test that asks for it gets those rows
written into its own transaction in well under a second, so what the test changes is rolled back with it.

- SQLite: every table's rows, as Python values. The full-text index (an FTS5 virtual table and its shadow
  tables) is not copied: the triggers on the site's own index table, ``search_entry``, fill it as its rows go in.
- PostgreSQL: every table through ``COPY``, all tables emptied first with one ``TRUNCATE`` (foreign keys are
  deferrable, as Django creates them, and checked when the test ends, as for any test); sequences are set to
  the demo's values (harmless when the test rolls back: they only ever move up).

Tests of the seed itself (what a second run keeps) still call ``seed_demo`` on top of the copy: the copy *is*
a first run's result. A transactional test (``transaction=True``) that asks for ``demo`` gets the copy
committed, and the tables are emptied after it, as for every such test: the browser tests' live server
reads the demo that way (``site_url``, tests/e2e/conftest.py).
"""

from django.db import connection, transaction


def make_renditions():
    """Show every live page once (and the library's further pages of cards), so that the copy holds the
    renditions of every picture, as a site that has been visited does. Without them, each test that shows
    pages of cards drew their pictures again: 450 renditions, about 18 s, for one pass over the demo."""
    from django.test import Client
    from wagtail.models import Page

    from library.models import ResourceLibraryPage

    urls = [page.url for page in Page.objects.live().public().filter(depth__gt=1).specific()]
    for library in ResourceLibraryPage.objects.live():
        urls += [f"{library.url}?page={number}" for number in range(2, 5)]
    client = Client()
    for url in urls:
        client.get(url)


def postgresql_columns(cursor):
    """PostgreSQL: {table: [quoted column, ...]} of every table of the schema, generated columns left out."""
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "JOIN information_schema.tables USING (table_schema, table_name) "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND is_generated = 'NEVER' "
        "ORDER BY table_name, ordinal_position"
    )
    columns = {}
    for table, column in cursor.fetchall():
        columns.setdefault(table, []).append(connection.ops.quote_name(column))
    return columns


class DemoCopy:
    def __init__(self):
        self.tables = []  # [(table, columns, rows or COPY payload)]
        self.sequences = []  # PostgreSQL: [(sequence, value)]

    # Taking --------------------------------------------------------------------------------------------------

    def take(self):
        if connection.vendor == "postgresql":
            self._take_postgresql()
        else:
            self._take_sqlite()

    def _take_sqlite(self):
        raw = connection.connection
        master = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        virtual = [name for name, sql in master if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
        for name, _sql in master:
            if name in virtual or any(name.startswith(v + "_") for v in virtual) or name.startswith("sqlite_stat"):
                continue
            cursor = raw.execute(f'SELECT * FROM "{name}"')  # noqa: S608 - names from sqlite_master
            columns = [d[0] for d in cursor.description]
            self.tables.append((name, columns, cursor.fetchall()))

    def _take_postgresql(self):
        with connection.cursor() as cursor:
            columns = postgresql_columns(cursor)
            raw = cursor.cursor
            for table, names in columns.items():
                with raw.copy(f"COPY {connection.ops.quote_name(table)} ({', '.join(names)}) TO STDOUT") as copy:
                    payload = b"".join(bytes(block) for block in copy)
                self.tables.append((table, names, payload))
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
            self.sequences = cursor.fetchall()

    # Restoring ----------------------------------------------------------------------------------------------

    def restore(self):
        """Into the test's transaction; a transactional test's (``transaction=True``) is committed, and
        emptied after it as Django always does for such tests."""
        with transaction.atomic():
            self._restore()

    def _restore(self):
        if connection.vendor == "postgresql":
            self._restore_postgresql()
        else:
            self._restore_sqlite()

    def _restore_sqlite(self):
        raw = connection.connection
        for table, _columns, _rows in self.tables:
            raw.execute(f'DELETE FROM "{table}"')  # noqa: S608
        for table, columns, rows in self.tables:
            if rows:
                listed = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" * len(columns))
                raw.executemany(f'INSERT INTO "{table}" ({listed}) VALUES ({marks})', rows)  # noqa: S608

    def _restore_postgresql(self):
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("TRUNCATE " + ", ".join(quote(table) for table, _, _ in self.tables))
            raw = cursor.cursor
            for table, names, payload in self.tables:
                if payload:
                    with raw.copy(f"COPY {quote(table)} ({', '.join(names)}) FROM STDIN") as copy:
                        copy.write(payload)
            for sequence, value in self.sequences:
                if value is not None:
                    cursor.execute("SELECT setval(%s, %s, true)", [quote(sequence), value])
