"""Trainings & webinars: the index at /trainings/, recurring series and their sessions.

Times are stored as aware datetimes (UTC in the database) with the event's own
IANA time zone beside them; editors type wall-clock times in that zone (see
``forms.EventPageForm``) and visitors read them in Pacific and Eastern time.
Calendar files come from ``ical.py``; the meeting link never leaves the admin.
"""

import datetime
import html
import itertools
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from home.images import lead_image_field
from home.models import SiteSettings, SocialMetaMixin
from home.pagination import paginate
from home.shell import epoch, find_page, parent_page, shared
from library.models import ResourceLibraryPage, resources_sharing_issue_areas
from taxonomy.models import IssueArea, all_issue_areas

from . import ical, listing
from .forms import EventFilterForm, EventPageForm
from .registration.models import EventFormField, Registration, SeriesFormField  # noqa: F401 - models of this app
from .registration.pages import RegistrationPageMixin
from .registration.rules import next_session, notify_change, registration_closed_reason
from .times import DEFAULT_TIMEZONE, long_when, own_zone, short_when, timezone_choices, validate_timezone

UPCOMING_PER_PAGE = 24
PAST_PER_PAGE = 12
SERIES_PAST_LIMIT = 6
RELATED_RESOURCES_LIMIT = 3
MORE_SESSIONS_LIMIT = 3
ONLINE_WORDS = ("zoom", "online", "virtual", "webinar", "teams", "google meet", "webex")
# Changing any of these changes when the event happens: calendar apps need a higher SEQUENCE.
TIME_FIELDS = ("start", "end", "timezone")
# Changing any of these changes what a registrant's calendar entry says: a higher SEQUENCE, and the
# registrants are told (events/registration/rules.py notify_change).
NOTIFY_FIELDS = (*TIME_FIELDS, "location_name", "meeting_url")


def plain_text(rich_text):
    """Rich text as one line of plain text (links expanded first, entities such as &amp; read back)."""
    return html.unescape(" ".join(strip_tags(expand_db_html(rich_text or "")).split()))


def group_by_month(events):
    """[(‘March 2026’, [events])] in the given order, by each event's local start."""
    return [
        (label, list(group))
        for label, group in itertools.groupby(
            events, key=lambda event: date_format(event.local_start, "F Y") if event.start else ""
        )
    ]


class EventPageQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Events that have not ended yet (one happening now is still upcoming), soonest first."""
        return self.filter(end__gt=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        """Events that have ended, newest first."""
        return self.filter(end__lte=now or timezone.now()).order_by("-start", "-pk")

    def for_listing(self):
        """What a card needs, in a fixed number of queries."""
        return self.prefetch_related("issue_areas")


EventPageManager = PageManager.from_queryset(EventPageQuerySet)

# A cancelled session stays in the calendar feeds (as STATUS:CANCELLED) this long after it would have ended,
# even once its page is unpublished: subscribed calendars see it cancelled rather than silently gone.
CANCELLED_IN_FEEDS = datetime.timedelta(days=30)


def feed_sessions(sessions, now=None):
    """Of ``sessions``, what a calendar feed holds: the live public ones, and the cancelled ones (published or
    not) until CANCELLED_IN_FEEDS after their end."""
    now = now or timezone.now()
    cancelled = models.Q(cancelled_at__isnull=False, end__gt=now - CANCELLED_IN_FEEDS)
    return sessions.public().filter(models.Q(live=True) | cancelled)


def attach_series(events):
    """Give each event its series (its parent, when that is a series) with one query for all of them."""
    events = list(events)
    steplen = Page.steplen
    parent_paths = {event.path[:-steplen] for event in events}
    by_path = {}
    if parent_paths:
        by_path = {series.path: series for series in EventSeriesPage.objects.filter(path__in=parent_paths)}
    for event in events:
        event.series = by_path.get(event.path[:-steplen])
    return events


def load_cards(ids, series=None):
    """The events of ``ids`` as cards show them: their issue areas, and their series (``series`` when known)."""
    events = EventPage.objects.filter(pk__in=ids).for_listing()
    if series is None:
        return attach_series(events)
    events = list(events)
    for event in events:
        event.series = series
    return events


class TrainingIndexPage(SocialMetaMixin, RoutablePageMixin, Page):
    """Trainings & Webinars at /trainings/: upcoming sessions by month, past ones on their own page.

    Visitors filter with GET ``series`` (a series' slug) and ``issue`` (an
    issue area's slug); unknown values are ignored. ``past/`` lists what has
    ended, newest first. Series and standalone events live below it.
    """

    intro = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        help_text="A sentence or two under the title: what the trainings are and who they are for.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventSeriesPage", "events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = "trainings index"

    @path("", name="upcoming")
    def upcoming_view(self, request):
        return self.render(request)

    @path("past/", name="past")
    def past_view(self, request):
        return self.render(request, view="past")

    @path("calendar/", name="calendar")
    def calendar_view(self, request):
        """Every training and webinar as a subscription feed (.ics); ``?issue=<slug>`` for one issue area's."""
        sessions = feed_sessions(EventPage.objects.descendant_of(self))
        name = self.title
        slug = request.GET.get("issue")
        if slug is not None:
            area = next((area for area in all_issue_areas() if area.slug == slug), None)
            if area is None:
                raise Http404("No such issue area")
            sessions = sessions.filter(issue_areas=area)
            name = f"{self.title}: {area.name}"
        calendar = ical.build_calendar(
            list(sessions.order_by("start", "pk").prefetch_related("issue_areas")),
            request=request,
            name=name,
            description=plain_text(self.intro),
            uid=ical.series_uid(self, request) if slug is None else f"{ical.series_uid(self, request)}-{slug}",
            feed=True,
        )
        return ical.calendar_response(calendar, f"{self.slug}{'-' + slug if slug else ''}.ics")

    def get_context(self, request, *args, view="upcoming", **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        past = view == "past"
        series_pages = EventSeriesPage.objects.live().public().child_of(self).order_by("title")
        if not past:
            series_pages = series_pages.select_related("lead_image")
        # Both read once per content generation (home/shell.py): the filters and cards of every visitor.
        series_list = shared("training-series", lambda: list(series_pages), self.pk, past)

        def series_cards():
            # "Our series" cards show each series' picture: its renditions come in one query, not one per card.
            # Only when the cards are rendered: they are kept per content generation (home/shell.py fragment).
            prefetch_related_objects(series_list, "lead_image__renditions")
            return series_list

        issue_areas = all_issue_areas()
        filters = EventFilterForm(request.GET, series_pages=series_list, issue_areas=issue_areas)
        chosen = filters.chosen()

        # From the events' facts, kept per content generation: no query once warm (events/listing.py).
        facts = listing.children(chosen["series"]) if chosen["series"] else listing.below(self)
        if chosen["issue"]:
            facts = [fact for fact in facts if chosen["issue"].pk in fact.areas]
        facts = listing.past(facts, now) if past else listing.upcoming(facts, now)

        page_obj = paginate(facts, request.GET.get("page"), PAST_PER_PAGE if past else UPCOMING_PER_PAGE)
        event_list = listing.cards(page_obj.object_list, load_cards)
        context.update(
            {
                "view": view,
                "is_past_view": past,
                "filters": filters,
                "chosen": chosen,
                "series_list": series_list,
                "issue_areas": issue_areas,
                "page_obj": page_obj,
                "paginator": page_obj.paginator,
                "events": event_list,
                "months": group_by_month(event_list),
                "query_string": filters.query_string(),
                "now": now,
                "epoch": epoch(now),
                "library_page": find_page(ResourceLibraryPage),
                "series_cards": SimpleLazyObject(series_cards),
            }
        )
        return context


class EventSeriesPage(SocialMetaMixin, RegistrationPageMixin, RoutablePageMixin, Page):
    """A recurring series such as the Policy & Strategy Primers: introduction, FAQ and its sessions.

    Its sessions are its child EventPages. ``calendar/`` is a subscription
    feed (.ics) holding every live session, past and upcoming.
    """

    intro = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        help_text="What the series is and who it is for, in a short paragraph.",
    )
    lead_image = lead_image_field("series")
    schedule = models.CharField(
        max_length=120,
        blank=True,
        help_text="When it usually meets, e.g. 'Wednesdays at 4pm ET on Zoom'. Shown under the title.",
    )
    timezone = models.CharField(
        max_length=64,
        default=DEFAULT_TIMEZONE,
        validators=[validate_timezone],
        help_text="The time zone its sessions are usually run in. A new session of this series starts in it "
        "(each session can still choose another).",
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        help_text="More about the series; add an FAQ block for questions like 'Can I invite my staff?'.",
    )
    followup_attended_text = models.TextField(
        blank=True,
        verbose_name="thank-you note to attendees",
        help_text="Emailed an hour after a session ends to everyone marked attended, above the recording, slides, "
        "related resources and the rating links. Plain text; leave empty for the standard note.",
    )
    followup_no_show_text = models.TextField(
        blank=True,
        verbose_name="note to registrants who missed it",
        help_text="Emailed an hour after a session ends to everyone marked no-show, above the recording and the "
        "series' next session. Plain text; leave empty for the standard note.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("schedule"),
        FieldPanel("lead_image"),
        FieldPanel("timezone", widget=forms.Select(choices=timezone_choices())),
        FieldPanel("body"),
        InlinePanel(
            "form_fields",
            label="Question",
            heading="Registration questions for every session",
            help_text="Asked when members register for any session of this series (on top of name, email, "
            "role and jurisdiction).",
        ),
        MultiFieldPanel(
            [FieldPanel("followup_attended_text"), FieldPanel("followup_no_show_text")],
            heading="Follow-up emails after each session",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("schedule"),
        index.SearchField("body"),
    ]

    parent_page_types = ["events.TrainingIndexPage"]
    subpage_types = ["events.EventPage"]
    is_series = True

    class Meta:
        verbose_name = "event series"
        verbose_name_plural = "event series"

    def sessions(self):
        return EventPage.objects.live().public().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        # From the events' facts, kept per content generation: no query once warm (events/listing.py).
        facts = listing.children(self)
        upcoming = listing.upcoming(facts, now)
        past = listing.past(facts, now)
        shown = listing.cards(upcoming + past[:SERIES_PAST_LIMIT], partial(load_cards, series=self))
        upcoming, past_shown = shown[: len(upcoming)], shown[len(upcoming) :]
        context.update(
            {
                "upcoming_sessions": upcoming,
                "upcoming_months": group_by_month(upcoming),
                "past_sessions": past_shown,
                "more_past": len(past) > SERIES_PAST_LIMIT,
                "index_page": parent_page(self),
                "now": now,
                "epoch": epoch(now),
                "library_page": find_page(ResourceLibraryPage),
                "series_form": self.registration_form(request, now),
            }
        )
        return context

    @path("calendar/", name="calendar")
    def calendar_view(self, request):
        sessions = feed_sessions(EventPage.objects.child_of(self))
        events = list(sessions.order_by("start", "pk").prefetch_related("issue_areas"))
        calendar = ical.build_calendar(
            events,
            request=request,
            name=self.title,
            description=plain_text(self.intro) or self.schedule,
            uid=ical.series_uid(self, request),
            feed=True,
        )
        return ical.calendar_response(calendar, f"{self.slug}.ics")


class EventPage(SocialMetaMixin, RegistrationPageMixin, RoutablePageMixin, Page):
    """One training or webinar session: when (in its own zone, PT and ET), where, what, and its recording.

    Its parent is its series, or the trainings index for a standalone event.
    ``calendar/`` downloads it as an .ics file. ``meeting_url`` is for
    registrants only (emailed by the registration feature): no template,
    feed or calendar file reads it. ``sequence`` counts changes of time for
    calendar apps and is bumped in ``save()``.
    """

    start = models.DateTimeField(help_text="When it starts, in the event's time zone.")
    end = models.DateTimeField(help_text="When it ends, in the event's time zone. Must be after the start.")
    timezone = models.CharField(
        max_length=64,
        default=DEFAULT_TIMEZONE,
        validators=[validate_timezone],
        help_text="The time zone you type the start and end in: where the session is run from (e.g. Pacific "
        "time for a Los Angeles host). New sessions of a series start with the series' zone. Visitors also see "
        "the time in Pacific and Eastern time.",
    )
    location_name = models.CharField(
        max_length=150,
        blank=True,
        default="Zoom",
        help_text="Where it happens as members should read it: 'Zoom', or a venue and city.",
    )
    meeting_url = models.URLField(
        blank=True,
        max_length=500,
        verbose_name="meeting URL",
        help_text="The Zoom (or other) link. Private: never shown on the site or in calendar files; "
        "only confirmed registrants receive it by email.",
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many people can register. Leave empty for no limit."
    )
    registration_closes = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When registration closes, in the event's time zone. Must not be after the end. "
        "Leave empty to accept registrations until it ends.",
    )
    requires_approval = models.BooleanField(
        default=False, help_text="Tick if staff approve each registration before it is confirmed."
    )
    issue_areas = ParentalManyToManyField(
        IssueArea,
        blank=True,
        related_name="events",
        help_text="The issues it covers; members filter trainings by these, and related resources follow them. "
        "Missing an issue area? Ask a Communications lead to add it (Snippets in the admin menu).",
    )
    description = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="What the session covers and who should come."
    )
    recording_url = models.URLField(
        blank=True,
        max_length=500,
        verbose_name="recording URL",
        help_text="Once it has happened: where to watch the recording (YouTube, Vimeo, a library resource).",
    )
    slides_url = models.URLField(
        blank=True,
        max_length=500,
        verbose_name="slides URL",
        help_text="Once it has happened: the slides or handout (a document's link, Google Slides). Sent to "
        "attendees in the follow-up email.",
    )
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Revision number for calendar apps (iCalendar SEQUENCE); grows whenever the time, place or "
        "meeting link changes, and when the session is cancelled.",
    )
    cancelled_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the session was cancelled (Sessions → Cancel this session, or unpublished with people "
        "registered). Empty while it goes ahead.",
    )
    cancellation_message = models.TextField(
        blank=True, editable=False, help_text="Staff's note to registrants when it was cancelled."
    )

    objects = EventPageManager()

    base_form_class = EventPageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("timezone", widget=forms.Select(choices=timezone_choices())),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            ],
            heading="When",
        ),
        MultiFieldPanel([FieldPanel("location_name"), FieldPanel("meeting_url")], heading="Where"),
        FieldPanel("description"),
        FieldPanel("issue_areas", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("capacity"), FieldPanel("registration_closes"), FieldPanel("requires_approval")],
            heading="Registration",
        ),
        InlinePanel(
            "form_fields",
            label="Question",
            heading="Registration questions for this session",
            help_text="Leave empty to ask the series' questions.",
        ),
        MultiFieldPanel([FieldPanel("recording_url"), FieldPanel("slides_url")], heading="After the session"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.SearchField("location_name"),
        index.RelatedFields("issue_areas", [index.SearchField("name")]),
        index.FilterField("start"),
        index.FilterField("end"),
    ]

    parent_page_types = ["events.TrainingIndexPage", "events.EventSeriesPage"]
    subpage_types = []

    class Meta:
        verbose_name = "event"
        ordering = ["start"]

    # --- derived values ----------------------------------------------------

    @cached_property
    def series(self):
        """The EventSeriesPage this session belongs to, or None for a standalone event."""
        parent = parent_page(self)
        return parent if isinstance(parent, EventSeriesPage) else None

    @property
    def zone(self):
        return own_zone(self.timezone)

    @property
    def local_start(self):
        return self.start.astimezone(self.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.zone)

    @property
    def when(self):
        """Card format: {'date': 'Thu, Feb 22', 'times': '1pm PT / 4pm ET', 'text': ...}."""
        return short_when(self.start, self.timezone)

    @property
    def when_long(self):
        return long_when(self.start, self.end, self.timezone)

    def has_ended(self, now=None):
        return self.end <= (now or timezone.now())

    def get_admin_display_title(self):
        """The title with its start, so sessions sharing a title across a series stay apart in the admin.

        'Policy primer (Thu, Feb 22, 2026 · 1pm PT / 4pm ET · past)'.
        """
        title = super().get_admin_display_title()
        if not self.start or not self.end:
            return title
        when = short_when(self.start, self.timezone)
        ended = " · past" if self.has_ended() else ""
        return f"{title} ({when['date']}, {self.local_start:%Y} · {when['times']}{ended})"

    def is_happening(self, now=None):
        now = now or timezone.now()
        return self.start <= now < self.end

    @property
    def is_online(self):
        """Online when the location says so (Zoom, online, virtual...) or only a meeting link is given."""
        location = (self.location_name or "").lower()
        if any(word in location for word in ONLINE_WORDS):
            return True
        return not location and bool(self.meeting_url)

    @property
    def description_text(self):
        return plain_text(self.description)

    # --- validation and saving --------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = ValidationError("The end must be after the start.", code="end_before_start")
        if self.registration_closes and self.end and self.registration_closes > self.end:
            errors["registration_closes"] = ValidationError(
                "Registration must close before the event ends.", code="deadline_after_end"
            )
        if self.meeting_url:
            link = self.meeting_url.split("?")[0]
            for name in ("description", "location_name"):
                if link in (getattr(self, name) or ""):
                    errors[name] = ValidationError(
                        "This is shown publicly: keep the meeting link in the 'Meeting URL' field only.",
                        code="meeting_url_public",
                    )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Keep the calendar's SEQUENCE and a cancellation, and tell registrants of a published change.

        Publishing a revision writes every field of the page as the revision had it: a revision
        drafted before the session was cancelled or moved carries the old ``sequence`` and no
        ``cancelled_at``, so both are taken from the row, which holds the latest. A published change
        of time, place or meeting link raises ``sequence`` and, once the row is written (and the
        transaction, if any, committed), emails the registrants with the values it had before.
        """
        update_fields = kwargs.get("update_fields")
        before = None
        if self.pk and (update_fields is None or set(update_fields) & {*NOTIFY_FIELDS, "sequence"}):
            stored = (
                EventPage.objects.filter(pk=self.pk)
                .values(*NOTIFY_FIELDS, "sequence", "cancelled_at", "cancellation_message")
                .first()
            )
            if stored:
                extra = ["sequence"]
                self.sequence = max(self.sequence or 0, stored["sequence"])
                if stored["cancelled_at"] and not self.cancelled_at:
                    self.cancelled_at, self.cancellation_message = (
                        stored["cancelled_at"],
                        stored["cancellation_message"],
                    )
                    extra += ["cancelled_at", "cancellation_message"]
                if any(stored[name] != getattr(self, name) for name in NOTIFY_FIELDS):
                    self.sequence += 1
                    if self.live and not self.cancelled_at:  # published (a draft doesn't touch the row's values)
                        before = {name: stored[name] for name in NOTIFY_FIELDS}
                if update_fields is not None:
                    kwargs["update_fields"] = list(dict.fromkeys([*update_fields, *extra]))
        result = super().save(*args, **kwargs)
        if before is not None:
            # Registered after the row is written: outside a transaction (the admin's publish) it runs at
            # once, and it reads the new values either way.
            transaction.on_commit(partial(notify_change, self.pk, before))
        return result

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    # --- context, structured data, calendar -------------------------------

    def get_related_resources(self, area_ids, limit=RELATED_RESOURCES_LIMIT):
        """Live library resources sharing the most issue areas with this event, newest first."""
        return resources_sharing_issue_areas(area_ids, limit)

    def get_more_sessions(self, now):
        """The next few sessions of the same series."""
        if self.series is None:
            return []
        sessions = list(
            EventPage.objects.live()
            .public()
            .child_of(self.series)
            .exclude(pk=self.pk)
            .filter(cancelled_at__isnull=True)
            .upcoming(now)
            .for_listing()[:MORE_SESSIONS_LIMIT]
        )
        for session in sessions:
            session.series = self.series
        return sessions

    def structured_data(self, request, areas=None):
        """schema.org Event as a dict, for the page's JSON-LD."""
        url = self.get_full_url(request)
        site_settings = SiteSettings.for_request(request)
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "url": url,
            "startDate": self.local_start.isoformat(),
            "endDate": self.local_end.isoformat(),
            "eventStatus": "https://schema.org/EventCancelled"
            if self.is_cancelled
            else "https://schema.org/EventScheduled",
            "organizer": {
                "@type": "Organization",
                "name": site_settings.organisation_name,
                "url": (Site.find_for_request(request) or self.get_site()).root_url + "/",
            },
            "inLanguage": "en-US",
        }
        if self.description_text:
            data["description"] = self.description_text[:500]
        if self.is_online:
            data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
            # The public page, never the meeting link: that goes to registrants only.
            data["location"] = {"@type": "VirtualLocation", "name": self.location_name or "Online", "url": url}
        else:
            data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
            data["location"] = {"@type": "Place", "name": self.location_name, "address": self.location_name}
        if self.capacity:
            data["maximumAttendeeCapacity"] = self.capacity
        if self.series is not None:
            data["superEvent"] = {
                "@type": "EventSeries",
                "name": self.series.title,
                "url": self.series.get_full_url(request),
            }
        names = [area.name for area in (self.issue_areas.all() if areas is None else areas)]
        if names:
            data["keywords"] = ", ".join(names)
        if self.recording_url and self.has_ended():
            data["recordedIn"] = {"@type": "CreativeWork", "url": self.recording_url}
        return data

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        # An editor previewing a session that is not live yet sees its registration box as it will be once
        # published (registration itself stays refused until then: the register view reads the stored page).
        preview_as_live = bool(getattr(request, "is_preview", False)) and not self.live
        was_live = self.live
        if preview_as_live:
            self.live = True
        try:
            registration = {
                "registration_closed_reason": registration_closed_reason(self, now),
                "registration_form": self.registration_form(request, now),
            }
        finally:
            self.live = was_live
        context["preview_as_live"] = preview_as_live
        context.update(registration)
        context["seats"] = listing.seats(self, request) if registration["registration_form"] is not None else None
        areas = listing.issue_areas_of(self, request)
        context.update(
            {
                "now": now,
                "has_ended": self.has_ended(now),
                "is_happening": self.is_happening(now),
                "issue_area_list": areas,
                # Read only when the template renders them: that part is kept per content generation and epoch.
                "epoch": epoch(now),
                "related_resources": SimpleLazyObject(lambda: self.get_related_resources([area.pk for area in areas])),
                "more_sessions": SimpleLazyObject(lambda: self.get_more_sessions(now)),
                "index_page": parent_page(self) if self.series is None else parent_page(self.series),
                "structured_data": self.structured_data(request, areas),
                "google_calendar_url": ical.google_calendar_url(self, self.get_full_url(request)),
                "next_session": SimpleLazyObject(lambda: next_session(self, now)) if self.is_cancelled else None,
                "registration_closed": bool(self.registration_closes and self.registration_closes <= now),
                "registration_closes_text": (
                    short_when(self.registration_closes, self.timezone)["text"] if self.registration_closes else ""
                ),
            }
        )
        return context

    def questions_page(self):
        """Whose extra questions this session asks: its own, else its series'."""
        if self.form_fields.exists() or self.series is None:
            return self
        return self.series

    @path("calendar/", name="calendar")
    def calendar_view(self, request):
        calendar = ical.build_calendar([self], request=request, name=self.title)
        return ical.calendar_response(calendar, f"{self.slug}.ics")
