"""The database planner's statistics on SQLite.

SQLite plans joins from ``sqlite_stat1``, which only ``ANALYZE`` writes; Django never runs it. Without
statistics SQLite joins a small page type to ``wagtailcore_page`` by scanning every page: the news index
took 9 ms of queries at 10,000 resources instead of 0.5, and every listing of a page type paid the same.
Statistics taken once there is content keep the right plan as the site grows (the tables keep their
proportions), so they are refreshed after each ``migrate`` (every deploy), after the demo content is
loaded and after a bulk load (bench/bulk.py). PostgreSQL's autovacuum analyses by itself.
"""

from django.db import connections


def refresh_sqlite_statistics(using="default"):
    """``ANALYZE`` on SQLite (a few milliseconds for the demo, 0.1 s at 10,000 resources); nothing elsewhere."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def after_migrate(sender, using="default", **kwargs):
    refresh_sqlite_statistics(using)
