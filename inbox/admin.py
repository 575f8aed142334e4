"""``InboxModelAdmin``: the admin side of every inbox, written once.

    class RegistrationAdmin(InboxModelAdmin):
        model = Registration
        menu_label = "Registrations"
        permission = "events.manage_event_registrations"
        list_display = ("name", "email", "status_badge", "created_at")
        list_filter = ("status", "event")
        search_fields = ("name", "email")
        list_export = ("name", "email", "status", "created_at")
        dashboard_statuses = ("pending",)

    register_inbox(RegistrationAdmin)

gives, to holders of ``permission`` (and superusers) only: the list with
status tabs and their counts (for the current filters and search), filters,
search, ticked-row bulk actions (the model's transitions with ``bulk=True``,
one transaction), CSV/XLSX export of the filtered list (readable values,
through ``inbox.csv_export.safe_cell``), an inspect view with the answers, the
actions that apply and the whole history, a POST endpoint for actions and
assignment (CSRF-protected, permission-checked), its item in the "Inbox"
menu and a dashboard panel of what waits (``dashboard_counts``).
"""

import datetime
import zoneinfo
from collections import OrderedDict
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.utils import label_for_field, quote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView, InspectView

from .csv_export import safe_cell
from .guard import GuardedModelAdmin
from .models import InboxSubmission
from .people import permission_holders
from .registry import INBOXES
from .timeline import Entry, timeline_url
from .transitions import TransitionError, apply_bulk, apply_transition

# The hook the "Inbox" menu (inbox/wagtail_hooks.py) collects its items from; register_inbox adds each inbox's.
INBOX_MENU_HOOK = "register_inbox_menu_item"
STATUS_PARAM = "status__exact"
ASSIGN_ACTION = "assign"
ASSIGN_LOG_ACTION = "lpsite.inbox.assigned"
DATE_FORMAT = "%Y-%m-%d %H:%M %Z"


def readable_datetime(value):
    """A datetime in the site's zone (``TIME_ZONE``, whatever the reader's own), to the minute, with
    the zone: '2026-03-04 13:00 EST'."""
    if timezone.is_aware(value):
        value = value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return value.replace(microsecond=0).strftime(DATE_FORMAT).strip()


def bulk_message_label(transitions):
    """The bulk form's message label, naming the actions that use it ("" when none does).

    'Message to the member (for “Decline”; optional)'.
    """
    using = [t for t in transitions if t.needs_message or t.takes_message]
    if not using:
        return ""
    labels = {t.message_label for t in using}
    base = labels.pop() if len(labels) == 1 else "Message"
    names = " or ".join(f"“{t.label.rstrip('…')}”" for t in using)
    optional = "" if any(t.needs_message for t in using) else "; optional"
    return f"{base} (for {names}{optional})"


def user_display(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# Permissions -----------------------------------------------------------------


class InboxPermissionHelper(PermissionHelper):
    """One codename governs list, inspect, export and actions; nothing is created, edited or deleted here."""

    inbox_permission = None

    def user_can_manage(self, user):
        return bool(
            user.is_active and (user.is_superuser or (self.inbox_permission and user.has_perm(self.inbox_permission)))
        )

    def user_can_list(self, user):
        return self.user_can_manage(user)

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_manage(user)

    def user_can_create(self, user):
        return False  # members send these through the public forms

    def user_can_edit_obj(self, user, obj):
        return False  # changes go through transitions, so the rules, the log and the emails apply

    def user_can_delete_obj(self, user, obj):
        return False  # nothing a member sends is dropped


class WaitingFilter(SimpleListFilter):
    """ "By assignee: unassigned and waiting": what the dashboard's "Unassigned" count counts.

    Waiting means one of the inbox's ``dashboard_statuses``; the choice names them.
    """

    title = "assignee"
    parameter_name = "waiting"
    UNASSIGNED = "unassigned"

    def __init__(self, request, params, model, model_admin):
        self.statuses = tuple(model_admin.dashboard_statuses)
        super().__init__(request, params, model, model_admin)

    @staticmethod
    def unassigned_waiting(queryset, statuses):
        return queryset.filter(status__in=statuses, assignee__isnull=True)

    def lookups(self, request, model_admin):
        labels = dict(model_admin.model._meta.get_field("status").flatchoices)
        waiting = ", ".join(str(labels.get(s, s)).lower() for s in self.statuses)
        return [(self.UNASSIGNED, f"Unassigned and waiting ({waiting})")]

    def queryset(self, request, queryset):
        if self.value() == self.UNASSIGNED:
            return self.unassigned_waiting(queryset, self.statuses)
        return queryset


# Views -------------------------------------------------------------------------


class InboxIndexView(IndexView):
    """The list: status tabs with counts, bulk actions, readable export."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model_admin = self.model_admin
        status_field = self.model._meta.get_field("status")
        params = self.params.copy()
        params.pop(STATUS_PARAM, None)
        base = self.model._default_manager.filter(pk__in=self._queryset_with_params(params))
        counts = dict(base.order_by().values_list("status").annotate(n=Count("pk")))
        current = self.params.get(STATUS_PARAM)
        context["status_tabs"] = [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "selected": current == value,
                "url": self.url_with(**{STATUS_PARAM: value}),
            }
            for value, label in status_field.flatchoices
        ]
        context["all_status_url"] = self.url_with(**{STATUS_PARAM: None})
        context["all_status_count"] = sum(counts.values())
        context["all_status_selected"] = not current
        context["bulk_actions"] = model_admin.bulk_transitions(self.request.user)
        context["bulk_url"] = model_admin.bulk_url()
        context["bulk_message_label"] = bulk_message_label(context["bulk_actions"])
        context["current_url"] = self.request.get_full_path()
        context["inbox_label"] = model_admin.get_menu_label()
        return context

    def _queryset_with_params(self, params):
        saved = self.params
        self.params = params
        try:
            return self.get_queryset(self.request).order_by().values("pk")
        finally:
            self.params = saved

    def url_with(self, **changes):
        params = self.params.copy()
        for key, value in changes.items():
            params.pop(key, None)
            if value is not None:
                params[key] = value
        return "?" + params.urlencode() if params else "?"

    # Export: readable values and headers, formulas neutralised.
    def get_heading(self, queryset, field):
        # wagtail-modeladmin never passes the ModelAdmin's export_headings to the view: read them here.
        heading = self.model_admin.export_headings.get(field) or self.export_headings.get(field)
        if heading:
            return str(heading)
        return capfirst(str(label_for_field(field, model=self.model, model_admin=self.model_admin)))

    def to_row_dict(self, item):
        return OrderedDict((name, self.model_admin.export_value(item, name)) for name in self.list_export)

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return safe_cell(value)


class InboxInspectView(InspectView):
    """One submission: its answers, the actions that apply now, assignment and the whole history."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.instance
        model_admin = self.model_admin
        user = self.request.user
        context["obj"] = obj
        context["member_timeline_url"] = timeline_url(obj.email) if getattr(obj, "email", "") else ""
        context["answers"] = model_admin.answers(obj)
        context["history"] = model_admin.history(obj)
        context["inbox_actions"] = obj.available_transitions(user)
        context["inbox_action_url"] = model_admin.action_url(obj)
        context["inbox_label"] = model_admin.get_menu_label()
        if model_admin.assignable:
            context["assignees"] = model_admin.assignee_choices()
        return context


# The ModelAdmin base -------------------------------------------------------------


class InboxModelAdmin(GuardedModelAdmin, ModelAdmin):
    """Subclass with ``model``, ``menu_label``, ``permission``, list/filter/search/export fields.

    Every URL it registers (modeladmin's, the kit's, a subclass's) answers only to holders of
    ``permission`` and superusers (``inbox/guard.py``)."""

    permission = None  # e.g. "events.manage_event_registrations"
    menu_icon = "mail"
    add_to_admin_menu = False  # it goes under "Inbox" (register_inbox)
    inspect_view_enabled = True
    # The inspect view shows the whole history; modeladmin's own history page would be one more door.
    history_view_enabled = False
    index_view_class = InboxIndexView
    inspect_view_class = InboxInspectView
    index_template_name = "inbox/admin/index.html"
    inspect_template_name = "inbox/admin/inspect.html"
    list_per_page = 50
    ordering = ("-created_at",)
    export_headings = {}
    # Statuses that wait for staff: counted on the dashboard, linked to the filtered list.
    dashboard_statuses = ()
    # Show an assignee selector on the inspect view.
    assignable = False
    # With ``assignable``: count the unassigned among ``dashboard_statuses`` on the dashboard,
    # linked to the list filter that shows exactly those (``WaitingFilter``).
    dashboard_unassigned = True
    # Fields of form_data never shown to staff (spam machinery).
    hidden_answers = ("form_token", "website", "captcha")

    def get_permission_helper_class(self):
        return type("PermissionHelper", (InboxPermissionHelper,), {"inbox_permission": self.permission})

    def user_can_manage(self, user):
        return self.permission_helper.user_can_manage(user)

    def user_may_access(self, user):
        return self.user_can_manage(user)

    def get_index_view_extra_js(self):
        return ["js/admin-inbox.js"]

    def get_list_display(self, request):
        display = tuple(super().get_list_display(request))
        if self.bulk_transitions(request.user):
            return ("inbox_select", *display)
        return display

    def get_list_display_add_buttons(self, request):
        return self.list_display_add_buttons or tuple(self.list_display)[0]

    def get_list_filter(self, request):
        filters = tuple(super().get_list_filter(request))
        filters = filters if "status" in filters else ("status", *filters)
        return (*filters, WaitingFilter) if self.offers_waiting_filter() else filters

    def offers_waiting_filter(self):
        return bool(self.assignable and self.dashboard_unassigned and self.dashboard_statuses)

    def inbox_select(self, obj):
        return format_html(
            '<input type="checkbox" name="selected" value="{}" form="inbox-bulk-form" class="lp-select" '
            'aria-label="Select {}">',
            obj.pk,
            str(obj),
        )

    inbox_select.short_description = format_html(
        '<input type="checkbox" class="lp-select-all" aria-label="{}">', "Select every row on this page"
    )

    def status_badge(self, obj):
        return format_html(
            '<span class="w-status w-status--label lp-status-{}">{}</span>', obj.status, obj.get_status_display_safe()
        )

    status_badge.short_description = "Status"
    status_badge.admin_order_field = "status"

    def assignee_name(self, obj):
        return user_display(obj.assignee)

    assignee_name.short_description = "Assignee"

    # Transitions and URLs

    def bulk_transitions(self, user):
        if not self.user_can_manage(user):
            return []
        return [t for t in self.model.transitions if t.bulk and t.user_may(user)]

    def action_url(self, obj):
        return reverse(self.url_helper.get_action_url_name("action"), args=[quote(obj.pk)])

    def bulk_url(self):
        return reverse(self.url_helper.get_action_url_name("bulk"))

    def inspect_url(self, obj):
        return self.url_helper.get_action_url("inspect", quote(obj.pk))

    # The member timeline (inbox/members.py) ---------------------------------------------------------------

    def member_queryset(self, email):
        """This inbox's submissions from ``email``: one query (subclasses add select_related)."""
        return self.model.objects.filter(email__iexact=email)

    def member_entry(self, obj):
        """One submission as a timeline entry; subclasses say more (the session, the reference)."""
        return Entry(
            when=obj.created_at,
            inbox=self.get_menu_label(),
            title=str(obj),
            status=obj.get_status_display_safe(),
            url=self.inspect_url(obj),
        )

    def member_entries(self, email):
        return [self.member_entry(obj) for obj in self.member_queryset(email)]

    def member_search(self, query):
        """(email, name) of submissions whose name or address holds ``query``."""
        return (
            self.model.objects.filter(Q(email__icontains=query) | Q(name__icontains=query))
            .exclude(email="")
            .values_list("email", "name")
            .order_by("name")
            .distinct()
        )

    # A member's data, exported and erased (inbox/member_data.py) ---------------------------------------------

    # Fields holding the member's own words or details, blanked by ``erase`` (besides email and form_data).
    personal_fields = ("name",)

    def member_export(self, email):
        """Every row of this inbox about ``email`` (spam too), as JSON-ready dicts with their history."""
        rows = self.model.objects.filter(email__iexact=email).order_by("created_at", "pk")
        return [self.export_row(obj) for obj in rows]

    def export_row(self, obj):
        row = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
        row["history"] = [
            {"when": entry.timestamp, "action": entry.action, "label": entry.label, "data": entry.data}
            for entry in ModelLogEntry.objects.for_instance(obj).order_by("timestamp")
        ]
        return row

    def member_erase(self, email):
        """Anonymise every row of this inbox about ``email``; returns how many."""
        rows = list(self.model.objects.filter(email__iexact=email))
        for obj in rows:
            self.erase(obj)
        return len(rows)

    def erase(self, obj):
        """The row keeps its shape (status, dates, session, counts); the member's details and words go, and so do
        those in its log entries' messages."""
        for name in self.personal_fields:
            setattr(obj, name, "")
        obj.email = self.erased_email(obj)
        obj.form_data = {}
        obj.save()
        forget_log_entries(obj, f"{obj._meta.verbose_name} {obj.pk}")

    def erased_email(self, obj):
        """What an erased row's address becomes: nothing, unless the model needs one per row (a unique index)."""
        return ""

    def member_link(self, obj):
        """The list's member column: name, and the address linking to everything from it."""
        if not obj.email:
            return obj.name
        return format_html(
            '{}<br><small><a class="lp-member-address" href="{}" title="Everything from this member">{}</a></small>',
            obj.name,
            timeline_url(obj.email),
            obj.email,
        )

    member_link.short_description = "Member"

    def member_email(self, obj):
        """The list's address column, linking to everything from it (not the first column, which modeladmin
        makes a link to the submission itself)."""
        if not obj.email:
            return ""
        return format_html(
            '<a class="lp-member-address" href="{}" title="Everything from this member">{}</a>',
            timeline_url(obj.email),
            obj.email,
        )

    member_email.short_description = "Email"
    member_email.admin_order_field = "email"

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            re_path(
                self.url_helper.get_action_url_pattern("action"),
                self.action_view,
                name=self.url_helper.get_action_url_name("action"),
            ),
            re_path(
                rf"^{self.url_helper.base_url_path}/bulk/$",
                self.bulk_view,
                name=self.url_helper.get_action_url_name("bulk"),
            ),
        )

    # What the inspect view shows

    def answer_labels(self, obj):
        """Labels of form_data keys; subclasses add their form builder's questions."""
        labels = {}
        page = getattr(obj, "page", None)
        if page is not None and hasattr(page.specific, "get_data_fields"):
            labels.update(dict(page.specific.get_data_fields()))
        return labels

    def answers(self, obj):
        """(label, value) for every answer in form_data, in the order sent."""
        if hasattr(obj, "answers"):
            return obj.answers()
        labels = self.answer_labels(obj)
        rows = []
        for key, value in (obj.form_data or {}).items():
            if key in self.hidden_answers:
                continue
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            rows.append((labels.get(key, key.replace("_", " ").capitalize()), value))
        return rows

    def history(self, obj):
        """Every log entry of ``obj``, newest first, with ``previous_label`` (the status it left) set."""
        labels = dict(self.model._meta.get_field("status").flatchoices)
        entries = list(ModelLogEntry.objects.for_instance(obj).select_related("user").order_by("-timestamp", "-pk"))
        for entry in entries:
            previous = (entry.data or {}).get("previous") if isinstance(entry.data, dict) else None
            entry.previous_label = labels.get(previous, previous) if previous else ""
        return entries

    def assignee_choices(self):
        """Active staff who may work in this inbox (holders of its permission, superusers)."""
        if self.permission:
            users = permission_holders(self.permission, superusers=True)
        else:
            users = get_user_model().objects.filter(is_active=True)
        return users.distinct().order_by("first_name", "last_name", "username")

    # Export

    def export_value(self, obj, name):
        """A value a person reads: labels, not codes; dates in the site's zone to the minute; names of users."""
        method = getattr(self, name, None)
        if callable(method):
            value = method(obj)
        else:
            try:
                field = obj._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None and field.choices:
                value = getattr(obj, f"get_{name}_display")()
            elif field is not None and field.is_relation and field.many_to_one:
                related = getattr(obj, name)
                value = user_display(related) if isinstance(related, get_user_model()) else related
            else:
                value = getattr(obj, name, "")
                if callable(value):
                    value = value()
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.datetime):
            return readable_datetime(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, int | float):
            return value
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        if isinstance(value, models.Model):
            return str(value)
        return str(value)

    # Dashboard

    def index_url_with(self, **params):
        url = self.url_helper.index_url
        return f"{url}?{urlencode(params)}" if params else url

    def dashboard_counts(self, user):
        """[{"label", "count", "url"}] of what waits for ``user``; each links to the filtered list.

        The default counts ``dashboard_statuses`` and, when ``assignable``, the
        unassigned among them. Subclasses add their own (e.g. overdue).
        """
        status_field = self.model._meta.get_field("status")
        labels = dict(status_field.flatchoices)
        manager = self.model._default_manager
        counts = dict(
            manager.filter(status__in=self.dashboard_statuses).order_by().values_list("status").annotate(n=Count("pk"))
        )
        items = [
            {
                "label": labels.get(status, status),
                "count": counts.get(status, 0),
                "url": self.index_url_with(**{STATUS_PARAM: status}),
            }
            for status in self.dashboard_statuses
        ]
        if self.offers_waiting_filter():
            unassigned = WaitingFilter.unassigned_waiting(manager.all(), self.dashboard_statuses).count()
            items.append(
                {
                    "label": "Unassigned",
                    "count": unassigned,
                    # The same filter the count used, so the list shows exactly what was counted.
                    "url": self.index_url_with(**{WaitingFilter.parameter_name: WaitingFilter.UNASSIGNED}),
                }
            )
        return items

    def assigned_waiting(self, user):
        """How many of what waits (``dashboard_statuses``) is assigned to ``user`` (0 where nothing is assigned)."""
        if not self.assignable:
            return 0
        return self.model._default_manager.filter(assignee=user, status__in=self.dashboard_statuses).count()

    def assigned_url(self, user):
        """The list showing what ``assigned_waiting`` counted (an inbox with a "Mine" filter links to it)."""
        return self.index_url_with()

    # POST endpoints

    def action_view(self, request, instance_pk):
        return _action_view(request, self, instance_pk)

    def bulk_view(self, request):
        return _bulk_view(request, self)


def _done_message(model_admin, obj, transition):
    return f"{transition.past_label}: {obj} is now {obj.get_status_display_safe().lower()}."


@require_POST
def _action_view(request, model_admin, instance_pk):
    if not model_admin.user_can_manage(request.user):
        raise PermissionDenied
    obj = get_object_or_404(model_admin.model._default_manager, pk=instance_pk)
    inspect_url = model_admin.inspect_url(obj)
    name = request.POST.get("action", "")
    if name == ASSIGN_ACTION and model_admin.assignable:
        return _assign(request, model_admin, obj, inspect_url)
    try:
        obj = apply_transition(obj, name, actor=request.user, message=request.POST.get("message", "")[:4000])
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect(inspect_url)
    messages.success(request, _done_message(model_admin, obj, model_admin.model.get_transition(name)))
    return redirect(inspect_url)


def _assign(request, model_admin, obj, inspect_url):
    raw = request.POST.get("assignee", "")
    assignee = None
    if raw:
        assignee = model_admin.assignee_choices().filter(pk=raw if raw.isdecimal() else None).first()
        if assignee is None:
            messages.error(request, "That person can't be assigned to this inbox.")
            return redirect(inspect_url)
    if obj.assignee_id != (assignee.pk if assignee else None):
        previous = user_display(obj.assignee)
        obj.assignee = assignee
        obj.save(update_fields=["assignee", "updated_at"])
        log(
            instance=obj,
            action=ASSIGN_LOG_ACTION,
            user=request.user,
            data={"previous": previous, "assignee": user_display(assignee)},
        )
    messages.success(request, f"Assigned to {user_display(assignee)}." if assignee else "Nobody is assigned now.")
    return redirect(inspect_url)


class BulkForm(forms.Form):
    action = forms.CharField()
    selected = forms.TypedMultipleChoiceField(coerce=int, choices=())
    message = forms.CharField(required=False, max_length=4000)


@require_POST
def _bulk_view(request, model_admin):
    if not model_admin.user_can_manage(request.user):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith(
        model_admin.url_helper.index_url
    ):
        back = model_admin.url_helper.index_url
    selected = [int(pk) for pk in request.POST.getlist("selected") if pk.isdecimal()]
    name = request.POST.get("action", "")
    transition = model_admin.model.get_transition(name)
    if not selected:
        messages.error(request, "Tick at least one row, then choose the action.")
        return redirect(back)
    if transition is None or transition not in model_admin.bulk_transitions(request.user):
        messages.error(request, "Choose one of the actions in the list.")
        return redirect(back)
    try:
        changed, skipped = apply_bulk(
            model_admin.model, selected, name, actor=request.user, message=request.POST.get("message", "")[:4000]
        )
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect(back)
    noun = model_admin.model._meta
    if changed:
        names = noun.verbose_name if len(changed) == 1 else noun.verbose_name_plural
        messages.success(request, f"{transition.past_label}: {len(changed)} {names}.")
    by_status = [obj for obj in skipped if not getattr(obj, "skip_reason", "")]
    if by_status:
        who = ", ".join(str(obj) for obj in by_status[:5]) + ("…" if len(by_status) > 5 else "")
        messages.warning(
            request,
            f"{len(by_status)} not changed, because “{transition.label.rstrip('…')}” "
            f"doesn't apply to their status: {who}.",
        )
    for reason in sorted({obj.skip_reason for obj in skipped if getattr(obj, "skip_reason", "")}):
        count = sum(1 for obj in skipped if getattr(obj, "skip_reason", "") == reason)
        messages.warning(request, f"{count} not changed: {reason}")
    return redirect(back)


# Dashboard panel -------------------------------------------------------------------


class InboxDashboardPanel(Component):
    """What waits in one inbox, for its own staff."""

    template_name = "inbox/admin/dashboard_panel.html"

    def __init__(self, model_admin, user):
        self.model_admin = model_admin
        self.user = user
        self.name = f"inbox-{model_admin.opts.label_lower.replace('.', '-')}"
        self.order = 40

    def get_context_data(self, parent_context):
        return {
            "label": self.model_admin.get_menu_label(),
            "index_url": self.model_admin.url_helper.index_url,
            "items": self.model_admin.dashboard_counts(self.user),
            "panel_id": self.name,
        }


# Wagtail's Forms screens -----------------------------------------------------------


def inbox_form_page_models():
    """The Wagtail form page models (``FormMixin``) whose submissions are an inbox's (``InboxSubmission``)."""
    from wagtail.contrib.forms.models import FormMixin
    from wagtail.models import get_page_models

    return [
        model
        for model in get_page_models()
        if issubclass(model, FormMixin) and issubclass(model().get_submission_class(), InboxSubmission)
    ]


@hooks.register("filter_form_submissions_for_user")
def keep_inbox_submissions_out_of_wagtail_forms(user, editable_forms):
    """Wagtail's Forms listing, submissions list, export and delete view never reach an inbox's submissions.

    They all ask ``get_forms_for_user``, which runs this hook: for everyone, superusers
    included, the pages whose submissions an inbox moderates are not there, so the
    delete view refuses them (403) and nothing a member sends is dropped. Staff read
    them in the inbox (``InboxFormPageMixin`` sends the page's submissions address there).
    """
    models = inbox_form_page_models()
    return editable_forms.not_type(*models) if models else editable_forms


def submissions_under(pages):
    """{inbox label: count} of what members sent through these pages or any page below them."""
    from wagtail.models import Page

    found = {}
    for model_admin in INBOXES:
        links = [
            field.name
            for field in model_admin.model._meta.get_fields()
            if isinstance(field, models.ForeignKey) and issubclass(field.related_model, Page)
        ]
        where = Q()
        for page in pages:
            for link in links:
                where |= Q(**{f"{link}__path__startswith": page.path})
        count = model_admin.model._default_manager.filter(where).count() if where else 0
        if count:
            found[model_admin.get_menu_label()] = count
    return found


def refuse_deleting_submissions(request, pages):
    """A redirect with a message when deleting ``pages`` would delete what members sent, else None."""
    found = submissions_under(pages)
    if not found:
        return None
    held = "; ".join(f"{count} in {label}" for label, count in found.items())
    messages.error(
        request,
        f"Not deleted: members sent submissions through this page or the pages below it ({held}), and deleting "
        "would delete them with it. Unpublish the page instead: the submissions stay in their inbox.",
    )
    return redirect(reverse("wagtailadmin_explore", args=[pages[0].get_parent().pk]))


@hooks.register("before_delete_page")
def keep_submissions_when_a_page_is_deleted(request, page):
    """Deleting a page deletes its submissions (a foreign key with cascade): refuse while it holds any."""
    return refuse_deleting_submissions(request, [page])


@hooks.register("before_bulk_action")
def keep_submissions_when_pages_are_deleted_in_bulk(request, action_type, objects, action_class_instance):
    if action_type == "delete" and objects and hasattr(objects[0], "path"):
        return refuse_deleting_submissions(request, list(objects))
    return None


@hooks.register("construct_homepage_panels")
def add_inbox_panels(request, panels):
    for model_admin in INBOXES:
        if model_admin.user_can_manage(request.user) and model_admin.dashboard_statuses:
            panels.append(InboxDashboardPanel(model_admin, request.user))


def forget_log_entries(obj, label):
    """What a member wrote, kept in an object's log entries (messages, names), goes; which action, when, by whom
    and the statuses stay."""
    for entry in ModelLogEntry.objects.for_instance(obj):
        if isinstance(entry.data, dict):
            entry.data = {key: value for key, value in entry.data.items() if key in ("previous", "status")}
        entry.label = label
        entry.save(update_fields=["data", "label"])


@hooks.register("register_log_actions")
def register_inbox_log_actions(actions):
    actions.register_action(ASSIGN_LOG_ACTION, "Assigned", "Assigned")


# Registration ----------------------------------------------------------------------


def register_inbox(model_admin_class):
    """Register an ``InboxModelAdmin`` subclass: its views, its "Inbox" menu item, its log actions.

    Returns the ModelAdmin instance. Use once per inbox, at import of the app's wagtail_hooks.
    """
    model_admin = model_admin_class()
    model_admin.register_with_wagtail()
    INBOXES.append(model_admin)

    @hooks.register(INBOX_MENU_HOOK)
    def inbox_menu_item():
        return model_admin.get_menu_item()

    @hooks.register("register_log_actions")
    def log_actions(actions):
        seen = set()
        for transition in model_admin.model.transitions:
            if transition.log_action and transition.log_action not in seen:
                seen.add(transition.log_action)
                actions.register_action(transition.log_action, transition.past_label, transition.past_label)
        for action, label in getattr(model_admin.model, "extra_log_actions", {}).items():
            if action not in seen:
                seen.add(action)
                actions.register_action(action, label, label)

    return model_admin
