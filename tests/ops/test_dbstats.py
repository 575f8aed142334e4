"""SQLite plans joins from the statistics ANALYZE writes (ops/dbstats.py): without them a listing of
one page type scanned every page of the site."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import NewsIndexPage

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics; PostgreSQL analyses"),
]


def plan(run):
    """SQLite's plan for the query ``run()`` issues."""
    with CaptureQueriesContext(connection) as queries:
        run()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
        return [row[-1] for row in cursor.fetchall()]


def forget_statistics():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")  # a schema change: the planner reloads them


def statistics_of(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0]


def test_a_bulk_load_takes_them_and_the_news_listing_then_starts_from_the_articles(demo):
    """(At 10,000 resources without statistics SQLite scanned every page for the news listing's count;
    at the demo's size it guesses right either way, so the plan is checked with them only.)"""
    from bench.bulk import analyze

    forget_statistics()
    assert not statistics_of("wagtailcore_page")
    analyze()  # bench/bulk.py, after a bulk load
    assert statistics_of("wagtailcore_page") and statistics_of("home_articlepage")
    steps = plan(NewsIndexPage.objects.get().articles().count)
    assert not [step for step in steps if step.startswith("SCAN wagtailcore_page")], steps
    assert [step for step in steps if "wagtailcore_page USING INTEGER PRIMARY KEY" in step], steps


def test_migrate_takes_them(demo):
    forget_statistics()
    call_command("migrate", verbosity=0, interactive=False)
    assert statistics_of("wagtailcore_page")
