"""Search that finds things and scales: one match per request, stemming, titles first, bounded work."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.bulk import bulk_create_resources
from home.factories import StandardPageFactory
from library.factories import ResourceLibraryPageFactory, ResourcePageFactory
from library.models import ResourcePage
from search import engine as fulltext
from taxonomy.factories import IssueAreaFactory, ResourceTypeFactory
from tests.conftest import own_queries
from tests.html import soup

pytestmark = pytest.mark.django_db


def site_titles(response):
    return [h.get_text(strip=True) for h in soup(response).select(".search-result .card__title")]


def library_titles(response):
    return [a.get_text(strip=True) for a in soup(response).select(".card-grid--resources .card__title")]


def match_statements(ctx):
    return [q["sql"] for q in ctx.captured_queries if " MATCH " in q["sql"] or "@@" in q["sql"]]


@pytest.fixture
def library(home_page):
    return ResourceLibraryPageFactory(parent=home_page)


@pytest.fixture
def housing(db):
    IssueAreaFactory(slug="climate", name="Climate")  # bench/bulk.py picks one or two areas
    return IssueAreaFactory(slug="housing", name="Housing")


@pytest.fixture
def toolkit(db):
    return ResourceTypeFactory(slug="toolkit", name="Toolkit")


def test_plural_finds_what_singular_finds_through_the_backends_stemming(client, library, housing, toolkit):
    ResourcePageFactory(parent=library, title="Right to counsel", summary="A lawyer for every eviction case.")
    for query in ("eviction", "evictions", "evicted"):
        assert library_titles(client.get("/resources/", {"q": query})) == ["Right to counsel"], query
        assert site_titles(client.get("/search/", {"query": query})) == ["Right to counsel"], query


def test_site_search_ranks_a_title_match_above_a_body_match(client, library, housing, toolkit):
    StandardPageFactory(
        parent=library.get_parent(),
        title="About the network",
        body=[("paragraph", "<p>Members work on housing, budgets and housing policy everywhere.</p>")],
    )
    ResourcePageFactory(parent=library, title="Housing trust funds", summary="How cities pay for homes.")
    assert site_titles(client.get("/search/", {"query": "housing"})) == ["Housing trust funds", "About the network"]


def test_a_long_page_with_every_word_in_its_title_beats_a_short_page_that_repeats_them(client, library):
    """bm25 divides by the whole entry's length and saturates repeats: the seed's article, "Governing is
    a Team Sport", came second to a pillar page that only mentions team sports, before titles came first."""
    filler = " ".join(
        f"Paragraph {n} tells how councils in many cities share the work of governing." for n in range(40)
    )
    StandardPageFactory(
        parent=library.get_parent(),
        title="Collaborative governing",
        body=[
            ("paragraph", "<p>A team sport. Like any team sport, governing takes a team: team sport, team sport.</p>")
        ],
    )
    StandardPageFactory(
        parent=library.get_parent(),
        title="Governing is a team sport: introducing the Leadership Collaborative",
        body=[("paragraph", f"<p>{filler}</p>")],
    )
    assert site_titles(client.get("/search/", {"query": "team sport"})) == [
        "Governing is a team sport: introducing the Leadership Collaborative",
        "Collaborative governing",
    ]


def test_results_are_labelled_in_words_people_use(client, library, housing, toolkit):
    ResourcePageFactory(parent=library, title="Tenant toolkit", resource_type=toolkit)
    StandardPageFactory(parent=library.get_parent(), title="Tenant organising", body=[])
    page = soup(client.get("/search/", {"query": "tenant"}))
    labels = {
        li.select_one(".card__title").get_text(strip=True): li.select_one(".search-result__type").get_text(strip=True)
        for li in page.select(".search-result")
    }
    assert labels == {"Tenant toolkit": "Resource: Toolkit", "Tenant organising": "Page"}


def test_library_title_names_its_filters_and_query(client, library, housing, toolkit):
    ResourcePageFactory(parent=library, title="Eviction defence", resource_type=toolkit, issue_areas=[housing])
    page = soup(client.get("/resources/", {"issue": "housing", "type": "toolkit", "q": "eviction"}))
    assert page.title.get_text().startswith(f"{library.title}: Housing, Toolkit, “eviction” |")
    assert soup(client.get("/resources/")).title.get_text().startswith(f"{library.title} |")


@pytest.mark.parametrize(
    "url",
    [
        "/resources/?q=housing",
        "/resources/?q=housing&issue=housing&type=toolkit",
        "/search/?query=housing",
        # A page past the end shows the last page (Paginator), from the same match.
        "/resources/?q=housing&page=999",
        "/search/?query=housing&page=999",
    ],
)
def test_the_full_text_match_runs_once_per_request(client, library, housing, toolkit, url):
    ResourcePageFactory(parent=library, title="Housing toolkit", resource_type=toolkit, issue_areas=[housing])
    ids = bulk_create_resources(library, 60)
    from search import index as search_index

    search_index.add_bulk(ResourcePage, list(ResourcePage.objects.filter(pk__in=ids)))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(match_statements(ctx)) == 1, match_statements(ctx)


def test_a_page_past_the_end_shows_the_last_page_from_the_one_match(client, library, housing, toolkit):
    """30 title matches and 10 body-only: the first page needs only the title group ranked, the last page
    (4 of the body-only ones) every match. Asked first for page 99, the search ranks as far as that
    page needs (everything), and the last page it falls back to is the one asking for it shows."""
    for n in range(30):
        ResourcePageFactory(parent=library, title=f"Quokka plan {n}", summary="Plans.")
    for n in range(10):
        ResourcePageFactory(parent=library, title=f"Plan {n}", summary="quokka " * (n % 3 + 1))
    last = client.get("/resources/", {"q": "quokka", "page": 4})
    past = client.get("/resources/", {"q": "quokka", "page": 99})
    assert len(library_titles(last)) == 4
    assert library_titles(past) == library_titles(last)
    assert site_titles(client.get("/search/", {"query": "quokka", "page": 99})) == site_titles(
        client.get("/search/", {"query": "quokka", "page": 4})
    )


def test_facet_counts_come_from_the_matched_results(client, library, housing, toolkit):
    other = IssueAreaFactory(slug="workers", name="Workers")
    ResourcePageFactory(parent=library, title="Housing toolkit", resource_type=toolkit, issue_areas=[housing])
    ResourcePageFactory(parent=library, title="Housing and wages", issue_areas=[housing, other])
    ResourcePageFactory(parent=library, title="Wage theft", issue_areas=[other])
    page = soup(client.get("/resources/", {"q": "housing"}))
    nav = page.find("nav", attrs={"aria-labelledby": "facet-issue"})
    counts = {
        option.select_one(".facet__label").get_text(strip=True): int(
            re.search(r"\d+", option.select_one(".facet__count").get_text()).group()
        )
        for option in nav.select(".facet__option")
    }
    # "Wage theft" is a Workers resource but does not match "housing": not counted.
    assert counts == {"Climate": 0, "Housing": 2, "Workers": 1}
    response = client.get("/resources/", {"q": "housing", "issue": "workers"})
    assert library_titles(response) == ["Housing and wages"]


def test_a_match_comes_back_as_bits_not_a_row_per_match(client, library, housing, toolkit, monkeypatch):
    """130 resources match "quokka", 14 of them in their title: the statement returns the 14 it ranks and
    the rest as 64-entry words of bits; the total and the counts still come from all 130."""
    for n in range(14):
        ResourcePageFactory(parent=library, title=f"Quokka plan {n}", issue_areas=[housing])
    ids = bulk_create_resources(library, 116)
    ResourcePage.objects.filter(pk__in=ids).update(summary="Quokkas for everyone.")
    from search import index as search_index

    search_index.add_bulk(ResourcePage, list(ResourcePage.objects.filter(pk__in=ids)))
    statements = []
    original = fulltext.run_bounded

    def run(sql, params, **kwargs):
        rows = original(sql, params, **kwargs)
        statements.append(rows)
        return rows

    monkeypatch.setattr(fulltext, "run_bounded", run)
    response = client.get("/resources/", {"q": "quokka"})
    (rows,) = statements
    ranked = [row for row in rows if row[0] == 1]
    assert len(ranked) == 14
    assert len(rows) - len(ranked) <= 130 // 64 + 2
    assert "130 resources for “quokka”" in " ".join(soup(response).get_text().split())
    issue = soup(response).find("nav", attrs={"aria-labelledby": "facet-issue"})
    option = issue.find(string="Housing").find_parent(class_="facet__option")
    count = int(re.search(r"\d+", option.select_one(".facet__count").get_text()).group())
    assert count == ResourcePage.objects.filter(issue_areas=housing).count() > 14


@pytest.mark.parametrize("ids", [[], [0], [63], [0, 63, 64, 127, 128], list(range(0, 1000, 7)), [5000]])
def test_bitsets_hold_exactly_their_ids(ids):
    bits = fulltext.bitset(ids)
    assert fulltext.members(bits) == sorted(ids)
    assert bits.bit_count() == len(ids)
    # As the statement sends them: a signed 64-bit integer per word of 64 entries (entry 63 is the sign bit).
    words = {}
    for entry in ids:
        words[entry >> 6] = words.get(entry >> 6, 0) | 1 << (entry & 63)
    rows = [(0, word, value - (1 << 64) if value >= 1 << 63 else value, None) for word, value in words.items()]
    found = fulltext._match([*rows, (1, 9, None, -2.5)])
    assert found.entries == bits
    assert found.scored == [(9, -2.5)]


def test_queries_are_bounded_in_length_and_words():
    long = "housing " * 100
    assert len(fulltext.clean_query(long)) <= fulltext.MAX_QUERY_LENGTH
    assert len(fulltext.search_terms(long).split()) == fulltext.MAX_TERMS
    assert fulltext.search_terms('"housing" AND (NEAR) *') == "housing AND NEAR"


def test_fts_syntax_words_are_searched_as_words(client, library, housing, toolkit):
    ResourcePageFactory(parent=library, title="Near and far", summary="Transit AND buses")
    for query in ("near", "AND", "NOT OR", '"quoted'):
        assert client.get("/resources/", {"q": query}).status_code == 200
        assert client.get("/search/", {"query": query}).status_code == 200


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own interruption; PostgreSQL below")
def test_a_search_that_runs_out_of_time_says_so_instead_of_failing(client, library, housing, toolkit, settings):
    ids = bulk_create_resources(library, 300)
    from search import index as search_index

    search_index.add_bulk(ResourcePage, list(ResourcePage.objects.filter(pk__in=ids)))
    settings.SEARCH_TIMEOUT_MS = 0
    fulltext.SQLITE_PROGRESS_STEPS = 50
    try:
        response = client.get("/search/", {"query": "housing"})
        library_response = client.get("/resources/", {"q": "housing"})
    finally:
        fulltext.SQLITE_PROGRESS_STEPS = 10_000
    assert response.status_code == 503
    assert "took too long" in response.content.decode()
    assert library_response.status_code == 200
    assert "took too long" in library_response.content.decode()
    settings.SEARCH_TIMEOUT_MS = 2000
    assert "took too long" not in client.get("/resources/", {"q": "housing"}).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
def test_public_search_runs_under_a_statement_timeout_on_postgresql(client, library, housing, toolkit, settings):
    settings.SEARCH_TIMEOUT_MS = 1234
    ResourcePageFactory(parent=library, title="Housing toolkit")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/resources/", {"q": "housing"})
    sql = [q["sql"] for q in ctx.captured_queries]
    timeout_at = next(i for i, q in enumerate(sql) if "statement_timeout" in q and "1234" in q)
    match_at = next(i for i, q in enumerate(sql) if "@@" in q)
    assert timeout_at < match_at
    settings.SEARCH_TIMEOUT_MS = 50
    with pytest.raises(fulltext.SearchTimeout):
        fulltext.run_bounded("SELECT pg_sleep(1)", [])
    assert fulltext.run_bounded("SELECT 1", []) == [(1,)]


@pytest.mark.parametrize("url", ["/search/?query=housing", "/search/?query=housing&page=2", "/resources/?q=housing"])
def test_search_query_count_does_not_grow_with_the_index(client, library, housing, toolkit, url):
    from search import index as search_index

    def grow(count):
        ids = bulk_create_resources(library, count)
        search_index.add_bulk(ResourcePage, list(ResourcePage.objects.filter(pk__in=ids)))

    def queries():
        client.get(url)  # the first visit creates the site settings row, which starts a new cache generation
        client.get(url)  # this one fills the page shell's cache (home/shell.py)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(30)
    small = queries()
    grow(300)
    assert queries() == small


def test_a_page_indexed_after_a_search_is_found_by_the_next_one(client, library, housing, toolkit):
    """In production the index is written by a task after the publish: the search facts kept per content
    generation (entry -> page) must not miss the new entry. Each index write starts a new generation
    (search/index.py)."""
    from home import cache as page_cache
    from search import index as search_index
    from search.indexing import deferred_indexing

    ResourcePageFactory(parent=library, title="Tenant unions", issue_areas=[housing])
    with deferred_indexing():  # saved now, indexed only when the block ends, like a queued task
        later = ResourcePageFactory(parent=library, title="Tenant protections", issue_areas=[housing])
        assert library_titles(client.get("/resources/", {"q": "tenant"})) == ["Tenant unions"]
        assert site_titles(client.get("/search/", {"query": "tenant"})) == ["Tenant unions"]
        before = page_cache.generation()
    assert page_cache.generation() != before
    assert sorted(library_titles(client.get("/resources/", {"q": "tenant"}))) == ["Tenant protections", "Tenant unions"]
    assert sorted(site_titles(client.get("/search/", {"query": "tenant"}))) == ["Tenant protections", "Tenant unions"]
    before = page_cache.generation()
    search_index.remove(later)
    assert page_cache.generation() != before
    assert library_titles(client.get("/resources/", {"q": "tenant"})) == ["Tenant unions"]


def _scored_rows(monkeypatch):
    """For each search's match, how many entries it matched and how many of them were ranked."""
    seen = []
    original = fulltext.ranked_match

    def ranked_match(*args, **kwargs):
        found = original(*args, **kwargs)
        seen.append((found.entries.bit_count(), len(found.scored)))
        return found

    monkeypatch.setattr(fulltext, "ranked_match", ranked_match)
    return seen


def test_only_what_a_page_of_results_needs_is_ranked_and_the_order_stays_the_same(
    client, library, housing, toolkit, monkeypatch
):
    """15 resources hold "zoning" in their title, 20 more only in their summary. The first page (12)
    needs only the title group ranked; the second (13-24) needs every match; the order is the one a full
    ranking gives either way, and the counts always come from every match."""
    for n in range(15):
        ResourcePageFactory(parent=library, title=f"Zoning reform {n}", summary="Land rules.", issue_areas=[housing])
    for n in range(20):
        ResourcePageFactory(parent=library, title=f"Land rules {n}", summary="zoning " * (n % 4 + 1))
    full = [pk for pk, _score in fulltext.match(ResourcePage, "zoning")]
    assert len(full) == 35
    seen = _scored_rows(monkeypatch)
    first = client.get("/resources/", {"q": "zoning"})
    second = client.get("/resources/", {"q": "zoning", "page": 2})
    titles = dict(ResourcePage.objects.values_list("pk", "title"))
    assert library_titles(first) + library_titles(second) == [titles[pk] for pk in full[:24]]
    assert seen == [(35, 15), (35, 35)]  # every match read; the title group, then every one, ranked
    assert "35 resources for “zoning”" in " ".join(soup(first).get_text().split())
    issue = soup(first).find("nav", attrs={"aria-labelledby": "facet-issue"})
    assert "15" in issue.find(string="Housing").find_parent(class_="facet__option").get_text()
    # With a filter the title group is counted among the candidates only: still enough for page 1.
    seen.clear()
    filtered = client.get("/resources/", {"q": "zoning", "issue": "housing"})
    assert library_titles(filtered) == [titles[pk] for pk in full[:12]]
    assert seen == [(35, 15)]


def test_a_warm_search_reads_nothing_but_its_match(client, library, housing, toolkit):
    """The facts a search counts with are kept per content generation by each process, and each card or
    result is a fragment named by its page: once warm, a search is its one statement (and, on
    PostgreSQL, the transaction around its time limit)."""
    for n in range(14):
        ResourcePageFactory(parent=library, title=f"Housing note {n}", issue_areas=[housing], resource_type=toolkit)
    for url in ("/resources/?q=housing", "/search/?query=housing"):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        # The time limit's own statements: its transaction (a savepoint inside the test's) and settings.
        limit = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config", "SET LOCAL")
        statements = [sql for sql in own_queries(ctx.captured_queries) if not sql.startswith(limit)]
        assert len(statements) == 1, statements
        assert len(match_statements(ctx)) == 1
        assert "Housing note 0" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")
def test_the_search_reads_through_indexes_without_changing_the_connections_settings(library, housing):
    ResourcePageFactory(parent=library, title="Housing toolkit")
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
        found = fulltext.ranked_match(ResourcePage, "housing", fulltext.candidate_mask(range(10_000)), 12)
        assert found.entries.bit_count() == 1
        assert len(found.scored) == 1
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("0",)


@pytest.mark.parametrize("offset, limit", [(0, 12), (12, 12), (0, 1), (30, 12), (0, 500), (199, 12), (5, 0)])
def test_best_first_is_the_full_ranking_sliced_ties_to_the_older_page(offset, limit):
    """Only the entries that can be on the page are sorted: the same slice as sorting them all."""
    import random

    rng = random.Random(offset * 1000 + limit)
    scores = [-round(rng.uniform(0, 5), 1) for _ in range(200)]  # one decimal: many ties
    scored = [(entry, score) for entry, score in zip(range(1, 201), scores, strict=True)]
    pages = {entry: 1000 - entry if entry % 3 else entry for entry in range(1, 201) if entry % 17}
    full = sorted((score, pages[entry], entry) for entry, score in scored if entry in pages)
    expected = [entry for _score, _page, entry in full[offset : offset + limit]]
    assert fulltext.best_first(scored, pages, offset, limit) == expected
