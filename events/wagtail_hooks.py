"""Trainings hooks: the home page's upcoming trainings, Events staff rights, and the demo content."""

from django.db.models import prefetch_related_objects
from django.utils import timezone
from wagtail import hooks

from home.models import HOME_SECTIONS_HOOK
from home.shell import find_page, public_q
from library.models import IssueArea

from .demo import seed_events
from .models import EventPage, TrainingIndexPage, attach_series
from .roles import grant_events_staff_page_rights

NEXT_ON_HOME = 3


@hooks.register(HOME_SECTIONS_HOOK)
def upcoming_trainings_section(request, home_page):
    """The next three trainings, and links to the trainings on each issue that has one coming up."""
    index_page = find_page(TrainingIndexPage, below=home_page)
    if index_page is None:
        return None
    now = timezone.now()
    upcoming = EventPage.objects.live().filter(public_q()).descendant_of(index_page).upcoming(now)
    # Editors' picks first (HomePage.featured_trainings) while they have not ended, then the next sessions.
    picks = home_page.featured("featured_trainings", EventPage)
    picks = [event for event in picks if event.end > now][:NEXT_ON_HOME]
    following = []
    if len(picks) < NEXT_ON_HOME:
        following = list(upcoming.exclude(pk__in=[e.pk for e in picks])[: NEXT_ON_HOME - len(picks)])
    events = attach_series(picks + following)
    prefetch_related_objects(events, "issue_areas")  # one query for the picks and the rest
    issue_areas = list(IssueArea.objects.filter(events__in=upcoming.values("pk")).distinct().order_by("name"))
    return {
        "template": "events/includes/home_trainings.html",
        "order": 10,
        "heading": getattr(home_page, "trainings_heading", "") or "Upcoming trainings",
        "more_url": index_page.get_url(request),
        "more_text": "All trainings & webinars",
        "index_page": index_page,
        "events": events,
        "issue_areas": issue_areas,
        "now": now,
    }


@hooks.register("after_create_page")
def grant_events_staff_rights_on_new_trainings_index(request, page):
    """A TrainingIndexPage created in the admin opens its section to Events staff (docs/roles.md)."""
    if page.specific_class is TrainingIndexPage:
        grant_events_staff_page_rights(page)


@hooks.register("lpsite_seed_demo")
def seed(home, log):
    seed_events(home, log)


seed.seed_order = 20

# The registrations inbox registers itself (modeladmin, Inbox menu item, log actions).
from .registration import admin, demo  # noqa: E402, F401


@hooks.register("register_admin_viewset")
def register_sessions_listing():
    from .admin_listing import SessionListingViewSet

    return SessionListingViewSet()


@hooks.register("insert_editor_js")
def event_time_hint_js():
    """The live 'Starts 2:00 PM PT = 5:00 PM ET' hint under an event's start field."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("js/admin-event-times.js"))
