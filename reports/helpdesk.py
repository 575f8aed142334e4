"""The Help Desk report's figures (Reports → Help Desk, ``/admin/reports/helpdesk/``).

For the requests that arrived in a period (suspected spam left out):

- how many, by category, issue area, the member's state (read from their jurisdiction) and role;
- **first response**: from arrival to the first reply or introduction;
- **resolution**: from arrival to the first time it was resolved or closed;
  both in hours, median and 90th percentile, with the time a case waited on the member left out (it is not the
  Help Desk's time, as Zendesk's SLA clocks pause), read from the thread's status changes;
- per staffer (the assignee): requests, resolved, median first response;
- and, whatever the period, the open backlog now by age.

Two queries for the requests and their threads' replies and status changes, whatever the period's size.
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from helpdesk.models import HelpDeskRequest, RequestActivity

from .states import state_of

Status = HelpDeskRequest.Status
Kind = RequestActivity.Kind
RESPONSES = (Kind.REPLY, Kind.REFERRAL)
DONE = {Status.RESOLVED, Status.CLOSED}
WAITING = Status.WAITING_ON_MEMBER
BACKLOG_AGES = [("Under 2 days", 0, 2), ("2–7 days", 2, 8), ("8–30 days", 8, 31), ("Over 30 days", 31, None)]


def percentile(values, share):
    """The nearest-rank percentile (share 0.5: the median) of ``values``, or None for none."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def hours(delta):
    return round(delta.total_seconds() / 3600, 1)


@dataclass
class Clock:
    """One request's timeline: when it arrived, its status changes, its first response."""

    created: datetime.datetime
    closed: datetime.datetime | None = None  # the request's closed_at: when no status change says so (imported)
    changes: list = field(default_factory=list)  # [(when, status)] in order
    first_response: datetime.datetime | None = None

    def waiting_before(self, moment):
        """Time spent waiting on the member between arrival and ``moment``."""
        waited = datetime.timedelta(0)
        since = None
        for when, status in self.changes:
            if when > moment:
                break
            if status == WAITING and since is None:
                since = when
            elif status != WAITING and since is not None:
                waited += when - since
                since = None
        if since is not None:
            waited += moment - since
        return waited

    def response_time(self):
        if self.first_response is None:
            return None
        return self.first_response - self.created - self.waiting_before(self.first_response)

    def resolution_time(self):
        done = next((when for when, status in self.changes if status in DONE), self.closed)
        if done is None:
            return None
        return done - self.created - self.waiting_before(done)


def clocks(requests, threads):
    """{request id: Clock} for ``requests`` (id, created_at, closed_at), from one query of their threads
    (``threads``: the activities of those requests, filtered by a join rather than a list of ids)."""
    found = {pk: Clock(created=created, closed=closed) for pk, created, closed in requests}
    entries = (
        threads.filter(Q(kind__in=RESPONSES) | Q(kind=Kind.STATUS))
        .annotate(to=KeyTextTransform("to", "data"))
        .order_by("created_at", "pk")
        .values_list("request_id", "kind", "created_at", "to")
    )
    for request_id, kind, when, to in entries:
        clock = found.get(request_id)
        if clock is None:
            continue
        if kind in RESPONSES:
            clock.first_response = clock.first_response or when
        else:
            clock.changes.append((when, to or ""))
    return found


def summary(values):
    return {
        "count": len(values),
        "median": percentile(values, 0.5),
        "p90": percentile(values, 0.9),
    }


def period_bounds(start, end):
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )


def report(start, end, now=None):
    """Every figure of the report for requests that arrived from ``start`` to ``end`` (dates, inclusive)."""
    now = now or timezone.now()
    since, until = period_bounds(start, end)
    in_period = HelpDeskRequest.objects.filter(created_at__gte=since, created_at__lt=until).exclude(status=Status.SPAM)
    rows = list(
        in_period.values_list(
            "pk", "created_at", "status", "category", "role", "jurisdiction", "issue_area__name", "assignee_id",
            "assignee__first_name", "assignee__last_name", "assignee__username", "closed_at",
        )
    )  # fmt: skip
    threads = RequestActivity.objects.filter(request__created_at__gte=since, request__created_at__lt=until).exclude(
        request__status=Status.SPAM
    )
    timings = clocks([(row[0], row[1], row[-1] if row[2] in DONE else None) for row in rows], threads)
    categories = dict(HelpDeskRequest.Category.choices)
    roles = dict(HelpDeskRequest.Role.choices)
    statuses = dict(Status.choices)
    by = {name: Counter() for name in ("category", "issue_area", "state", "role", "status")}
    staff = defaultdict(lambda: {"requests": 0, "resolved": 0, "responses": []})
    responses, resolutions = [], []
    for pk, _created, status, category, role, jurisdiction, area, assignee_id, first, last, username, _c in rows:
        by["category"][categories.get(category, "Not sorted yet")] += 1
        by["issue_area"][area or "None given"] += 1
        by["state"][state_of(jurisdiction) or "Not given"] += 1
        by["role"][roles.get(role, "Not given")] += 1
        by["status"][statuses[status]] += 1
        response, resolution = timings[pk].response_time(), timings[pk].resolution_time()
        if response is not None:
            responses.append(hours(response))
        if resolution is not None:
            resolutions.append(hours(resolution))
        if assignee_id:
            person = staff[(f"{first} {last}".strip() or username)]
            person["requests"] += 1
            person["resolved"] += status in DONE
            if response is not None:
                person["responses"].append(hours(response))
    backlog = Counter()
    for created in HelpDeskRequest.objects.filter(status__in=HelpDeskRequest.OPEN).values_list("created_at", flat=True):
        age = (now - created).days
        label = next(label for label, low, high in BACKLOG_AGES if age >= low and (high is None or age < high))
        backlog[label] += 1
    return {
        "start": start,
        "end": end,
        "total": len(rows),
        "by": {name: sorted(counter.items(), key=lambda item: (-item[1], item[0])) for name, counter in by.items()},
        "first_response": summary(responses),
        "resolution": summary(resolutions),
        "staff": sorted(
            (
                {
                    "name": name,
                    "requests": figures["requests"],
                    "resolved": figures["resolved"],
                    "median_response": percentile(figures["responses"], 0.5),
                }
                for name, figures in staff.items()
            ),
            key=lambda person: (-person["requests"], person["name"]),
        ),
        "backlog": [(label, backlog[label]) for label, _low, _high in BACKLOG_AGES],
    }
