"""Trainings hooks: the home page's trainings, the shell's moments, Events staff rights, the demo content."""

import contextlib

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.signals import page_unpublished

from home.models import HOME_SECTIONS_HOOK
from home.shell import find_page
from taxonomy.models import IssueArea

from .admin_listing import SessionListingViewSet
from .demo import seed_events
from .models import EventPage, TrainingIndexPage, attach_series
from .registration import rules
from .registration.statuses import CANCELLABLE
from .roles import grant_events_staff_page_rights

NEXT_ON_HOME = 3


@hooks.register("lpsite_moments")
def event_moments():
    """For the page cache (home/cache.py ``moments``): each live event or convening's start, end and
    registration close, the moments its pages change by themselves."""
    return EventPage.objects.live().values_list("start", "end", "registration_closes")


@hooks.register(HOME_SECTIONS_HOOK)
def upcoming_trainings_section(request, home_page):
    """The next three trainings, and links to the trainings on each issue that has one coming up."""
    index_page = find_page(TrainingIndexPage, below=home_page)
    if index_page is None:
        return None
    now = timezone.now()
    upcoming = (
        EventPage.objects.live().public().filter(cancelled_at__isnull=True).descendant_of(index_page).upcoming(now)
    )
    # Editors' picks first (HomePage.featured_trainings) while they have not ended, then the next sessions.
    picks = home_page.featured("featured_trainings", EventPage)
    picks = [event for event in picks if event.end > now and not event.cancelled_at][:NEXT_ON_HOME]
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

# Cancelling a session (events/registration/rules.py cancel_session) -------------------------------


def _goes_ahead_with_registrants(page):
    """The session behind ``page`` when it is upcoming, not cancelled and people are registered, else None."""
    page = page.specific
    if not isinstance(page, EventPage) or page.cancelled_at or page.has_ended():
        return None
    if not page.registrations.filter(status__in=CANCELLABLE).exists():
        return None
    return page


@hooks.register("register_log_actions")
def session_log_actions(actions):
    actions.register_action("lpsite.event.cancelled", "Session cancelled", "Session cancelled")


@hooks.register("before_unpublish_page")
def cancel_a_session_when_it_is_unpublished(request, page):
    """Unpublishing a session people registered for cancels it first (they are told), as the same act."""
    event = _goes_ahead_with_registrants(page)
    if event is None:
        return None
    told = rules.cancel_session(event, actor=request.user, reason="unpublished")
    messages.warning(
        request,
        f"“{event.title}” had {told} active registration{'s' if told != 1 else ''}: the session is cancelled and "
        "each registrant was told by email.",
    )
    return None


@hooks.register("before_delete_page", order=-1)
def cancel_instead_of_deleting_a_session(request, page):
    """A session people registered for is cancelled, not deleted (deleting would delete their registrations
    without a word): the delete screen leads to the cancel screen, which explains."""
    event = _goes_ahead_with_registrants(page)
    if event is None:
        return None
    return redirect(reverse("events_session_cancel", args=[event.pk]) + "?from=delete")


def page_unpublished_cancels_its_session(sender, instance, **kwargs):
    """Any other unpublishing (a scheduled expiry, a bulk action, a parent series with its sessions): the
    registrants of a session still to come are told it is cancelled."""
    event = _goes_ahead_with_registrants(instance)
    if event is not None:
        with contextlib.suppress(rules.SessionNotCancellable):
            rules.cancel_session(event, actor=None, reason="unpublished")


page_unpublished.connect(page_unpublished_cancels_its_session, dispatch_uid="events-cancel-on-unpublish")


class CancelSessionMenuItem(ActionMenuItem):
    """ "Cancel this session…" in a session's editor, for events staff and whoever may unpublish it."""

    label = "Cancel this session…"
    name = "action-cancel-session"
    icon_name = "cross"
    order = 45

    def is_shown(self, context):
        page = context.get("page")
        if context.get("view") != "edit" or context.get("locked_for_user") or page is None:
            return False
        page = page.specific
        if not isinstance(page, EventPage) or page.cancelled_at or page.has_ended() or not page.live:
            return False
        return admin.user_can_cancel(context["request"].user, page)

    def get_url(self, context):
        return reverse("events_session_cancel", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def cancel_session_menu_item():
    return CancelSessionMenuItem()


@hooks.register("register_admin_urls")
def cancel_session_url():
    """Not an inbox URL: whoever may unpublish the page may cancel it too (admin.user_can_cancel)."""
    return [path("events/session/<int:event_id>/cancel/", admin.cancel_view, name="events_session_cancel")]


@hooks.register("register_admin_viewset")
def register_sessions_listing():
    return SessionListingViewSet()


@hooks.register("insert_editor_js")
def event_time_hint_js():
    """The live 'Starts 2:00 PM PT = 5:00 PM ET' hint under an event's start field."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("js/admin-event-times.js"))
