"""Emails received by the Help Desk in the admin (Settings → Emails received): every email, what became of it and
why, the message as it came (.eml), for Help Desk staff and superusers. Read-only: mail that opened or joined a
request is worked in the Help Desk inbox; this is where staff find the rest (auto-replies, loops, unreadable mail)
and check that an email arrived."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView

from home.roles import MANAGE_HELPDESK
from inbox.email_admin import object_action_urls
from inbox.files import private_download
from inbox.guard import GuardedModelAdmin

from . import cases
from .models import InboundEmail


def may_see(user):
    return user.is_active and (user.is_superuser or user.has_perm(MANAGE_HELPDESK))


class InboundEmailPermissionHelper(PermissionHelper):
    def user_can_list(self, user):
        return may_see(user)

    def user_can_inspect_obj(self, user, obj):
        return may_see(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class InboundEmailInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.instance
        context["raw_url"] = self.model_admin.raw_url(obj) if obj.raw else ""
        context["request_url"] = cases.admin_url(obj.request) if obj.request_id else ""
        return context


class InboundEmailAdmin(GuardedModelAdmin, ModelAdmin):
    model = InboundEmail
    menu_label = "Emails received"
    menu_icon = "mail"
    add_to_settings_menu = True
    inspect_view_enabled = True
    permission_helper_class = InboundEmailPermissionHelper
    inspect_view_class = InboundEmailInspectView
    inspect_template_name = "helpdesk/admin/inbound_email_inspect.html"
    list_display = ("received_at", "sender", "subject", "outcome", "reason", "source")
    list_filter = ("outcome", "source", "received_at")
    search_fields = ("sender", "subject", "message_id")
    inspect_view_fields = ("received_at", "source", "sender", "subject", "message_id", "size", "outcome", "reason")
    list_per_page = 50
    history_view_enabled = False

    def user_may_access(self, user):
        return may_see(user)

    def raw_url(self, obj):
        return reverse(self.url_helper.get_action_url_name("raw"), args=[quote(obj.pk)])

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + object_action_urls(self, raw=self.raw_view)

    def raw_view(self, request, instance_pk):
        if not may_see(request.user):
            raise PermissionDenied
        received = get_object_or_404(InboundEmail, pk=instance_pk)
        if not received.raw:
            raise Http404("This email's message was removed after the retention period.")
        return private_download(received.raw, f"email-{received.pk}.eml")


inbound_email_admin = InboundEmailAdmin()
inbound_email_admin.register_with_wagtail()
