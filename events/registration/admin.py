"""The registrations inbox: a wagtail-modeladmin registration under "Inbox".

Visible to Events staff (``home.manage_event_registrations``) and
superusers. Staff filter, search, see counts per status and the seats of a
session, open a registration to read the answers and its history, and move it
through the rules in ``events.registration``; every action is a Wagtail log
entry shown on the registration. CSV export follows the filters and
neutralises cells a spreadsheet would run.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.models import ModelLogEntry
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from home.csv_export import safe_cell
from home.roles import MANAGE_REGISTRATIONS
from home.wagtail_hooks import INBOX_MENU_HOOK

from . import registration as rules
from .registration_models import Registration

Status = Registration.Status

# action name -> (label, function, allowed from these statuses)
ACTIONS = {
    "approve": ("Approve", rules.approve, (Status.PENDING,)),
    "decline": ("Decline…", rules.decline, (Status.PENDING, Status.WAITLISTED, Status.CONFIRMED)),
    "waitlist": ("Move to waitlist", rules.move_to_waitlist, (Status.PENDING, Status.CONFIRMED)),
    "confirm": ("Confirm from waitlist", rules.confirm_from_waitlist, (Status.WAITLISTED,)),
    "cancel": ("Cancel", rules.staff_cancel, (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)),
    "resend": ("Resend email", rules.resend, (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)),
    "attended": ("Mark attended", None, (Status.CONFIRMED, Status.NO_SHOW)),
    "no_show": ("Mark no-show", None, (Status.CONFIRMED, Status.ATTENDED)),
    "restore": ("Not spam: restore", rules.restore_spam, (Status.SPAM,)),
}

LOG_ACTIONS = {
    "created": "Registered",
    "reminded": "Registered again (email resent)",
    "promoted": "Confirmed from the waitlist",
    "cancelled": "Cancelled",
    "approved": "Approved",
    "declined": "Declined",
    "waitlisted": "Moved to the waitlist",
    "resent": "Email resent",
    "attended": "Marked attended",
    "no_show": "Marked no-show",
    "restored": "Restored from spam",
    "reminder_sent": "Reminder sent",
}


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    for name, label in LOG_ACTIONS.items():
        actions.register_action(f"lpsite.registration.{name}", label, label)


def can_manage(user):
    return user.is_active and (user.is_superuser or user.has_perm(MANAGE_REGISTRATIONS))


class RegistrationPermissionHelper(PermissionHelper):
    def user_can_list(self, user):
        return can_manage(user)

    def user_can_inspect_obj(self, user, obj):
        return can_manage(user)

    def user_can_create(self, user):
        return False  # members register on the site

    def user_can_edit_obj(self, user, obj):
        return False  # changes go through the actions, so the rules and emails apply

    def user_can_delete_obj(self, user, obj):
        return False  # nothing a member sends is dropped


class RegistrationIndexView(IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts per status for the current filters and search, whatever status is chosen.
        params = self.params.copy()
        params.pop("status__exact", None)
        base = self.queryset.model.objects.filter(pk__in=self._unfiltered_by_status_ids(params))
        counts = dict(base.order_by().values_list("status").annotate(n=Count("pk")))
        current = self.params.get("status__exact")
        context["status_counts"] = [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "selected": current == value,
                "url": self._url_with(status__exact=value),
            }
            for value, label in Status.choices
        ]
        context["all_status_url"] = self._url_with(status__exact=None)
        event_id = self.params.get("event__page_ptr__exact") or self.params.get("event__id__exact")
        context["event_stats"] = event_stats(event_id) if event_id else None
        return context

    def _unfiltered_by_status_ids(self, params):
        saved = self.params
        self.params = params
        try:
            return self.get_queryset(self.request).order_by().values("pk")
        finally:
            self.params = saved

    def _url_with(self, **changes):
        params = self.params.copy()
        for key, value in changes.items():
            params.pop(key, None)
            if value is not None:
                params[key] = value
        return "?" + params.urlencode()

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return safe_cell(value)
        return value


def event_stats(event_id):
    from .models import EventPage

    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        return None
    counts = dict(event.registrations.order_by().values_list("status").annotate(n=Count("pk")))
    seated = sum(counts.get(s, 0) for s in Registration.SEATED)
    return {
        "event": event,
        "confirmed": seated,
        "capacity": event.capacity,
        "waitlist": counts.get(Status.WAITLISTED, 0),
        "pending": counts.get(Status.PENDING, 0),
        "attendance_url": reverse("events_registration_attendance", args=[event.pk]),
    }


class RegistrationInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = self.instance
        context["registration"] = registration
        context["answers"] = registration.answers()
        context["history"] = (
            ModelLogEntry.objects.for_instance(registration).select_related("user").order_by("-timestamp")
        )
        context["actions"] = [
            {"name": name, "label": label}
            for name, (label, _fn, allowed) in ACTIONS.items()
            if registration.status in allowed
        ]
        context["action_url"] = reverse("events_registration_action", args=[registration.pk])
        context["stats"] = event_stats(registration.event_id)
        return context


class RegistrationAdmin(ModelAdmin):
    model = Registration
    menu_label = "Registrations"
    menu_icon = "date"
    add_to_admin_menu = False
    inspect_view_enabled = True
    permission_helper_class = RegistrationPermissionHelper
    index_view_class = RegistrationIndexView
    inspect_view_class = RegistrationInspectView
    index_template_name = "events/admin/registration_index.html"
    inspect_template_name = "events/admin/registration_inspect.html"
    list_display = ("name", "email", "event_link", "status_badge", "created_at")
    list_filter = ("status", "event", "created_at")
    search_fields = ("name", "email", "organisation")
    list_select_related = ("event",)
    list_per_page = 50
    ordering = ("-created_at",)
    list_export = ("name", "email", "role", "organisation", "event_title", "event_date", "status", "created_at")
    export_headings = {"event_title": "Event", "event_date": "Event date", "status": "Status"}
    export_filename = "registrations"

    def event_link(self, obj):
        return obj.event.title

    event_link.short_description = "Event"

    def status_badge(self, obj):
        return format_html('<span class="w-status w-status--label">{}</span>', obj.get_status_display())

    status_badge.short_description = "Status"

    def event_title(self, obj):
        return obj.event.title

    def event_date(self, obj):
        return obj.event.start.astimezone(obj.event.zone).strftime("%Y-%m-%d %H:%M %Z")

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path(
                "events/registration/<int:pk>/action/",
                registration_action_view,
                name="events_registration_action",
            ),
            path(
                "events/registration/attendance/<int:event_id>/",
                attendance_view,
                name="events_registration_attendance",
            ),
        )


registration_admin = modeladmin_register(RegistrationAdmin)


@hooks.register(INBOX_MENU_HOOK)
def registrations_menu_item():
    return RegistrationAdmin().get_menu_item()


class DeclineForm(forms.Form):
    message = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)


@require_POST
def registration_action_view(request, pk):
    if not can_manage(request.user):
        raise PermissionDenied
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    name = request.POST.get("action", "")
    inspect_url = reverse("events_registration_modeladmin_inspect", args=[quote(pk)])
    if name not in ACTIONS or registration.status not in ACTIONS[name][2]:
        messages.error(request, "That action isn't possible for this registration any more.")
        return redirect(inspect_url)
    label, fn, _allowed = ACTIONS[name]
    if name == "decline":
        form = DeclineForm(request.POST)
        message = form.cleaned_data["message"] if form.is_valid() else ""
        rules.decline(registration, request.user, message=message)
    elif name in ("attended", "no_show"):
        rules.mark_attendance(registration, request.user, attended=name == "attended")
    else:
        fn(registration, request.user)
    registration.refresh_from_db()
    messages.success(
        request, f"{label.rstrip('…')}: {registration.name} is now {registration.get_status_display().lower()}."
    )
    return redirect(inspect_url)


def attendance_view(request, event_id):
    """Mark attendance for a whole session in one go."""
    from .models import EventPage

    if not can_manage(request.user):
        raise PermissionDenied
    event = get_object_or_404(EventPage, pk=event_id)
    registrations = list(event.registrations.filter(status__in=Registration.SEATED).order_by("name", "pk"))
    if request.method == "POST":
        changed = 0
        for registration in registrations:
            choice = request.POST.get(f"attendance-{registration.pk}")
            target = {"attended": Status.ATTENDED, "no_show": Status.NO_SHOW}.get(choice)
            if target and registration.status != target:
                rules.mark_attendance(registration, request.user, attended=target == Status.ATTENDED)
                changed += 1
        messages.success(request, f"Attendance saved for {changed} registration{'s' if changed != 1 else ''}.")
        return redirect(reverse("events_registration_attendance", args=[event.pk]))
    return TemplateResponse(
        request,
        "events/admin/attendance.html",
        {
            "event": event,
            "registrations": registrations,
            "index_url": reverse("events_registration_modeladmin_index") + f"?event__page_ptr__exact={event.pk}",
        },
    )
