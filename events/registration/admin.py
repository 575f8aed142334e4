"""The registrations inbox, on the inbox kit (``home.inbox``).

Visible to Events staff (``home.manage_event_registrations``) and
superusers. The kit gives the list with status tabs and counts, bulk actions,
export, the inspect view with history and the action endpoint; this adds the
session column and filter (with the session's date: series share titles),
the seats of a session, and the attendance sheet.
"""

from django.contrib import messages
from django.contrib.admin import RelatedFieldListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from home.inbox.admin import InboxIndexView, InboxInspectView, InboxModelAdmin, register_inbox
from home.inbox.transitions import TransitionError, apply_transition
from home.roles import MANAGE_REGISTRATIONS

from .models import Registration
from .statuses import SEATED, Status

EVENT_PARAM = "event__page_ptr__exact"


def event_model():
    return Registration._meta.get_field("event").related_model


def session_label(event):
    """ "Housing (Wed, Mar 4, 2026)": sessions of different series share titles."""
    return f"{event.title} ({event.local_start:%a, %b %-d, %Y})"


class SessionFilter(RelatedFieldListFilter):
    """The event filter, each session named with its date, newest first."""

    def field_choices(self, field, request, model_admin):
        events = event_model().objects.filter(registrations__isnull=False).distinct().order_by("-start")
        return [(event.pk, session_label(event)) for event in events]


def event_stats(event_id):
    event = event_model().objects.filter(pk=event_id).first() if str(event_id).isdigit() else None
    if event is None:
        return None
    counts = dict(event.registrations.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "event": event,
        "label": session_label(event),
        "confirmed": sum(counts.get(s, 0) for s in SEATED),
        "capacity": event.capacity,
        "waitlist": counts.get(Status.WAITLISTED, 0),
        "pending": counts.get(Status.PENDING, 0),
        "attendance_url": reverse("events_registration_attendance", args=[event.pk]),
    }


class RegistrationIndexView(InboxIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event_id = self.params.get(EVENT_PARAM)
        context["event_stats"] = event_stats(event_id) if event_id else None
        return context


class RegistrationInspectView(InboxInspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stats"] = event_stats(self.instance.event_id)
        context["session"] = session_label(self.instance.event)
        return context


class RegistrationAdmin(InboxModelAdmin):
    model = Registration
    menu_label = "Registrations"
    menu_icon = "date"
    menu_order = 100
    permission = MANAGE_REGISTRATIONS
    index_view_class = RegistrationIndexView
    inspect_view_class = RegistrationInspectView
    index_template_name = "events/admin/registration_index.html"
    inspect_template_name = "events/admin/registration_inspect.html"
    list_display = ("name", "email", "session", "status_badge", "created_at")
    list_filter = ("status", ("event", SessionFilter), "created_at")
    search_fields = ("name", "email", "organisation")
    list_select_related = ("event",)
    list_export = ("name", "email", "role", "organisation", "event_title", "event_date", "status", "created_at")
    export_headings = {
        "event_title": "Event",
        "event_date": "Event date (event's time zone)",
        "organisation": "Jurisdiction or organisation",
        "created_at": "Registered",
    }
    export_filename = "registrations"
    dashboard_statuses = (Status.PENDING, Status.WAITLISTED, Status.SPAM)
    assignable = True

    def session(self, obj):
        return session_label(obj.event)

    session.short_description = "Session"

    def event_title(self, obj):
        return obj.event.title

    def event_date(self, obj):
        """When the session starts, in its own zone (as announced), with the zone: '2026-03-04 19:00 CST'."""
        return obj.event.local_start.strftime("%Y-%m-%d %H:%M %Z")

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path(
                "events/registration/attendance/<int:event_id>/",
                attendance_view,
                name="events_registration_attendance",
            ),
        )


registration_admin = register_inbox(RegistrationAdmin)


def attendance_view(request, event_id):
    """Mark attendance for a whole session in one go."""
    if not registration_admin.user_can_manage(request.user):
        raise PermissionDenied
    event = get_object_or_404(event_model(), pk=event_id)
    registrations = list(event.registrations.filter(status__in=SEATED).order_by("name", "pk"))
    if request.method == "POST":
        changed = 0
        for registration in registrations:
            choice = request.POST.get(f"attendance-{registration.pk}")
            target = {"attended": Status.ATTENDED, "no_show": Status.NO_SHOW}.get(choice)
            if target and registration.status != target:
                try:
                    apply_transition(registration, choice, actor=request.user)
                except TransitionError:
                    continue  # changed meanwhile; the sheet shows the truth after the redirect
                changed += 1
        messages.success(request, f"Attendance saved for {changed} registration{'s' if changed != 1 else ''}.")
        return redirect(reverse("events_registration_attendance", args=[event.pk]))
    return TemplateResponse(
        request,
        "events/admin/attendance.html",
        {
            "event": event,
            "session": session_label(event),
            "registrations": registrations,
            "index_url": registration_admin.index_url_with(**{EVENT_PARAM: event.pk}),
        },
    )
