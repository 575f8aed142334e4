"""Create many resources fast, for the query-budget tests and the benchmark.

Wagtail pages are multi-table models in a materialised-path tree, which
Django's ``bulk_create`` cannot write. This writes the same rows directly:
the ``wagtailcore_page`` rows with their tree paths, the ResourcePage rows,
the issue-area links, then fixes the parent's child count. The pages are as
real as ones made in the admin (live, routable, searchable once indexed).
"""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from home import cache as page_cache
from library.models import ResourcePage
from library.states import US_STATES
from ops.dbstats import refresh_sqlite_statistics
from taxonomy.models import IssueArea, ResourceType

WORDS = [
    "housing", "eviction", "tenant", "counsel", "safety", "responder", "budget", "worker", "wage", "oversight",
    "police", "surveillance", "immigrant", "municipal", "benefits", "zoning", "hire", "ordinance", "toolkit",
    "primer", "equity", "finance", "transit", "climate",
]  # fmt: skip


@transaction.atomic
def bulk_create_resources(library, count, *, seed=1, batch_size=500):
    """Add ``count`` live ResourcePages under ``library``; returns their ids."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not security
    library = Page.objects.get(pk=library.pk)
    areas = list(IssueArea.objects.all())
    types = list(ResourceType.objects.all())
    if not areas or not types:
        raise ValueError("Create issue areas and resource types first.")
    content_type = ContentType.objects.get_for_model(ResourcePage)
    # Not get_children()/get_last_child(): they trust numchild, which this keeps up to date only at the end.
    siblings = Page.objects.filter(path__startswith=library.path, depth=library.depth + 1)
    last_path = siblings.order_by("-path").values_list("path", flat=True).first()
    start = (Page._str2int(last_path[-Page.steplen :]) + 1) if last_path else 1
    today = timezone.localdate()
    now = timezone.now()
    fields = list(ResourcePage._meta.local_concrete_fields)
    ids = []
    for offset in range(0, count, batch_size):
        pages = []
        for i in range(offset, min(offset + batch_size, count)):
            number = start + i
            words = rng.sample(WORDS, 3)
            title = f"{words[0].title()} {words[1]} {words[2]} resource {number}"
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=f"bulk-resource-{number}",
                    content_type=content_type,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    path=library.path + Page._int2str(number).rjust(Page.steplen, "0"),
                    depth=library.depth + 1,
                    numchild=0,
                    url_path=f"{library.url_path}bulk-resource-{number}/",
                    locale_id=library.locale_id,
                )
            )
        Page.objects.bulk_create(pages)
        created = list(
            Page.objects.filter(path__in=[p.path for p in pages]).order_by("path").values_list("pk", flat=True)
        )
        resources = []
        for pk in created:
            resource = ResourcePage(
                page_ptr_id=pk,
                summary=" ".join(rng.choice(WORDS) for _ in range(24)),
                resource_type=rng.choice(types),
                jurisdiction="",
                state=rng.choice(US_STATES)[0] if rng.random() < 0.6 else "",
                published_date=today - datetime.timedelta(days=rng.randrange(0, 3650)),
                external_url="",
                body="[]",
            )
            resources.append(resource)
        ResourcePage._base_manager._insert(resources, fields=fields, raw=True)
        through = ResourcePage.issue_areas.through
        through.objects.bulk_create(
            [
                through(resourcepage_id=pk, issuearea_id=area.pk)
                for pk in created
                for area in rng.sample(areas, rng.randint(1, 2))
            ]
        )
        ids.extend(created)
    Page.objects.filter(pk=library.pk).update(numchild=siblings.count())
    # Rows written without signals: say the content changed, as a page saved in the admin does.
    page_cache.invalidate()
    return ids


def analyze():
    """Fresh planner statistics after a bulk load, as autovacuum gives a live site within a minute.

    Without them PostgreSQL takes the full-text match and the site's pages for a row or two and
    joins them in a nested loop: a search then runs into SEARCH_TIMEOUT_MS (a 503) until autovacuum
    has analysed the tables (docs/scaling.md). Autovacuum also vacuums a table that many rows were
    added to, which moves the new entries of the search index's GIN indexes out of their pending list:
    until then, reading the titles that match took 4 ms instead of 0.3. SQLite: ``ANALYZE``
    (ops/dbstats.py)."""
    refresh_sqlite_statistics()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run inside a transaction: only ANALYZE there (the tests).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
