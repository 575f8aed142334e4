"""Benchmark: the staff inboxes at volume, in-process.

    make bench                                   # SQLite in a temporary file
    DATABASE_URL=postgres://.../lpsite_bench_inboxes .venv/bin/python bench/inboxes.py   # a fresh, empty database

Seeds the demo, then grows it to ``BENCH_HELPDESK`` Help Desk requests (5,000) and ``BENCH_REGISTRATIONS``
registrations (20,000, spread over the demo's sessions), written with ``bulk_create`` as the forms would
leave them. As a superuser (every column, filter and action shown) it prints the median time and the
queries of each inbox list, filter, search and export, the member timeline and the reports. Target: every
list, filter, search, timeline and report at most 300 ms (printed, never asserted).
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inprocess import setup  # noqa: E402

setup()

import contextlib  # noqa: E402
import io  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from events.models import EventPage  # noqa: E402
from events.registration.models import Registration  # noqa: E402
from events.registration.statuses import Status as RegistrationStatus  # noqa: E402
from helpdesk.models import HelpDeskPage, HelpDeskRequest, RequestActivity  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
HELPDESK = int(os.environ.get("BENCH_HELPDESK", "5000"))
REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "20000"))
TARGET_MS = 300
BATCH = 1000


def grow():
    rng = random.Random(28)
    page = HelpDeskPage.objects.first()
    now = timezone.now()
    statuses = [value for value, _label in HelpDeskRequest.Status.choices]
    categories = [value for value, _label in HelpDeskRequest.Category.choices]
    have = HelpDeskRequest.objects.count()
    rows = []
    for n in range(have, HELPDESK):
        email = f"member{n % 1500}@example.org"
        rows.append(
            HelpDeskRequest(
                page=page,
                reference=f"HD-2026-{n + 1000:05d}",
                name=f"Member {n % 1500}",
                email=email,
                role="elected",
                jurisdiction="Hillsborough, NC",
                category=rng.choice(categories),
                question=f"Question {n} about eviction ordinances?",
                details="We are drafting a just-cause eviction ordinance and want examples.",
                status=rng.choice(statuses),
                due_date=(now + timezone.timedelta(days=rng.randint(-10, 10))).date(),
                form_data={"name": f"Member {n % 1500}", "email": email},
            )
        )
    HelpDeskRequest.objects.bulk_create(rows, batch_size=BATCH)
    # Each grown request has a reply and a status change in its thread (the Help Desk report reads them).
    activities = []
    for pk, created, status in HelpDeskRequest.objects.filter(reference__startswith="HD-2026-0").values_list(
        "pk", "created_at", "status"
    ):
        activities.append(
            RequestActivity(
                request_id=pk,
                kind="reply",
                text="Here are examples.",
                created_at=created + timezone.timedelta(hours=rng.randint(1, 72)),
            )
        )
        activities.append(
            RequestActivity(
                request_id=pk,
                kind="status",
                data={"to": status},
                created_at=created + timezone.timedelta(hours=rng.randint(73, 200)),
            )
        )
    RequestActivity.objects.bulk_create(activities, batch_size=BATCH)
    events = list(EventPage.objects.all())
    statuses = [RegistrationStatus.CONFIRMED] * 6 + [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED]
    have = Registration.objects.count()
    rows = []
    for n in range(have, REGISTRATIONS):
        email = f"registrant{n}@example.org"
        rows.append(
            Registration(
                page=events[n % len(events)],
                event=events[n % len(events)],
                name=f"Registrant {n}",
                email=email,
                role="elected",
                organisation="Durham, NC",
                status=rng.choice(statuses),
                form_data={"name": f"Registrant {n}", "email": email},
            )
        )
    Registration.objects.bulk_create(rows, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def urls():
    event = Registration.objects.values_list("event_id", flat=True).first()
    return {
        "help desk: list": "/admin/helpdesk/helpdeskrequest/",
        "help desk: status filter": "/admin/helpdesk/helpdeskrequest/?status__exact=new",
        "help desk: search": "/admin/helpdesk/helpdeskrequest/?q=eviction",
        "help desk: overdue": "/admin/helpdesk/helpdeskrequest/?due=overdue",
        "help desk: page 40": "/admin/helpdesk/helpdeskrequest/?p=40",
        "registrations: list": "/admin/events/registration/",
        "registrations: session": f"/admin/events/registration/?event__page_ptr__exact={event}",
        "registrations: status": "/admin/events/registration/?status__exact=waitlisted",
        "registrations: search": "/admin/events/registration/?q=registrant1234",
        "registrations: page 200": "/admin/events/registration/?p=200",
        "sessions": "/admin/sessions/",
        "interest: list": "/admin/collaborative/collaborativeinterest/",
        "registrations: session CSV": f"/admin/events/registration/?event__page_ptr__exact={event}&export=csv",
        "help desk: CSV": "/admin/helpdesk/helpdeskrequest/?export=csv",
        "registrations: CSV": "/admin/events/registration/?export=csv",
        "registrations: XLSX": "/admin/events/registration/?export=xlsx",
        "member timeline": "/admin/members/?email=member7%40example.org",
        "member search": "/admin/members/?q=member+12",
        "help desk report: 90 days": "/admin/reports/helpdesk/",
        "help desk report: a year": f"/admin/reports/helpdesk/?start={timezone.localdate().year}-01-01&end="
        f"{timezone.localdate():%Y-%m-%d}",
        "help desk report: CSV": "/admin/reports/helpdesk/?export=csv",
        "impact report: this quarter": "/admin/reports/impact/",
        "impact report: a year": f"/admin/reports/impact/?start={timezone.localdate().year}-01-01&end="
        f"{timezone.localdate():%Y-%m-%d}",
    }


def measure(client, url):
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return statistics.median(timings) * 1000, len(queries.captured_queries)


def main():
    call_command("migrate", verbosity=0, interactive=False)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("seed_demo", verbosity=0)
    grow()
    settings.DEBUG = False
    user = get_user_model().objects.filter(is_superuser=True).first()
    client = Client()
    client.force_login(user)
    print(
        f"{connection.vendor}: {HelpDeskRequest.objects.count():,} Help Desk requests, "
        f"{Registration.objects.count():,} registrations; target {TARGET_MS} ms for lists, filters, searches"
    )
    print(f"{'screen':<32} {'ms':>8} {'queries':>8}")
    for name, url in urls().items():
        client.get(url)
        ms, queries = measure(client, url)
        export = "CSV" in name or "XLSX" in name
        verdict = "" if export else ("ok" if ms <= TARGET_MS else "ABOVE TARGET")
        print(f"{name:<32} {ms:>8.0f} {queries:>8}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
