"""The trainings listings (the index, its past page, a series' sessions) read from facts, not the database.

Each live public event's facts (when it starts and ends, its parent, its issue areas) are read in three
queries once per content generation and kept by the process (home/shell.py ``held``). A listing filters,
orders and pages them in Python, and gives the template an :class:`EventCard` per event on its page: it
knows the event's id and times (what a card's fragment is named by and the month headings need) and loads
the events of its page, in one go, only when a card is not kept (``{% wagtailcache %}``). A warm
listing reads nothing from the database; time-bound content follows ``now`` (upcoming, past, happening now).
"""

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from django.apps import apps
from django.db.models import Count, Q
from wagtail.models import Page

from home import cache as page_cache
from home.shell import DeferredPage, deferred_pages, held
from taxonomy.models import all_issue_areas

from .registration.models import Registration
from .registration.seats import SEATS
from .registration.statuses import SEATED, Status
from .times import own_zone


class EventFact(NamedTuple):
    pk: int
    path: str
    parent_path: str
    start: datetime
    end: datetime
    local_start: datetime
    registration_closes: datetime | None
    areas: frozenset
    cancelled: bool


def event_facts():
    """Every live public event, soonest first (then by id), kept per content generation by this process."""
    return held("event-facts", _build)


def _event_page():
    """The EventPage model: events.models imports this module before it defines it."""
    return apps.get_model("events", "EventPage")


def _build():
    EventPage = _event_page()  # noqa: N806 - a model

    areas = defaultdict(set)
    through = EventPage.issue_areas.through
    for event_id, area_id in through.objects.values_list("eventpage_id", "issuearea_id"):
        areas[event_id].add(area_id)
    rows = (
        EventPage.objects.live()
        .public()
        .order_by("start", "pk")
        .values_list("pk", "path", "start", "end", "timezone", "registration_closes", "cancelled_at")
    )
    steplen = Page.steplen
    return tuple(
        EventFact(
            pk,
            path,
            path[:-steplen],
            start,
            end,
            start.astimezone(own_zone(zone)),
            closes,
            frozenset(areas.get(pk, ())),
            cancelled is not None,
        )
        for pk, path, start, end, zone, closes, cancelled in rows
    )


def by_pk():
    """:func:`event_facts` by event id."""
    return held("event-facts-by-pk", lambda: {fact.pk: fact for fact in event_facts()})


def issue_areas_of(event, request):
    """``event``'s issue areas in name order, from the kept facts and the shared list of areas; from the page
    itself in a preview (unsaved choices) or when it is not among the facts (not live, not public)."""
    fact = None if getattr(request, "is_preview", False) else by_pk().get(event.pk)
    if fact is None:
        return list(event.issue_areas.all())
    return [area for area in all_issue_areas() if area.pk in fact.areas]


def below(page):
    """The events below ``page`` (the trainings index), soonest first."""
    return [fact for fact in event_facts() if fact.path.startswith(page.path) and fact.path != page.path]


def children(page):
    """The events whose parent is ``page`` (a series' sessions), soonest first."""
    if not page.path:
        return []  # a new page in preview: nothing below it yet
    return [fact for fact in event_facts() if fact.parent_path == page.path]


def upcoming(facts, now):
    """Those not ended yet (one happening now is still upcoming), soonest first."""
    return [fact for fact in facts if fact.end > now]


def past(facts, now):
    """Those that have ended, newest first."""
    return [fact for fact in reversed(facts) if fact.end <= now]


def open_for_registration(facts, now):
    """Those not started, not cancelled, whose registration has not closed: what a series' form offers."""
    return [
        fact
        for fact in facts
        if fact.start > now
        and not fact.cancelled
        and (fact.registration_closes is None or fact.registration_closes > now)
    ]


class Seats(NamedTuple):
    """A session's seats as a member reads them: how many are left, whether the form adds to the waitlist."""

    capacity: int
    seated: int
    waitlisted: int
    requires_approval: bool

    @property
    def left(self):
        return max(self.capacity - self.seated, 0)

    @property
    def full(self):
        """Full: a new registration goes to the waitlist (not so where staff approve each one first)."""
        return self.left == 0 and not self.requires_approval

    @property
    def next_place(self):
        """The waitlist place a new registration takes."""
        return self.waitlisted + 1


class Counts(NamedTuple):
    seated: int = 0
    waitlisted: int = 0
    pending: int = 0


def seat_counts():
    """{event id: :class:`Counts`} of every session with a registration, kept until the content or any
    seat count changes (a registration bumps its session's seats): one query for all of them, none once
    warm. The public pages' seats and the admin's Sessions listing read it."""
    return held("seat-counts", _seat_counts, scope=SEATS)


def _seat_counts():
    rows = (
        Registration.objects.order_by()
        .values("event_id")
        .annotate(
            seated=Count("pk", filter=Q(status__in=SEATED)),
            waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
            pending=Count("pk", filter=Q(status=Status.PENDING)),
        )
        .values_list("event_id", "seated", "waitlisted", "pending")
    )
    return {event_id: Counts(*numbers) for event_id, *numbers in rows}


def seats(event, request=None):
    """:class:`Seats` of ``event`` when it has a capacity, else None (a preview's own seats are the page's)."""
    if event.capacity is None:
        return None
    if event.pk:
        page_cache.depends_on(f"{SEATS}:{event.pk}")  # the page shows them: a registration there drops it
    counts = seat_counts().get(event.pk, Counts()) if event.pk else Counts()
    return Seats(event.capacity, counts.seated, counts.waitlisted, event.requires_approval)


class EventCard(DeferredPage):
    """An event on a listing: its id and times known, the page loaded (with its batch) on first need."""

    __slots__ = ("end", "local_start", "start")


def cards(facts, load):
    """An :class:`EventCard` per fact, in order; ``load(ids)`` gives the events (series attached)."""
    result = deferred_pages([fact.pk for fact in facts], load, kind=EventCard)
    for card, fact in zip(result, facts, strict=True):
        card.start, card.end, card.local_start = fact.start, fact.end, fact.local_start
    return result
