"""One full-text match per request, ranked by the database's own ranking.

Wagtail's database search backend (``modelsearch``) keeps its index in
``modelsearch_indexentry`` (plus an FTS5 table on SQLite). Its query
compiler ranks results with a correlated subquery that repeats the match
for every matching row: quadratic, 23 s for one search at 10,000 resources
on SQLite. This module reads the same index with one statement per search:

- SQLite: FTS5's ``bm25()`` with the title column weighted above the body,
  on an FTS5 table tokenised with ``porter`` (stemming; home migration 0007);
- PostgreSQL: the match on ``title || body``, stored in the generated column
  ``lpsite_document`` with a GIN index (home migrations 0007 and 0011), with
  the backend's ``SEARCH_CONFIG`` (English stemming); ``ts_rank`` of the body
  plus the title's, weighted.

It returns the ids of matching objects with their score, best first: the
callers filter, count and paginate from that one result.

A search never holds a worker for long: the query is cut to
``MAX_QUERY_LENGTH`` characters and ``MAX_TERMS`` words, and the statement
is interrupted after ``SEARCH_TIMEOUT_MS`` (PostgreSQL ``statement_timeout``,
SQLite a progress handler). A search that runs out of time raises
:class:`SearchTimeout`, which views show as a message, never a 500.
"""

import re
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from modelsearch.utils import get_descendants_content_types_pks

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Punctuation means nothing to full-text search and some of it (quotes,
# brackets) is syntax to SQLite's FTS5, so only words reach the database.
NON_WORD = re.compile(r"[^\w\s]+")
# How much more a word in the title counts than one in the body.
TITLE_WEIGHT = 10.0
# Added to the score of an entry whose title holds every word: larger than any relevance score.
TITLE_FIRST = 1000.0
# SQLite calls the deadline check every this many virtual-machine steps.
SQLITE_PROGRESS_STEPS = 10_000


class SearchTimeout(Exception):
    """The database took longer than SEARCH_TIMEOUT_MS to match a search."""


def clean_query(raw):
    """What a visitor typed, trimmed to the length the search box allows."""
    return (raw or "").strip()[:MAX_QUERY_LENGTH]


def search_terms(query):
    """The words of a visitor's query (at most MAX_TERMS), safe for any backend."""
    return " ".join(NON_WORD.sub(" ", query).split()[:MAX_TERMS])


def _timeout_ms():
    return getattr(settings, "SEARCH_TIMEOUT_MS", 2000)


@contextmanager
def _sqlite_deadline(cursor, milliseconds):
    raw = cursor.connection  # the sqlite3 connection under Django's wrapper
    deadline = time.monotonic() + milliseconds / 1000

    def over_time():
        return 1 if time.monotonic() > deadline else 0

    raw.set_progress_handler(over_time, SQLITE_PROGRESS_STEPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def _tables():
    from modelsearch.conf import get_app_config

    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    return entries, entries + "_fts"


def _content_type_ids(model):
    return sorted(get_descendants_content_types_pks(model))


def _sqlite_match_expression(terms, operator="and", columns="{title body}"):
    joiner = " OR " if operator == "or" else " AND "
    words = joiner.join('"' + word.replace('"', "") + '"' for word in terms.split())
    return columns + " : (" + words + ")"


def search_config():
    """The PostgreSQL text-search configuration the index was built with."""
    from wagtail.search.backends import get_search_backend

    return getattr(get_search_backend(), "config", None) or "english"


def match_cte(model, terms, operator="and"):
    """``(sql, params)`` of a SELECT of ``id, score`` (lower score = better) for use in a WITH clause.

    Pages whose title holds every word come first (TITLE_FIRST), then the rest, each group by
    relevance with the title weighted TITLE_WEIGHT times. A weight alone cannot promise that order:
    bm25 saturates a word's count and divides by the whole entry's length, so a long article with
    the words in its title can score below a short page that only repeats them in its body.
    ``operator="or"`` matches any of the words instead of all of them."""
    content_types = _content_type_ids(model) or [0]
    placeholders = ", ".join(["%s"] * len(content_types))
    entries, fts = _tables()
    if connection.vendor == "sqlite":
        # Column order of the FTS5 table: autocomplete, body, title.
        sql = (
            f"SELECT CAST(e.object_id AS INTEGER) AS id, bm25({fts}, 0.0, 1.0, %s) "  # noqa: S608
            f"- CASE WHEN {fts}.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) THEN %s ELSE 0 END AS score "
            f"FROM {fts} CROSS JOIN {entries} e ON e.id = {fts}.rowid "  # FTS first: match once
            f"WHERE {fts} MATCH %s AND e.content_type_id IN ({placeholders})"
        )
        title_only = _sqlite_match_expression(terms, "and", columns="{title}")
        return sql, [TITLE_WEIGHT, title_only, TITLE_FIRST, _sqlite_match_expression(terms, operator), *content_types]
    # websearch_to_tsquery reads "or" between words as OR; the words are already plain.
    to_query, query_text = "plainto_tsquery", terms
    if operator == "or":
        to_query, query_text = "websearch_to_tsquery", " or ".join(terms.split())
    sql = (
        "SELECT CAST(e.object_id AS INTEGER) AS id, "  # noqa: S608
        # Ranked on the body and the title apart (the title once more than its weight, as if in the body
        # too): joining the two vectors for each matching row took a third of the statement's time.
        "-(ts_rank(COALESCE(e.body, ''::tsvector), q) "
        "+ (%s + 1) * ts_rank(COALESCE(e.title, ''::tsvector), q) "
        "+ CASE WHEN COALESCE(e.title, ''::tsvector) @@ plainto_tsquery(%s::regconfig, %s) THEN %s ELSE 0 END"
        ") AS score "
        f"FROM {entries} e, {to_query}(%s::regconfig, %s) q "
        f"WHERE e.content_type_id IN ({placeholders}) "
        # title || body, stored by PostgreSQL (home migration 0011): joining them here for every row
        # read took half of a library search at 10,000 resources.
        "AND e.lpsite_document @@ q"
    )
    config = search_config()
    return sql, [TITLE_WEIGHT, config, terms, TITLE_FIRST, config, query_text, *content_types]


def run_bounded(sql, params):
    """Run one read statement under the public-search time limit; its rows, or SearchTimeout."""
    milliseconds = _timeout_ms()
    try:
        if connection.vendor == "postgresql":
            # The limit is local to the transaction: on its own (a request in autocommit) it ends with
            # it; inside a caller's transaction it is put back for the statements that follow.
            nested = connection.in_atomic_block
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(int(milliseconds))])
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                if nested:
                    cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
                return rows
        with connection.cursor() as cursor, _sqlite_deadline(cursor, milliseconds):
            cursor.execute(sql, params)
            return cursor.fetchall()
    except OperationalError as exc:
        # SQLite: "interrupted"; PostgreSQL: QueryCanceled (a subclass of OperationalError).
        raise SearchTimeout(str(exc)) from exc


def match(model, terms):
    """``[(pk, score), ...]`` of ``model`` objects (and subclasses) matching every word, best first."""
    if not terms or not _content_type_ids(model):
        return []
    sql, params = match_cte(model, terms)
    rows = run_bounded(f"SELECT id, score FROM ({sql}) m ORDER BY score, id", params)  # noqa: S608
    return [(int(object_id), float(score)) for object_id, score in rows]
