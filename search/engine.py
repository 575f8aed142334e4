"""One full-text match per request, ranked by the database's own ranking.

The site keeps its own index of its pages (search/models.py ``Entry``, written by search/index.py).
Wagtail's database search backend ranks with a correlated subquery that repeats the match for every
matching row: quadratic, 23 s for one search at 10,000 resources on SQLite. This module reads our index
with one statement per search:

- SQLite: FTS5's ``bm25()`` with the title column weighted above the body, on the FTS5 table
  ``search_entry_fts`` tokenised with ``porter`` (stemming; search migration 0002);
- PostgreSQL: the match on the generated column ``document`` (title and body) with its GIN index, in
  ``SEARCH_CONFIG`` (English stemming); ``ts_rank`` of the body plus the title's, weighted.

It returns every matching index entry as a set of bits (an ``int``, bit *n*
for entry *n*, made by the database in 64-bit words) and the score of the
few entries a page of results can need: the callers count with ``&`` and
``int.bit_count()`` and paginate from that one result, where reading each of
thousands of matches as a row and counting them in Python sets took a
third of a search at 10,000 resources.

A search never holds a worker for long: the query is cut to
``MAX_QUERY_LENGTH`` characters and ``MAX_TERMS`` words, and the statement
is interrupted after ``SEARCH_TIMEOUT_MS`` (PostgreSQL ``statement_timeout``,
SQLite a progress handler). A search that runs out of time raises
:class:`SearchTimeout`, which views show as a message, never a 500.
"""

import heapq
import re
import time
from contextlib import contextmanager
from operator import itemgetter
from typing import NamedTuple

from django.conf import settings
from django.db import OperationalError, connection, transaction
from modelsearch.utils import get_descendants_content_types_pks

from .models import Entry

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
    entries = Entry._meta.db_table
    return entries, entries + "_fts"


def _content_type_ids(model):
    return sorted(get_descendants_content_types_pks(model))


def _sqlite_match_expression(terms, operator="and", columns="{title body}"):
    joiner = " OR " if operator == "or" else " AND "
    words = joiner.join('"' + word.replace('"', "") + '"' for word in terms.split())
    return columns + " : (" + words + ")"


def search_config():
    """The PostgreSQL text-search configuration the index was built with (search migration 0002)."""
    return getattr(settings, "SEARCH_CONFIG", "english")


def entry_pages(model, page_ids):
    """``{index entry id: page id}`` of the pages ``page_ids`` (ids of ``model`` or its subclasses) that
    are in the search index: what a search keeps per content generation to read a match's entries
    (search/index.py starts a new one whenever the index is written)."""
    wanted = set(page_ids)
    entries = Entry.objects.filter(content_type_id__in=_content_type_ids(model))
    pages = {}
    for entry, object_id in entries.values_list("id", "object_id").iterator(chunk_size=5000):
        if object_id in wanted:
            pages[entry] = object_id
    return pages


def candidate_mask(entries):
    """The index entries a search may show (``entries``, ids), as :func:`ranked_match` takes them: one byte per
    entry id, 1 for a candidate. Read by the database in constant time per row, where a list of 10,000 ids
    cost more to send and look up than the match itself. Worth keeping with the entries it was built from."""
    mask = bytearray(max(entries, default=-1) + 1)
    for entry in entries:
        mask[entry] = 1
    return bytes(mask)


def bitset(ids):
    """The set of ``ids`` (entry ids, small non-negative integers) as an ``int`` with bit *n* set for id *n*:
    intersected with ``&`` and counted with ``int.bit_count()``, both in C, a few microseconds at 10,000."""
    ids = list(ids)
    if not ids:
        return 0
    bits = bytearray(max(ids) // 8 + 1)
    for entry in ids:
        bits[entry >> 3] |= 1 << (entry & 7)
    return int.from_bytes(bits, "little")


def members(bits):
    """The ids in a :func:`bitset`, in order."""
    return [n for n, bit in enumerate(reversed(bin(bits)[2:])) if bit == "1"]


class Match(NamedTuple):
    """A search's one full-text match (:func:`ranked_match`)."""

    entries: int  # every matching index entry, a bitset
    scored: list  # [(entry id, score)] of the entries ranked (lower is better), unordered


def _match(rows):
    """The :class:`Match` in a search statement's rows: ``(0, word, bits, None)`` for each 64 entries
    (word *w* holding entries 64w to 64w + 63; a signed 64-bit integer), ``(1, entry, None, score)`` for
    each entry ranked."""
    words, scored = {}, []
    for kind, key, bits, score in rows:
        if kind:
            scored.append((key, score))
        else:
            words[key] = bits
    packed = bytearray(8 * (max(words) + 1)) if words else bytearray()
    for word, bits in words.items():
        packed[8 * word : 8 * word + 8] = bits.to_bytes(8, "little", signed=True)
    return Match(int.from_bytes(packed, "little"), scored)


def ranked_match(model, terms, candidates, needed, operator="and"):
    """The one full-text match of a search: a :class:`Match` of every index entry of ``model`` matching
    ``terms`` (SQLite: of any model; callers keep those they know).

    Scores (lower is better) are computed only where a result page can need them, among ``candidates``
    (:func:`candidate_mask` of the entries the search may show, after its filters). Entries whose title
    holds every word come first (TITLE_FIRST), then the rest, each group by relevance with the title
    weighted TITLE_WEIGHT times. A weight alone cannot promise that order: bm25 saturates a word's count
    and divides by the whole entry's length, so a long article with the words in its title can score
    below a short page that only repeats them in its body. So when the candidates whose title holds every
    word are ``needed`` or more (the results up to the end of the page asked for), only they are ranked;
    otherwise every candidate is. A faceted search counts from the same rows.

    ``operator="or"`` matches any of the words instead of all of them."""
    content_types = _content_type_ids(model)
    if not terms or not content_types:
        return Match(0, [])
    # Never more than there are candidates: a page number past the end (any size) asks for no more.
    needed = min(needed, len(candidates))
    entries, fts = _tables()
    if connection.vendor == "sqlite":
        # FTS5 ranks only inside its own MATCH: bm25() is called for the rows the second branch lets through
        # (``+rowid``: checked row by row, not handed to FTS5 as a lookup per id, which took a second).
        chosen = f"substr(%s, {fts}.rowid + 1, 1) = x'01'"
        sql = (
            f"WITH t AS MATERIALIZED (SELECT rowid AS id FROM {fts} WHERE {fts} MATCH %s AND {chosen}), "  # noqa: S608
            "enough AS MATERIALIZED (SELECT COUNT(*) >= %s AS yes FROM t) "
            f"SELECT 0, {fts}.rowid >> 6 AS word, SUM(1 << ({fts}.rowid & 63)), NULL FROM {fts} "
            f"WHERE {fts} MATCH %s GROUP BY word UNION ALL "
            f"SELECT 1, {fts}.rowid, NULL, CASE WHEN {fts}.rowid IN (SELECT id FROM t) "
            f"THEN bm25({fts}, %s, 1.0) - %s ELSE bm25({fts}, %s, 1.0) END FROM {fts} "
            f"WHERE {fts} MATCH %s "
            f"AND (+{fts}.rowid IN (SELECT id FROM t) OR (NOT (SELECT yes FROM enough) AND {chosen}))"
        )
        title_only = _sqlite_match_expression(terms, "and", columns="{title}")
        query = _sqlite_match_expression(terms, operator)
        params = [title_only, candidates, needed, query, TITLE_WEIGHT, TITLE_FIRST, TITLE_WEIGHT, query, candidates]
        return _match(run_bounded(sql, params))
    # websearch_to_tsquery reads "or" between words as OR; the words are already plain.
    to_query, query_text = "plainto_tsquery", terms
    if operator == "or":
        to_query, query_text = "websearch_to_tsquery", " or ".join(terms.split())
    # Ranked on the body and the title apart (the title once more than its weight, as if in the body too):
    # joining the two vectors for each row ranked took a third of the statement's time.
    rank = "ts_rank(e.body_vector, q) + %s * ts_rank(e.title_vector, q)"
    chosen = "CASE WHEN e.id < %s THEN get_byte(%s::bytea, e.id) = 1 ELSE false END"
    placeholders = ", ".join(["%s"] * len(content_types))
    kinds = f"e.content_type_id IN ({placeholders})"
    query = f"{to_query}(%s::regconfig, %s) q"
    queries = f"{query}, plainto_tsquery(%s::regconfig, %s) tq"  # and the title's: every word
    sql = (
        # The candidates holding every word in their title, found through the titles' GIN index, ranked.
        f"WITH t AS MATERIALIZED (SELECT e.id, -({rank} + %s) AS score FROM {entries} e, {queries} "  # noqa: S608
        f"WHERE e.title_vector @@ tq AND {kinds} AND {chosen}), "
        "enough AS MATERIALIZED (SELECT COUNT(*) >= %s AS yes FROM t) "
        # Every match, as bits; title || body is stored by PostgreSQL (search migration 0002): joining them
        # here for every row read took half of a library search at 10,000 resources.
        f"SELECT 0, e.id >> 6, bit_or(1::bigint << (e.id & 63)), NULL::float8 FROM {entries} e, {query} "
        f"WHERE {kinds} AND e.document @@ q GROUP BY 2 "
        "UNION ALL SELECT 1, id, NULL, score FROM t "
        # The other candidates, only when the title group cannot fill the page (PostgreSQL skips the scan).
        f"UNION ALL SELECT 1, e.id, NULL, -({rank}) FROM {entries} e, {queries} "
        f"WHERE NOT (SELECT yes FROM enough) AND {kinds} AND e.document @@ q AND NOT e.title_vector @@ tq AND {chosen}"
    )
    config, weight, size = search_config(), TITLE_WEIGHT + 1, len(candidates)
    both = [config, query_text, config, terms]
    params = [weight, TITLE_FIRST, *both, *content_types, size, candidates, needed]
    params += [config, query_text, *content_types, weight, *both, *content_types, size, candidates]
    return _match(run_bounded(sql, params, through_indexes=True))


def best_first(scored, pages, offset, limit):
    """The entries ``scored`` (a :class:`Match`'s) rank from ``offset``, ``limit`` of them, among those
    ``pages`` maps to their page (the ones a search may show). Ties go to the older page, as ever.

    Only the entries scoring no worse than the last one the page needs are sorted (ties included): a
    thousand ranked titles for the twelve shown took half a millisecond to sort whole."""
    needed = offset + limit
    if needed <= 0:
        return []
    shown = [pair for pair in scored if pair[0] in pages]
    if len(shown) > needed:
        cut = heapq.nsmallest(needed, map(itemgetter(1), shown))[-1]
        shown = [pair for pair in shown if pair[1] <= cut]
    ranked = sorted((score, pages[entry], entry) for entry, score in shown)
    return [entry for _score, _page, entry in ranked[offset:needed]]


class RankedSearch:
    """One public search: its match (:func:`ranked_match`) and the entries each page of results shows
    (:func:`best_first`). The match is kept, ranked as far as the furthest page asked for, so another page
    of the same search within ``needed`` (a page number past the end, which Paginator turns into the last
    page) reuses it instead of matching again. Only candidates are ranked, so ``pages`` may map more
    entries than the mask holds. A search that runs out of time matches nothing, says so (``timed_out``)
    and is not tried again."""

    def __init__(self, model, terms, pages, candidates, operator="and"):
        self.model, self.terms, self.pages, self.candidates, self.operator = model, terms, pages, candidates, operator
        self.timed_out = False
        self._match, self._ranked_to = None, -1

    def page(self, offset, limit):
        """``(match, hits)``: the whole match, for totals and counts, and the entries shown from ``offset``."""
        needed = offset + limit
        if self._match is None or needed > self._ranked_to:
            try:
                self._match = ranked_match(self.model, self.terms, self.candidates, needed, self.operator)
                self._ranked_to = needed
            except SearchTimeout:
                self._match, self._ranked_to, self.timed_out = Match(0, []), float("inf"), True
        # Ranked for more than this page needs, the order of its first entries is the same: the title group
        # comes first either way (TITLE_FIRST), and within a group every candidate ranked is scored alike.
        return self._match, best_first(self._match.scored, self.pages, offset, limit)


def run_bounded(sql, params, *, through_indexes=False):
    """Run one read statement under the public-search time limit; its rows, or SearchTimeout.

    ``through_indexes``: on PostgreSQL, read tables through their indexes wherever one serves (a
    full-text match, through its GIN index). The planner prices matching a row's vector like any
    comparison, about a hundred times below its cost, so it read the whole index table instead,
    even for a word in most entries: 10 ms at 10,000 entries, against 4 through the index."""
    milliseconds = _timeout_ms()
    try:
        if connection.vendor == "postgresql":
            # The settings are local to the transaction: on its own (a request in autocommit) they end
            # with it; inside a caller's transaction they are put back for the statements that follow.
            nested = connection.in_atomic_block
            scans = "off" if through_indexes else "on"
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true), set_config('enable_seqscan', %s, true)",
                    [str(int(milliseconds)), scans],
                )
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                if nested:
                    cursor.execute("SET LOCAL statement_timeout TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT")
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
    pages = entry_pages(model, model.objects.values_list("pk", flat=True))
    found = ranked_match(model, terms, candidate_mask(pages), len(pages))
    ranked = ((pages[entry], score) for entry, score in found.scored if entry in pages)
    return sorted(ranked, key=lambda row: (row[1], row[0]))
