"""Admin wiring of the inbox kit: the shared "Inbox" menu, its CSS, and Settings › Outgoing emails."""

from django import forms
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from .admin import INBOX_MENU_HOOK
from .email_admin import OutboundEmailAdmin
from .members import ERASED, EXPORTED, erase_view, export_view, inboxes_for, member_view
from .models import StaffDigest

# Apps add their moderated inboxes here (registrations, Help Desk requests):
#     @hooks.register("register_inbox_menu_item")
#     def registrations_menu_item():
#         return RegistrationAdmin().get_menu_item()   # a modeladmin with add_to_admin_menu = False
# Each item shows only to users whose group owns it; the menu hides when empty.
inbox_menu = Menu(register_hook_name=INBOX_MENU_HOOK)


@hooks.register("register_admin_menu_item")
def register_inbox_menu():
    return SubmenuMenuItem("Inbox", inbox_menu, icon_name="mail", name="inbox", order=150)


@hooks.register("insert_global_admin_css")
def inbox_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-inbox.css"))


# Outgoing emails (Settings menu): failed deliveries and "send again".
outbound_email_admin = OutboundEmailAdmin()
outbound_email_admin.register_with_wagtail()


# Members: one member's timeline across the inboxes the viewer works in (inbox/members.py).
@hooks.register("register_admin_urls")
def member_urls():
    return [
        path("members/", member_view, name="inbox_member"),
        path("members/export/", export_view, name="inbox_member_export"),
        path("members/erase/", erase_view, name="inbox_member_erase"),
    ]


@hooks.register("register_log_actions")
def member_data_log_actions(actions):
    actions.register_action(EXPORTED, "Exported a member's data", "Exported a member's data")
    actions.register_action(ERASED, "Erased a member's data", "Erased a member's data")


class MembersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or bool(inboxes_for(request.user))


@hooks.register(INBOX_MENU_HOOK)
def members_menu_item():
    return MembersMenuItem("Members", reverse("inbox_member"), icon_name="group", name="members", order=900)


# The morning digest, opted into in Account › Notifications (inbox/digest.py).
class StaffDigestForm(forms.ModelForm):
    class Meta:
        model = StaffDigest
        fields = ["daily"]


class StaffDigestPanel(BaseSettingsPanel):
    name = "staff_digest"
    title = "Morning digest"
    tab = notifications_tab
    order = 150
    form_class = StaffDigestForm

    def is_active(self):
        return bool(inboxes_for(self.user))

    def get_form(self):
        digest = StaffDigest.objects.filter(user=self.user).first() or StaffDigest(user=self.user)
        if self.request.method == "POST":
            return self.form_class(self.request.POST, instance=digest, prefix=self.name)
        return self.form_class(instance=digest, prefix=self.name)


@hooks.register("register_account_settings_panel")
def staff_digest_panel(request, user, profile):
    return StaffDigestPanel(request, user, profile)
