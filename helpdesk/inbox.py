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
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST
from wagtail import hooks

from home.roles import MANAGE_HELPDESK
from inbox.admin import InboxIndexView, InboxInspectView, InboxModelAdmin, register_inbox
from inbox.files import private_download
from inbox.transitions import TransitionError, apply_bulk, apply_transition
from library.models import ResourcePage

from . import cases, collisions, privacy
from .models import Expert, HelpDeskRequest, InboundEmail, RequestActivity, RequestAttachment, SavedReply
from .suggestions import suggest_resources

Status = HelpDeskRequest.Status
# What the list's "Last activity" calls the thread's latest entry.
LAST_ACTIVITY = {
    "submitted": "Sent",
    "reply": "Replied",
    "member_update": "Member replied",
    "note": "Note",
    "status": "Status changed",
    "assignment": "Assigned",
    "referral": "Connected",
    "library": "Drafted for the library",
}
MAX_MESSAGE = 10000
DATA_ACTIONS = {"reply", "note", "connect", "assign", "assign_to", "assign_to_me", "to_library"}


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


class MemberRepliedFilter(SimpleListFilter):
    title = "member replied"
    parameter_name = "replied"

    def lookups(self, request, model_admin):
        return [("yes", "Member replied, not yet answered")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(member_replied_at__isnull=False)
        return queryset


class DueFilter(SimpleListFilter):
    title = "due date"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("week", "Due within a week")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(status__in=HelpDeskRequest.ON_STAFF, due_date__lt=today)
        if self.value() == "week":
            return queryset.filter(
                status__in=HelpDeskRequest.OPEN, due_date__gte=today, due_date__lte=today + timezone.timedelta(days=7)
            )
        return queryset


class HelpDeskIndexView(InboxIndexView):
    """The list, by default in the order the work comes: open cases on staff's side first, soonest due first
    (no due date last), then those waiting on the member, then the rest; newest first within each."""

    def get_default_ordering(self, request):
        return ("queue", "due_last", "due_date", "-created_at", "-pk")


class HelpDeskInspectView(InboxInspectView):
    """The request, its whole thread in time order, and the forms for each action."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.instance
        context["inbox_actions"] = [t for t in context["inbox_actions"] if t.name not in HelpDeskRequest.CUSTOM_FORMS]
        names = {t.name for t in obj.available_transitions(self.request.user)}
        context["can"] = {name: name in names for name in HelpDeskRequest.CUSTOM_FORMS}
        context["thread"] = obj.thread().prefetch_related("attachments")
        replies = [item for item in context["thread"] if item.kind == RequestActivity.Kind.REPLY]
        context["library_replies"] = replies
        context["library_default"] = max(replies, key=lambda r: len(r.text), default=None)
        context["other_requests"] = self.other_requests(obj)
        context["inbox_seen"] = collisions.newest(obj)
        context["also_open"] = collisions.describe_open(collisions.opened(obj, self.request.user))
        context["presence_url"] = reverse("helpdesk_presence", args=[obj.pk])
        context["heartbeat_seconds"] = collisions.HEARTBEAT_SECONDS
        context["saved_replies"] = list(SavedReply.objects.all())
        for saved in context["saved_replies"]:
            saved.rendered = saved.render_for(obj)  # put at the cursor by static/js/admin-helpdesk.js
        chosen = SavedReply.objects.filter(pk=self.request.GET.get("saved_reply") or None).first()
        context["chosen_reply"] = chosen
        context["reply_text"] = chosen.render_for(obj) if chosen else ""
        draft = collisions.take_draft(self.request, obj)
        context["draft"] = draft
        if draft and draft["action"] == "reply":
            context["reply_text"] = draft["message"]
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
            context["library_edit_url"] = reverse("wagtailadmin_pages:edit", args=[obj.library_page_id])
        return context

    def other_requests(self, obj):
        """The member's other Help Desk requests (by address), newest first: what else they asked, and how it
        went. Registrations and other inboxes are not the Help Desk's to show."""
        if not obj.email:
            return []
        others = list(
            HelpDeskRequest.objects.filter(email__iexact=obj.email)
            .exclude(pk=obj.pk)
            .exclude(status=Status.SPAM)
            .order_by("-created_at", "-pk")[:20]
        )
        for other in others:
            other.inspect_url = self.model_admin.inspect_url(other)
        return others

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
    list_display = (
        "reference",
        "question_line",
        "member",
        "category",
        "status_badge",
        "assignee_name",
        "due",
        "last_activity",
    )
    list_display_add_buttons = "reference"
    list_filter = ("status", "category", "issue_area", AssigneeFilter, DueFilter, MemberRepliedFilter)
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
    index_view_class = HelpDeskIndexView
    inspect_view_class = HelpDeskInspectView
    inspect_template_name = "helpdesk/admin/inspect.html"
    index_template_name = "helpdesk/admin/index.html"

    def get_queryset(self, request):
        latest = RequestActivity.objects.filter(request=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .select_related("issue_area", "assignee")
            .annotate(
                last_at=Subquery(latest.values("created_at")[:1]),
                last_kind=Subquery(latest.values("kind")[:1]),
                # Open cases on staff's side first, soonest due first; then the rest, newest first.
                due_last=Case(
                    When(due_date__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()
                ),
                queue=Case(
                    When(status__in=HelpDeskRequest.ON_STAFF, then=Value(0)),
                    When(status=Status.WAITING_ON_MEMBER, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                ),
            )
        )

    def assignee_choices(self):
        """The inspect view's and bulk assign's dropdowns: the same people ``on_assign`` accepts."""
        return cases.assignable_users()

    # Columns

    def member(self, obj):
        return self.member_link(obj)

    member.short_description = "Member"
    member.admin_order_field = "name"

    def export_row(self, obj):
        row = super().export_row(obj)
        row["thread"] = [
            {"when": item.created_at, "kind": item.kind, "by": item.author_label, "text": item.text, "data": item.data}
            for item in obj.thread()
        ]
        row["attachments"] = [
            {"filename": a.filename, "content_type": a.content_type, "size": a.size, "kept_as": a.file.name}
            for a in obj.attachments.all()
        ]
        row["emails_received"] = [
            {"received_at": r.received_at, "subject": r.subject, "outcome": r.outcome, "message_id": r.message_id}
            for r in obj.emails.all()
        ]
        return row

    def member_erase(self, email):
        count = super().member_erase(email)
        for received in InboundEmail.objects.filter(sender=email):
            privacy.forget_received(received)
        return count

    def erase(self, obj):
        privacy.anonymise(obj)

    def assigned_waiting(self, user):
        """Open cases on staff's side assigned to ``user`` (waiting on the member is not theirs to do)."""
        return HelpDeskRequest.objects.filter(assignee=user, status__in=HelpDeskRequest.ON_STAFF).count()

    def assigned_url(self, user):
        return self.index_url_with(who="me")

    def member_queryset(self, email):
        replies = RequestActivity.objects.filter(kind=RequestActivity.Kind.REPLY).only("request_id", "data")
        return (
            super()
            .member_queryset(email)
            .exclude(status=Status.SPAM)
            .prefetch_related(Prefetch("activities", queryset=replies, to_attr="replies"))
        )

    def member_entry(self, obj):
        entry = super().member_entry(obj)
        entry.title = f"{obj.reference}: {obj.question}"
        entry.status = obj.get_status_display()
        if obj.channel == HelpDeskRequest.Channel.EMAIL:
            entry.details.append("Sent by email")
        for reply in obj.replies:
            entry.details.extend(
                f"Resource sent: {r.get('title', '')}" for r in (reply.data or {}).get("resources", [])
            )
        return entry

    def status_badge(self, obj):
        badge = super().status_badge(obj)
        if obj.member_replied_at:
            return format_html('{} <strong class="lp-replied-badge">Member replied</strong>', badge)
        return badge

    status_badge.short_description = "Status"
    status_badge.admin_order_field = "status"

    def question_line(self, obj):
        return obj.question

    question_line.short_description = "Question"

    def last_activity(self, obj):
        """The thread's latest entry, as "Member replied 2 hours ago" (its time in full on hover)."""
        kind, when = getattr(obj, "last_kind", None), getattr(obj, "last_at", None)
        if when is None:
            return "–"
        label = LAST_ACTIVITY.get(kind, "Updated")
        return format_html(
            '<time datetime="{}" title="{}">{} {} ago</time>',
            when.isoformat(timespec="seconds"),
            timezone.localtime(when).strftime("%b %-d, %Y, %-I:%M %p %Z"),
            label,
            timesince(when).split(",")[0],
        )

    last_activity.short_description = "Last activity"
    last_activity.admin_order_field = "last_at"

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
            overdue=Count("pk", filter=Q(due_date__lt=today, status__in=HelpDeskRequest.ON_STAFF)),
            mine=Count("pk", filter=Q(assignee=user)),
            waiting=Count("pk", filter=Q(status=Status.WAITING_ON_MEMBER)),
            replied=Count("pk", filter=Q(member_replied_at__isnull=False)),
        )
        return [
            {"label": "New", "count": counts["new"], "url": self.index_url_with(status__exact="new")},
            {"label": "Overdue", "count": counts["overdue"], "url": self.index_url_with(due="overdue")},
            {"label": "Assigned to me", "count": counts["mine"], "url": self.index_url_with(who="me")},
            {"label": "Member replied", "count": counts["replied"], "url": self.index_url_with(replied="yes")},
            {
                "label": "Waiting on member",
                "count": counts["waiting"],
                "url": self.index_url_with(status__exact="waiting_on_member"),
            },
        ]

    # Actions that carry more than a message

    def action_view(self, request, instance_pk):
        name = request.POST.get("action", "") if request.method == "POST" else ""
        if name in collisions.GUARDED and "seen" in request.POST and self.user_can_manage(request.user):
            obj = get_object_or_404(HelpDeskRequest, pk=instance_pk)
            since = collisions.changed_since(obj, request.POST["seen"], request.user)
            if since:
                # Decided on a page older than the thread: refused, with what changed, the text kept.
                collisions.keep_draft(request, obj, name, request.POST.get("message", "")[:MAX_MESSAGE])
                messages.error(
                    request,
                    f"{collisions.describe(since)}: read the thread, then try again. Nothing was sent"
                    + ("; your text is kept below." if request.POST.get("message") else "."),
                )
                return redirect(self.inspect_url(obj) + ("#reply" if name == "reply" else ""))
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
            "reply": request.POST.get("reply", ""),
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
        selected = [int(pk) for pk in request.POST.getlist("selected") if pk.isascii() and pk.isdecimal()]
        if not selected:
            messages.error(request, "Tick at least one row, then choose the action.")
            return redirect(back)
        chosen = request.POST.get("assignee", "")
        if chosen == "":
            # Nothing chosen is not "nobody": unassigning takes its own choice.
            messages.error(request, "Choose who to assign them to (or “Nobody” to unassign them).")
            return redirect(back)
        assignee = "" if chosen == "none" else chosen
        changed, skipped = apply_bulk(
            HelpDeskRequest, selected, "assign_to", actor=request.user, data={"assignee": assignee}
        )
        if not changed:
            reason = next((obj.skip_reason for obj in skipped if obj.skip_reason), "")
            messages.error(
                request, f"Nothing was changed: {reason}" if reason else "Those requests are no longer there."
            )
            return redirect(back)
        obj = changed[-1]
        count = f"{len(changed)} request{'s' if len(changed) != 1 else ''}"
        if obj.assignee is None:
            messages.success(request, f"Unassigned {count}.")
        else:
            messages.success(request, f"Assigned {count} to {cases.display_name(obj.assignee)}.")
        return redirect(back)


help_desk_admin = register_inbox(HelpDeskAdmin)


def download_attachment(request, pk):
    """A file a member emailed, for Help Desk staff only: always as a download (never shown inline, so a file
    claiming to be something else cannot run in the admin's origin)."""
    if not (request.user.is_superuser or request.user.has_perm(MANAGE_HELPDESK)):
        raise PermissionDenied
    attachment = get_object_or_404(RequestAttachment, pk=pk)
    return private_download(attachment.file, attachment.filename)


@require_POST
def presence(request, pk):
    """The case page's heartbeat (static/js/admin-helpdesk.js): this staffer still has it open (or, with
    ``leave``, no longer); answers who else does."""
    if not (request.user.is_superuser or request.user.has_perm(MANAGE_HELPDESK)):
        raise PermissionDenied
    obj = get_object_or_404(HelpDeskRequest, pk=pk)
    others = collisions.opened(obj, request.user, live=True, leaving=bool(request.POST.get("leave")))
    return JsonResponse({"others": collisions.describe_open(others)})


@hooks.register("register_admin_urls")
def attachment_urls():
    return [
        path("helpdesk/attachment/<int:pk>/", download_attachment, name="helpdesk_attachment"),
        path("helpdesk/presence/<int:pk>/", presence, name="helpdesk_presence"),
    ]
