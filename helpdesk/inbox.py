"""The Help Desk inbox: the inbox kit's ``InboxModelAdmin`` with the Help Desk's columns, filters and forms.

Only holders of ``helpdesk.manage_helpdesk_requests`` (the Help Desk staff group)
and superusers see it: list, detail, export and every action URL (the kit's
permission helper). Replies, expert introductions and assignment post extra
fields (resources, experts, assignee), handled here and applied through the
kit's ``apply_transition`` like every other action.
"""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from home.roles import MANAGE_HELPDESK
from inbox.admin import InboxInspectView, InboxModelAdmin, register_inbox
from inbox.transitions import TransitionError, apply_transition
from library.models import ResourcePage

from . import cases
from .models import Expert, HelpDeskRequest, SavedReply
from .suggestions import suggest_resources

Status = HelpDeskRequest.Status
MAX_MESSAGE = 10000
DATA_ACTIONS = {"reply", "note", "connect", "assign", "assign_to", "assign_to_me"}


class AssigneeFilter(SimpleListFilter):
    title = "assignee"
    parameter_name = "who"

    def lookups(self, request, model_admin):
        people = [(str(u.pk), cases.display_name(u)) for u in cases.assignable_users()]
        return [("me", "Mine"), ("none", "Unassigned"), *people]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdecimal():
            return queryset.filter(assignee_id=int(value))
        return queryset


class DueFilter(SimpleListFilter):
    title = "due date"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("week", "Due within a week")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(status__in=HelpDeskRequest.OPEN, due_date__lt=today)
        if self.value() == "week":
            return queryset.filter(
                status__in=HelpDeskRequest.OPEN, due_date__gte=today, due_date__lte=today + timezone.timedelta(days=7)
            )
        return queryset


class HelpDeskInspectView(InboxInspectView):
    """The request, its whole thread in time order, and the forms for each action."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.instance
        context["inbox_actions"] = [t for t in context["inbox_actions"] if t.name not in HelpDeskRequest.CUSTOM_FORMS]
        names = {t.name for t in obj.available_transitions(self.request.user)}
        context["can"] = {name: name in names for name in HelpDeskRequest.CUSTOM_FORMS}
        context["thread"] = obj.thread()
        context["saved_replies"] = SavedReply.objects.all()
        chosen = SavedReply.objects.filter(pk=self.request.GET.get("saved_reply") or None).first()
        context["chosen_reply"] = chosen
        context["reply_text"] = chosen.render_for(obj) if chosen else ""
        context["resource_options"] = self.resource_options(obj)
        context["experts"] = (
            Expert.objects.filter(active=True)
            .annotate(
                fits=Case(
                    When(issue_areas=obj.issue_area_id, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("fits", "name")
            .distinct()
            if obj.issue_area_id
            else Expert.objects.filter(active=True)
        )
        context["member_url"] = cases.member_url(obj) if obj.status != Status.SPAM else ""
        if obj.library_page_id:
            from django.urls import reverse

            context["library_edit_url"] = reverse("wagtailadmin_pages:edit", args=[obj.library_page_id])
        return context

    def resource_options(self, obj):
        """Library resources to attach: what the library's search suggests for the question, then its issue area."""
        options = suggest_resources(f"{obj.question} {obj.details}", obj.issue_area, limit=8)
        seen = {o["id"] for o in options}
        if obj.issue_area_id:
            recent = ResourcePage.objects.live().public().filter(issue_areas=obj.issue_area_id)
            for page in recent.order_by("-published_date")[:10]:
                if page.pk not in seen:
                    seen.add(page.pk)
                    options.append({"id": page.pk, "title": page.title, "url": page.url, "summary": page.summary})
        return options


class HelpDeskAdmin(InboxModelAdmin):
    model = HelpDeskRequest
    menu_label = "Help Desk"
    menu_icon = "help"
    permission = MANAGE_HELPDESK
    list_display = ("reference", "member", "category", "issue_area", "status_badge", "assignee_name", "due", "age")
    list_display_add_buttons = "reference"
    list_filter = ("status", "category", "issue_area", AssigneeFilter, DueFilter)
    search_fields = ("reference", "name", "email", "question", "details", "jurisdiction", "office")
    list_export = (
        "reference",
        "created_at",
        "name",
        "email",
        "role",
        "office",
        "jurisdiction",
        "category",
        "issue_area",
        "question",
        "status",
        "assignee",
        "due_date",
        "closed_at",
    )
    export_filename = "helpdesk-requests"
    dashboard_statuses = ("new", "waiting_on_member")
    assignable = True
    dashboard_unassigned = False  # its own counts (dashboard_counts) and its own assignee filter
    inspect_view_class = HelpDeskInspectView
    inspect_template_name = "helpdesk/admin/inspect.html"
    index_template_name = "helpdesk/admin/index.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issue_area", "assignee")

    def assignee_choices(self):
        """The inspect view's and bulk assign's dropdowns: the same people ``on_assign`` accepts."""
        return cases.assignable_users()

    # Columns

    def member(self, obj):
        return format_html("{}<br><small>{}</small>", obj.name, obj.email) if obj.email else obj.name

    member.short_description = "Member"
    member.admin_order_field = "name"

    def due(self, obj):
        if not obj.due_date:
            return "–"
        if obj.is_overdue:
            return format_html('<strong class="lp-overdue-badge">Overdue</strong> {}', obj.due_date.strftime("%b %-d"))
        return obj.due_date.strftime("%b %-d")

    due.short_description = "Due"
    due.admin_order_field = "due_date"

    def age(self, obj):
        days = obj.age_days
        return "today" if days == 0 else f"{days} day{'s' if days != 1 else ''}"

    age.short_description = "Age"
    age.admin_order_field = "created_at"

    def get_extra_attrs_for_row(self, obj, context):
        return {"class": "lp-overdue"} if obj.is_overdue else {}

    # Dashboard: new, overdue, assigned to me, waiting on member

    def dashboard_counts(self, user):
        today = timezone.localdate()
        open_ = HelpDeskRequest.objects.filter(status__in=HelpDeskRequest.OPEN)
        counts = open_.aggregate(
            new=Count("pk", filter=Q(status=Status.NEW)),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            mine=Count("pk", filter=Q(assignee=user)),
            waiting=Count("pk", filter=Q(status=Status.WAITING_ON_MEMBER)),
        )
        return [
            {"label": "New", "count": counts["new"], "url": self.index_url_with(status__exact="new")},
            {"label": "Overdue", "count": counts["overdue"], "url": self.index_url_with(due="overdue")},
            {"label": "Assigned to me", "count": counts["mine"], "url": self.index_url_with(who="me")},
            {
                "label": "Waiting on member",
                "count": counts["waiting"],
                "url": self.index_url_with(status__exact="waiting_on_member"),
            },
        ]

    # Actions that carry more than a message

    def action_view(self, request, instance_pk):
        name = request.POST.get("action", "") if request.method == "POST" else ""
        if name not in DATA_ACTIONS:
            return super().action_view(request, instance_pk)
        if not self.user_can_manage(request.user):
            raise PermissionDenied
        obj = get_object_or_404(HelpDeskRequest, pk=instance_pk)
        back = self.inspect_url(obj)
        message = request.POST.get("message", "")
        if len(message) > MAX_MESSAGE:
            messages.error(request, f"That message is too long: keep it under {MAX_MESSAGE:,} characters.")
            return redirect(back)
        name = "assign_to" if name == "assign" else name
        data = {
            "resources": request.POST.getlist("resources"),
            "experts": request.POST.getlist("experts"),
            "saved_reply": request.POST.get("saved_reply", ""),
            "then": request.POST.get("then", ""),
            "assignee": request.POST.get("assignee", ""),
        }
        try:
            obj = apply_transition(obj, name, actor=request.user, message=message, data=data)
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect(back)
        transition = HelpDeskRequest.get_transition(name)
        messages.success(request, f"{transition.past_label}: {obj.reference} is {obj.get_status_display().lower()}.")
        return redirect(back)

    def bulk_view(self, request):
        if request.method != "POST" or request.POST.get("action") != "assign_to":
            return super().bulk_view(request)
        if not self.user_can_manage(request.user):
            raise PermissionDenied
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith(
            self.url_helper.index_url
        ):
            back = self.url_helper.index_url
        selected = [int(pk) for pk in request.POST.getlist("selected") if pk.isdecimal()]
        if not selected:
            messages.error(request, "Tick at least one row, then choose the action.")
            return redirect(back)
        done = 0
        try:
            for obj in HelpDeskRequest.objects.filter(pk__in=selected).order_by("pk"):
                apply_transition(obj, "assign_to", actor=request.user, data={"assignee": request.POST.get("assignee")})
                done += 1
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect(back)
        messages.success(request, f"Assigned {done} request{'s' if done != 1 else ''}.")
        return redirect(back)


help_desk_admin = register_inbox(HelpDeskAdmin)
