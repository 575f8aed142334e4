"""The "Scheduled" report: pages waiting to go live or to expire, when (in the reader's zone) and who set it.

Go-live comes from scheduled revisions (``Revision.approved_go_live_at``: what
"Schedule to publish" creates); expiry from live pages' ``expire_at``. The
person is the one whose action scheduled it, from Wagtail's page history.
"""

import dataclasses
import datetime

from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.permission_policies.pages import PagePermissionPolicy


@dataclasses.dataclass
class ScheduledItem:
    page: Page
    action: str
    at: datetime.datetime
    by: str

    @property
    def title(self):
        return self.page.get_admin_display_title()

    @property
    def at_text(self):
        local = timezone.localtime(self.at)
        return f"{local:%a, %b %-d, %Y, %-I:%M %p} {local.tzname()} ({timezone.get_current_timezone_name()})"


def person(user):
    if user is None:
        return "Unknown"
    return user.get_full_name() or user.get_username()


def scheduled_items(user, now=None):
    """Everything ``user`` may edit that waits to go live or expire, soonest first."""
    now = now or timezone.now()
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    items = []
    revisions = (
        Revision.page_revisions.filter(
            approved_go_live_at__isnull=False, object_id__in=[str(pk) for pk in editable.values_list("pk", flat=True)]
        )
        .select_related("user")
        .order_by("approved_go_live_at")
    )
    pages = {str(page.pk): page for page in Page.objects.filter(pk__in=[r.object_id for r in revisions]).specific()}
    logs = {
        entry.revision_id: entry.user
        for entry in PageLogEntry.objects.filter(
            revision__in=revisions, action="wagtail.publish.scheduled"
        ).select_related("user")
    }
    for revision in revisions:
        page = pages.get(revision.object_id)
        if page is not None:
            by = logs.get(revision.pk) or revision.user
            items.append(ScheduledItem(page, "Goes live", revision.approved_go_live_at, person(by)))
    expiring = editable.filter(live=True, expired=False, expire_at__gt=now).specific()
    for page in expiring:
        entry = (
            PageLogEntry.objects.filter(page=page, action__in=["wagtail.publish", "wagtail.publish.scheduled"])
            .select_related("user")
            .order_by("-timestamp")
            .first()
        )
        items.append(ScheduledItem(page, "Expires", page.expire_at, person(entry.user if entry else None)))
    return sorted(items, key=lambda item: item.at)


class ScheduledPagesView(ReportView):
    page_title = "Scheduled"
    header_icon = "calendar-alt"
    index_url_name = "scheduled_pages"
    index_results_url_name = "scheduled_pages_results"
    paginate_by = 100

    columns = [
        TitleColumn("title", label="Page", url_name="wagtailadmin_pages:edit", id_accessor="page.pk"),
        Column("action", label="What happens"),
        Column("at_text", label="When (your time zone)"),
        Column("by", label="Scheduled by"),
    ]

    def get_queryset(self):
        return scheduled_items(self.request.user)

    def filter_queryset(self, queryset):
        return queryset


class ScheduledMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(request.user, ["change", "publish"])


@hooks.register("register_reports_menu_item")
def register_scheduled_report_menu_item():
    return ScheduledMenuItem("Scheduled", reverse("scheduled_pages"), icon_name="calendar-alt", order=150)


@hooks.register("register_admin_urls")
def register_scheduled_report_url():
    view = ScheduledPagesView.as_view()
    results = ScheduledPagesView.as_view(results_only=True)
    return [
        path("reports/scheduled/", view, name="scheduled_pages"),
        path("reports/scheduled/results/", results, name="scheduled_pages_results"),
    ]
