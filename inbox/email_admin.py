"""Outgoing emails in the admin (Settings → Outgoing emails): see what was sent, failures, send them again.

Superusers (and holders of ``inbox.retry_outboundemail``) see every email. The staff of an inbox see the
emails about what members sent to it (``related_key`` "events.registration:42" for Events staff,
"helpdesk.helpdeskrequest:…" for Help Desk staff…), so they can tell why a member got nothing and send it
again; nobody else sees any. Read-only apart from "Send again".
"""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import re_path, reverse
from django.views.decorators.http import require_POST
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView, InspectView

from .admin import INBOXES, readable_datetime
from .csv_export import safe_cell
from .emails import retry_now
from .guard import GuardedModelAdmin
from .models import OutboundEmail

RETRY_PERMISSION = "inbox.retry_outboundemail"


def object_action_urls(model_admin, **views):
    """A modeladmin's own URLs for actions on one object (``/<app>/<model>/<action>/<pk>/``), named as
    modeladmin names its own: ``object_action_urls(self, retry=self.retry_view)``."""
    helper = model_admin.url_helper
    return tuple(
        re_path(helper.get_action_url_pattern(action), view, name=helper.get_action_url_name(action))
        for action, view in views.items()
    )


def can_retry(user):
    """Sees and sends again every email."""
    return user.is_active and (user.is_superuser or user.has_perm(RETRY_PERMISSION))


def owned_labels(user):
    """The models whose inboxes ``user`` works in ("events.registration"): their emails are theirs to see."""
    return [inbox.opts.label_lower for inbox in INBOXES if inbox.user_can_manage(user)]


def visible_to(user, queryset):
    if can_retry(user):
        return queryset
    owned = Q(pk__in=[])
    for label in owned_labels(user):
        owned |= Q(related_key__startswith=f"{label}:")
    return queryset.filter(owned)


def may_see(user, email):
    return can_retry(user) or any(email.related_key.startswith(f"{label}:") for label in owned_labels(user))


class OutboundEmailPermissionHelper(PermissionHelper):
    def user_can_list(self, user):
        return user.is_active and (can_retry(user) or bool(owned_labels(user)))

    def user_can_inspect_obj(self, user, obj):
        return may_see(user, obj)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class OutboundEmailIndexView(IndexView):
    """The list, exported as people read it: dates in the site's zone, addresses joined, labels not codes."""

    def get_heading(self, queryset, field):
        return self.model_admin.export_headings.get(field) or super().get_heading(queryset, field)

    def to_row_dict(self, item):
        row = {}
        for name in self.list_export:
            value = getattr(self.model_admin, name)(item) if hasattr(self.model_admin, name) else getattr(item, name)
            if name == "status":
                value = item.get_status_display()
            elif hasattr(value, "tzinfo"):
                value = readable_datetime(value)
            row[name] = "" if value is None else value
        return row

    def preprocess_field_value(self, field, value, export_format):
        return value if isinstance(value, int) else safe_cell(value)


class OutboundEmailInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retry_url"] = self.model_admin.retry_url(self.instance)
        context["can_send_again"] = self.instance.status == OutboundEmail.Status.FAILED
        return context


class OutboundEmailAdmin(GuardedModelAdmin, ModelAdmin):
    model = OutboundEmail
    menu_label = "Outgoing emails"
    menu_icon = "mail"
    add_to_settings_menu = True
    inspect_view_enabled = True
    permission_helper_class = OutboundEmailPermissionHelper
    inspect_view_class = OutboundEmailInspectView
    inspect_template_name = "inbox/admin/outbound_email_inspect.html"
    list_display = ("subject", "recipients", "purpose", "status", "attempts", "created_at")
    list_filter = ("status", "purpose", "created_at")
    search_fields = ("subject", "purpose", "related_key")
    inspect_view_fields = (
        "to",
        "subject",
        "purpose",
        "related_key",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "text_body",
    )
    list_per_page = 50
    history_view_enabled = False

    index_view_class = OutboundEmailIndexView
    list_export = ("created_at", "recipients", "subject", "purpose", "status", "attempts", "sent_at", "last_error")
    export_headings = {"created_at": "Saved", "recipients": "To", "sent_at": "Sent", "last_error": "Last error"}
    export_filename = "outgoing-emails"

    def user_may_access(self, user):
        return self.permission_helper.user_can_list(user)

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request))

    def recipients(self, obj):
        return ", ".join(obj.to)

    recipients.short_description = "To"

    def retry_url(self, obj):
        return reverse(self.url_helper.get_action_url_name("retry"), args=[quote(obj.pk)])

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + object_action_urls(self, retry=self.retry_view)

    def retry_view(self, request, instance_pk):
        return _retry_view(request, self, instance_pk)


@require_POST
def _retry_view(request, model_admin, instance_pk):
    email = get_object_or_404(visible_to(request.user, OutboundEmail.objects.all()), pk=instance_pk)
    if not may_see(request.user, email):
        raise PermissionDenied
    inspect_url = model_admin.url_helper.get_action_url("inspect", quote(email.pk))
    if email.status != OutboundEmail.Status.FAILED:
        messages.error(request, f"This email is {email.get_status_display().lower()}, so there's nothing to retry.")
        return redirect(inspect_url)
    retry_now(email)
    email.refresh_from_db()
    if email.status == OutboundEmail.Status.SENT:
        messages.success(request, "Sent.")
    elif email.status == OutboundEmail.Status.FAILED:
        messages.error(request, f"It failed again: {email.last_error}")
    else:
        messages.success(request, "Queued: the task worker sends it in a moment.")
    return redirect(inspect_url)
