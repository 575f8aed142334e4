"""Faceted search of the resource library.

With words, one SQL statement per request does the work: the full-text
match (search/engine.py: FTS5 bm25 on SQLite, ts_rank on an indexed vector
on PostgreSQL) gives every matching index entry as a bitset and ranks only
as many as the page shown needs. The count per filter option and the total
come from those bits and the library's facts (:class:`Facts`, kept per
content generation by each process), counted in C with ``&`` and
``int.bit_count()``. Only the page of results shown is then loaded as pages.

Without words (the listing and its filters), one statement reads the page
of ids, joined to the resources and leaving out the few this library does
not show (drafts, restricted; their ids are kept per content generation).
Its counts and total depend only on the filters and the content, so they
are kept per content generation (home/shell.py ``shared``) and counted by
the database (UNION ALL of GROUP BYs) once per filter combination per change.
"""

from collections import Counter
from urllib.parse import quote_plus, urlencode

from django.apps import apps
from django.utils.functional import cached_property
from wagtail.models import Page

from home.shell import NOT_KEPT, deferred_pages, held, shared
from search.engine import (
    RankedSearch,
    SearchTimeout,
    bitset,
    candidate_mask,
    clean_query,
    entry_pages,
    members,
    run_bounded,
    search_terms,
)
from taxonomy.models import ResourceType, all_issue_areas

from .states import STATE_NAMES


def resource_page():
    """The ResourcePage model, by name: library.models imports this module before it defines it."""
    return apps.get_model("library", "ResourcePage")


MAX_QUERY_LENGTH = 200
MAX_PAGE = 100_000
# Up to this many resources left out of the library (drafts, behind a view restriction) are named
# in the statement; past it, the statement joins the library's visible pages instead.
MAX_HIDDEN = 1000


class LibrarySearch:
    """Reads `q`, `issue`, `type` and `state` from a GET dict; unknown values are ignored."""

    FILTERS = ("issue", "type", "state")

    def __init__(self, library, params, *, operator="and"):
        self.library = library
        # "or" ranks resources matching any of the words (the Help Desk's
        # suggestions); the default "and" keeps the library's search strict.
        self.operator = operator
        self.query = clean_query(params.get("q"))
        self.terms = search_terms(self.query)
        self.timed_out = False
        self._ranked = None  # the search's match, once made (search/engine.py RankedSearch)
        # The filter options: snippets, whose saves start a new content generation (home/shell.py).
        self.issue_areas = all_issue_areas()
        self.resource_types = shared("resource-types", lambda: list(ResourceType.objects.all()))
        issue_by_slug = {area.slug: area for area in self.issue_areas}
        type_by_slug = {kind.slug: kind for kind in self.resource_types}
        self.issue = issue_by_slug.get(params.get("issue") or "")
        self.type = type_by_slug.get(params.get("type") or "")
        state = (params.get("state") or "").upper()
        self.state = state if state in STATE_NAMES else ""
        self.ignored = [
            name
            for name, given, known in (
                ("issue area", params.get("issue"), self.issue),
                ("resource type", params.get("type"), self.type),
                ("state", params.get("state"), self.state),
            )
            if given and not known
        ]

    # One statement: the match (once), the visible resources it found, the
    # count per filter option, the total and the page of ids shown.

    @cached_property
    def _visible(self):
        # public() looks up view restrictions when called: do it once.
        # Pages, not ResourcePages: the statement joins the resources table itself.
        return Page.objects.live().public().child_of(self.library)

    @cached_property
    def _hidden(self):
        """The ids of the resources this library does not show (drafts, restricted, elsewhere), or None
        when there are more than MAX_HIDDEN. Kept per content generation, which any publish,
        unpublish, move, delete or view restriction bumps (home/shell.py).

        Usually a handful: leaving them out costs the statement next to nothing, where joining the
        visible pages read every page of the library (a fifth of a search at 10,000 resources)."""

        def build():
            ids = resource_page().objects.exclude(pk__in=self._visible.values("pk")).order_by("pk")
            ids = list(ids.values_list("pk", flat=True)[: MAX_HIDDEN + 1])
            return ids if len(ids) <= MAX_HIDDEN else None

        return shared("library-hidden", build, self.library.pk)

    def _facts(self):
        """What a search needs to know about each resource this library shows, by its search index entry
        (:class:`Facts`): kept by each process per content generation (home/shell.py ``held``)."""
        return held("library-facts", lambda: Facts.build(self._visible), self.library.pk)

    def _visibility(self):
        """SQL condition on ``rp`` (the resources table) keeping what this library shows, and its params."""
        hidden = self._hidden
        if hidden is None:
            visible_sql, visible_params = self._visible.order_by().values("pk").query.sql_with_params()
            return f"rp.page_ptr_id IN ({visible_sql})", list(visible_params)
        if not hidden:
            return "1 = 1", []
        return f"rp.page_ptr_id NOT IN ({', '.join(['%s'] * len(hidden))})", list(hidden)

    def _filters(self, *skip):
        """SQL conditions on the CTE ``r`` for the chosen filters, except those named in ``skip``."""
        through = resource_page().issue_areas.through._meta.db_table
        sql, params = [], []
        if self.issue and "issue" not in skip:
            sql.append(f"EXISTS (SELECT 1 FROM {through} ia WHERE ia.resourcepage_id = r.id AND ia.issuearea_id = %s)")  # noqa: S608
            params.append(self.issue.pk)
        if self.type and "type" not in skip:
            sql.append("r.type_id = %s")
            params.append(self.type.pk)
        if self.state and "state" not in skip:
            sql.append("r.state = %s")
            params.append(self.state)
        return (" AND ".join(sql) or "1 = 1"), params

    def _statement(self, offset, limit, counts=True):
        """The listing without words: one statement for the page of ids, the counts and the total."""
        resources = resource_page()._meta.db_table
        through = resource_page().issue_areas.through._meta.db_table
        visible_sql, visible_params = self._visibility()
        order = "{t}.published_date DESC, {t}.id DESC"
        # Counted, the visible resources are read once into a table of their own; listing only a page of
        # them, the database walks its listing index instead (library_resource_listing), newest first.
        materialized = "MATERIALIZED" if counts else "NOT MATERIALIZED"
        with_sql = (
            f"r AS {materialized} (SELECT rp.page_ptr_id AS id, rp.resource_type_id AS type_id, rp.state AS state, "  # noqa: S608
            f"rp.published_date AS published_date FROM {resources} rp WHERE {visible_sql})"
        )
        params = list(visible_params)
        # The page of results shown: the top-N sort, once.
        where, where_params = self._filters()
        with_sql += (
            f", h AS MATERIALIZED (SELECT r.id, r.published_date FROM r WHERE {where} "  # noqa: S608
            f"ORDER BY {order.format(t='r')} LIMIT %s OFFSET %s)"
        )
        params += [*where_params, limit, offset]
        branches = []
        if counts:
            where, where_params = self._filters("issue")
            branches.append(
                f"SELECT 'issue' AS kind, CAST(ia.issuearea_id AS TEXT) AS k, COUNT(*) AS n FROM r "  # noqa: S608
                f"JOIN {through} ia ON ia.resourcepage_id = r.id WHERE {where} GROUP BY ia.issuearea_id"
            )
            params += where_params
            where, where_params = self._filters("type")
            branches.append(f"SELECT 'type', CAST(r.type_id AS TEXT), COUNT(*) FROM r WHERE {where} GROUP BY r.type_id")  # noqa: S608
            params += where_params
            where, where_params = self._filters("state")
            branches.append(f"SELECT 'state', r.state, COUNT(*) FROM r WHERE {where} GROUP BY r.state")  # noqa: S608
            params += where_params
            where, where_params = self._filters()
            branches.append(f"SELECT 'total', '', COUNT(*) FROM r WHERE {where}")  # noqa: S608
            params += where_params
        # The page of ids, numbered in order (a window over a few rows only), and their issue areas, which
        # the cards list (a query of their own otherwise).
        hits = f"ROW_NUMBER() OVER (ORDER BY {order.format(t='h')})"
        branches.append(f"SELECT 'hit' AS kind, CAST(h.id AS TEXT) AS k, {hits} AS n FROM h")  # noqa: S608
        branches.append(
            f"SELECT 'area', CAST(ia.resourcepage_id AS TEXT), ia.issuearea_id FROM h JOIN {through} ia "  # noqa: S608
            "ON ia.resourcepage_id = h.id"
        )
        return f"WITH {with_sql} " + " UNION ALL ".join(branches), params

    def _filter_key(self):
        """The filters chosen, as values a cache key can hold."""
        return (self.issue.pk if self.issue else "", self.type.pk if self.type else "", self.state)

    def _search(self, offset, limit):
        """A search with words: the one full-text match (search/engine.py) gives the matching resources,
        ranked only as far as the page asked for needs; the counts per filter option and the total come
        from its bits and those of the facts, in this process; the page's issue areas from the facts too."""
        facts = self._facts()
        chosen = {
            "issue": facts.by_issue.get(self.issue.pk, 0) if self.issue else None,
            "type": facts.by_type.get(self.type.pk, 0) if self.type else None,
            "state": facts.by_state.get(self.state, 0) if self.state else None,
        }

        def within(found, *skip):
            for name, entries in chosen.items():
                if entries is not None and name not in skip:
                    found &= entries
            return found

        if self._ranked is None:
            mask = facts.mask(self._filter_key(), within(facts.entries))
            self._ranked = RankedSearch(resource_page(), self.terms, facts.page_of, mask, self.operator)
        match, hits = self._ranked.page(offset, limit)
        self.timed_out = self.timed_out or self._ranked.timed_out
        matched = match.entries & facts.entries
        # Counted in bits: each option's entries among those the other filters keep.
        counts = {
            name: Counter({value: n for value, entries in groups.items() if (n := (found & entries).bit_count())})
            for name, groups in (("issue", facts.by_issue), ("type", facts.by_type), ("state", facts.by_state))
            for found in [within(matched, name)]
        }
        # Each hit's issue areas, in the snippets' own order (as ``resource.issue_areas.all()`` gives them).
        self._hit_areas = {
            facts.page_of[entry]: [area for area in self.issue_areas if area.pk in facts.areas_of[entry]]
            for entry in hits
        }
        return counts, within(matched).bit_count(), [facts.page_of[entry] for entry in hits]

    def _run(self, offset, limit):
        if self.terms:
            return self._search(offset, limit)
        # Without words, the counts and the total depend only on the filters and the content: kept per
        # content generation (home/shell.py), so a listing then reads only its page of ids.
        read = {}

        def build():
            read["result"] = self._read(self._rows(offset, limit))
            counts, total, _ids = read["result"]
            return NOT_KEPT if self.timed_out else (counts, total)

        kept = shared("library-counts", build, self.library.pk, *self._filter_key())
        if "result" in read:
            return read["result"]
        _counts, _total, ids = self._read(self._rows(offset, limit, counts=False))
        counts, total = kept
        return counts, total, ids

    def _rows(self, offset, limit, counts=True):
        sql, params = self._statement(offset, limit, counts=counts)
        try:
            return run_bounded(sql, params)
        except SearchTimeout:
            self.timed_out = True
            return []

    def _read(self, rows):
        counts = {"issue": Counter(), "type": Counter(), "state": Counter()}
        total, hits, areas = 0, [], []
        for kind, key, n in rows:
            if kind == "total":
                total = n
            elif kind == "hit":
                hits.append((n, int(key)))
            elif kind == "area":
                areas.append((int(key), n))
            elif kind == "state":
                counts["state"][key or ""] += n
            elif key is not None:
                counts[kind][int(key)] += n
        # Each hit's issue areas, in the snippets' own order (as ``resource.issue_areas.all()`` gives them).
        position = {area.pk: n for n, area in enumerate(self.issue_areas)}
        by_pk = {area.pk: area for area in self.issue_areas}
        self._hit_areas = {pk: [] for _n, pk in hits}
        for resource_id, area_id in sorted(areas, key=lambda pair: position.get(pair[1], len(position))):
            if resource_id in self._hit_areas and area_id in by_pk:
                self._hit_areas[resource_id].append(by_pk[area_id])
        return counts, total, [pk for _n, pk in sorted(hits)]

    def prepare(self, page_number, per_page):
        """Run the search for this page of results; returns the ids to paginate."""
        try:
            number = max(int(page_number or 1), 1)
        except (TypeError, ValueError):
            number = 1
        # A page number past any real one falls back to the last page (Paginator); cap it so
        # the offset stays a number the database takes (a 20-digit page number was a 500).
        number = min(number, MAX_PAGE)
        offset = (number - 1) * per_page
        self._counts_by_kind, total, ids = self._run(offset, per_page)
        self.result_ids = ResultIds(self, total, offset, ids)
        return self.result_ids

    def results(self, limit):
        """The first ``limit`` resources found, best first (for suggestions elsewhere)."""
        _counts, _total, ids = self._run(0, limit)
        return self.resources(ids)

    def resources(self, ids):
        """The ResourcePages with these ids, in this order, ready for cards."""
        ids = list(ids)
        pages = (
            resource_page()
            .objects.filter(pk__in=ids)
            .defer_streamfields()  # cards show no body
            .select_related("resource_type", "lead_image")
            .prefetch_related("lead_image__renditions")
        )
        known = getattr(self, "_hit_areas", {})
        if not all(pk in known for pk in ids):
            pages = pages.prefetch_related("issue_areas")
        by_pk = {resource.pk: resource for resource in pages}
        for pk, resource in by_pk.items():
            if pk in known:
                resource.card_issue_areas = known[pk]
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def cards(self, ids):
        """The resources with these ids, in this order, for the library's cards: each loaded only when its
        card is drawn, not when the card is kept already (a fragment named by the resource's id,
        templates/library/includes/resource_card.html); the first card drawn loads every one of them in
        one query. A warm library page then reads no page at all."""
        return deferred_pages(ids, self.resources)

    # Facets: each option with the number of results it would give

    def _counts(self, kind):
        if not hasattr(self, "_counts_by_kind"):
            self.prepare(1, 1)
        return self._counts_by_kind[kind]

    def issue_facets(self):
        counts = self._counts("issue")
        return [self._option("issue", a.slug, a.name, counts.get(a.pk, 0), self.issue == a) for a in self.issue_areas]

    def type_facets(self):
        counts = self._counts("type")
        return [self._option("type", t.slug, t.name, counts.get(t.pk, 0), self.type == t) for t in self.resource_types]

    def state_facets(self):
        counts = self._counts("state")
        return [
            self._option("state", code, STATE_NAMES[code], n, self.state == code)
            for code, n in sorted(counts.items(), key=lambda item: STATE_NAMES.get(item[0], ""))
            if code in STATE_NAMES
        ]

    # Links

    def _current(self):
        """Every parameter, in the order links write them, empty ones included."""
        return {
            "q": self.query,
            "issue": self.issue.slug if self.issue else "",
            "type": self.type.slug if self.type else "",
            "state": self.state,
        }

    def params(self, **changes):
        current = {**self._current(), **changes}
        return {key: value for key, value in current.items() if value}

    def url_with(self, **changes):
        query = urlencode(self.params(**changes))
        return "?" + query if query else "?"

    @cached_property
    def _encoded(self):
        """Each current parameter as ``key=value``, URL-encoded once ("" when empty): a facet's 75 option links
        differ from each other in one parameter, and ``urlencode`` of each whole link cost a millisecond a page."""
        return {key: _encoded_pair(key, value) for key, value in self._current().items()}

    def _option_url(self, name, value):
        """``url_with(name=value)``, from the parameters encoded once: the same string."""
        encoded = {**self._encoded, name: _encoded_pair(name, value)}
        return "?" + "&".join(part for part in encoded.values() if part)

    def _option(self, name, value, label, count, selected):
        return {
            "name": name,
            "value": value,
            "label": label,
            "count": count,
            "selected": selected,
            "url": self._option_url(name, "" if selected else value),
        }

    @property
    def querystring(self):
        """The current search and filters, for pagination links."""
        return urlencode(self.params())

    @property
    def view_title(self):
        """The library's title naming its filters and query: "Resource library: Housing, Toolkit"."""
        parts = [choice.name for choice in (self.issue, self.type) if choice]
        if self.state:
            parts.append(STATE_NAMES[self.state])
        if self.query:
            parts.append(f"“{self.query}”")
        return ", ".join(parts)

    @property
    def active_filters(self):
        chips = []
        if self.query:
            chips.append({"label": f"“{self.query}”", "url": self.url_with(q="")})
        if self.issue:
            chips.append({"label": self.issue.name, "url": self.url_with(issue="")})
        if self.type:
            chips.append({"label": self.type.name, "url": self.url_with(type="")})
        if self.state:
            chips.append({"label": STATE_NAMES[self.state], "url": self.url_with(state="")})
        return chips


def _encoded_pair(key, value):
    """``urlencode({key: value})`` for one non-empty value (as ``urlencode`` writes it), "" for an empty one."""
    return f"{key}={quote_plus(str(value))}" if value else ""


class Facts:
    """What a search of a library needs to know about each resource it shows, keyed by the resource's
    search index entry (search/engine.py ``entry_pages``): its page, type, state and issue areas, and the
    entries of each filter option, as bitsets (search/engine.py ``bitset``). A search then counts and
    filters the entries its match found without a join, in bits. Built with three queries; read-only once
    built (home/shell.py ``held``)."""

    def __init__(self, page_of, type_of, state_of, areas_of):
        self.page_of, self.type_of, self.state_of, self.areas_of = page_of, type_of, state_of, areas_of
        self.entries = bitset(page_of)
        self.by_type = self._group(type_of.items())
        self.by_state = self._group(state_of.items())
        self.by_issue = self._group((entry, area) for entry, areas in areas_of.items() for area in areas)
        self._masks = {}

    def mask(self, key, entries):
        """``candidate_mask`` of the filters ``key`` (``entries``, a bitset), kept with the facts (the one
        thing added to them once built: a few per library, each the same whenever built)."""
        mask = self._masks.get(key)
        if mask is None:
            if len(self._masks) >= 64:
                self._masks.clear()
            mask = self._masks[key] = candidate_mask(members(entries))
        return mask

    @staticmethod
    def _group(pairs):
        groups = {}
        for entry, value in pairs:
            groups.setdefault(value, []).append(entry)
        return {value: bitset(entries) for value, entries in groups.items()}

    @classmethod
    def build(cls, visible):
        resources = resource_page().objects.filter(pk__in=visible.values("pk"))
        rows = list(resources.values_list("pk", "resource_type_id", "state"))
        page_of = entry_pages(resource_page(), (row[0] for row in rows))
        entry_of = {page: entry for entry, page in page_of.items()}
        areas = {}
        through = resource_page().issue_areas.through.objects.filter(resourcepage__in=resources)
        for page, area in through.values_list("resourcepage_id", "issuearea_id"):
            areas.setdefault(page, []).append(area)
        type_of, state_of, areas_of = {}, {}, {}
        for page, kind, state in rows:
            entry = entry_of.get(page)
            if entry is not None:
                type_of[entry], state_of[entry] = kind, state or ""
                areas_of[entry] = tuple(areas.get(page, ()))
        return cls(page_of, type_of, state_of, areas_of)


class ResultIds:
    """The ids of the results, sized for Django's Paginator: the page asked for is already fetched."""

    def __init__(self, search, total, offset, ids):
        self.search, self.total, self.offset, self.ids = search, total, offset, ids

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, min(index.stop if index.stop is not None else self.total, self.total)
        if start == self.offset and stop - start <= len(self.ids):
            return self.ids[: stop - start]
        # A page number past the end: Paginator falls back to the last page.
        _counts, _total, ids = self.search._run(start, max(stop - start, 0))
        return ids
