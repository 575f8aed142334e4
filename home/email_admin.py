"""Outgoing emails in the admin (Settings → Outgoing emails): see failures and send them again.

Needs ``home.retry_outboundemail`` (or superuser). Read-only apart from "Send again".
"""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import re_path, reverse
from django.views.decorators.http import require_POST
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView

from .emails import retry_now
from .inbox.guard import GuardedModelAdmin
from .models import OutboundEmail

RETRY_PERMISSION = "home.retry_outboundemail"


def can_retry(user):
    return user.is_active and (user.is_superuser or user.has_perm(RETRY_PERMISSION))


class OutboundEmailPermissionHelper(PermissionHelper):
    def user_can_list(self, user):
        return can_retry(user)

    def user_can_inspect_obj(self, user, obj):
        return can_retry(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


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
    inspect_template_name = "home/admin/outbound_email_inspect.html"
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

    def user_may_access(self, user):
        return can_retry(user)

    def recipients(self, obj):
        return ", ".join(obj.to)

    recipients.short_description = "To"

    def retry_url(self, obj):
        return reverse(self.url_helper.get_action_url_name("retry"), args=[quote(obj.pk)])

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            re_path(
                self.url_helper.get_action_url_pattern("retry"),
                self.retry_view,
                name=self.url_helper.get_action_url_name("retry"),
            ),
        )

    def retry_view(self, request, instance_pk):
        return _retry_view(request, self, instance_pk)


@require_POST
def _retry_view(request, model_admin, instance_pk):
    if not can_retry(request.user):
        raise PermissionDenied
    email = get_object_or_404(OutboundEmail, pk=instance_pk)
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
