"""Faceted search of the resource library.

Every step is a fixed number of queries whatever the number of resources:
the full-text match stays a subquery (Wagtail's database backend), the
counts per filter option are one GROUP BY each, and the page of results is
fetched with its type and issue areas prefetched.
"""

from urllib.parse import urlencode

from django.db.models import Count
from django.utils.functional import cached_property

from home.views import search_terms

from .models import IssueArea, ResourcePage, ResourceType
from .states import STATE_NAMES

MAX_QUERY_LENGTH = 200


class LibrarySearch:
    """Reads `q`, `issue`, `type` and `state` from a GET dict; unknown values are ignored."""

    FILTERS = ("issue", "type", "state")

    def __init__(self, library, params):
        self.library = library
        self.query = (params.get("q") or "").strip()[:MAX_QUERY_LENGTH]
        self.terms = search_terms(self.query)
        self.issue_areas = list(IssueArea.objects.all())
        self.resource_types = list(ResourceType.objects.all())
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

    # Querysets

    @cached_property
    def _visible(self):
        # public() looks up view restrictions when called: do it once.
        return ResourcePage.objects.live().public().child_of(self.library)

    def base(self):
        """Live, public resources in this library matching the words searched for."""
        resources = self._visible.all()
        if self.terms:
            # The database backends return a queryset that keeps the match as
            # a subquery and orders by relevance, so it can still be filtered.
            resources = resources.search(self.terms, order_by_relevance=True).get_queryset()
        return resources

    def filtered(self, skip=None):
        resources = self.base()
        if self.issue and skip != "issue":
            resources = resources.filter(issue_areas=self.issue)
        if self.type and skip != "type":
            resources = resources.filter(resource_type=self.type)
        if self.state and skip != "state":
            resources = resources.filter(state=self.state)
        return resources

    def results(self):
        resources = self.filtered()
        if not self.terms:
            resources = resources.order_by("-published_date", "-pk")
        return resources.select_related("resource_type", "lead_image").prefetch_related(
            "issue_areas", "lead_image__renditions"
        )

    # Facets: each option with the number of results it would give

    def _counts(self, skip, field):
        ids = self.filtered(skip=skip).order_by().values("pk")
        rows = (
            ResourcePage.objects.filter(pk__in=ids)
            .order_by()
            .values(field)
            .annotate(n=Count("pk", distinct=True))
            .values_list(field, "n")
        )
        return dict(rows)

    def issue_facets(self):
        counts = self._counts("issue", "issue_areas")
        return [self._option("issue", a.slug, a.name, counts.get(a.pk, 0), self.issue == a) for a in self.issue_areas]

    def type_facets(self):
        counts = self._counts("type", "resource_type")
        return [self._option("type", t.slug, t.name, counts.get(t.pk, 0), self.type == t) for t in self.resource_types]

    def state_facets(self):
        counts = self._counts("state", "state")
        return [
            self._option("state", code, STATE_NAMES[code], n, self.state == code)
            for code, n in sorted(counts.items(), key=lambda item: STATE_NAMES.get(item[0], ""))
            if code
        ]

    # Links

    def params(self, **changes):
        current = {
            "q": self.query,
            "issue": self.issue.slug if self.issue else "",
            "type": self.type.slug if self.type else "",
            "state": self.state,
        }
        current.update(changes)
        return {key: value for key, value in current.items() if value}

    def url_with(self, **changes):
        query = urlencode(self.params(**changes))
        return "?" + query if query else "?"

    def _option(self, name, value, label, count, selected):
        return {
            "name": name,
            "value": value,
            "label": label,
            "count": count,
            "selected": selected,
            "url": self.url_with(**{name: "" if selected else value}),
        }

    @property
    def querystring(self):
        """The current search and filters, for pagination links."""
        return urlencode(self.params())

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
