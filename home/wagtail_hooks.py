"""Admin wiring for the site shell: the shared "Inbox" menu."""

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from .inbox.admin import INBOX_MENU_HOOK

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
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-inbox.css"))


@hooks.register("insert_editor_js")
def draftail_labels_js():
    """Names each rich text editor after its field's label (Wagtail leaves them unnamed: wagtail/wagtail#14205)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("js/admin-draftail-labels.js"))


@hooks.register("lpsite_seed_demo")
def seed_navigation(home, log):
    from .demo import seed_navigation_demo

    seed_navigation_demo(home, log)


seed_navigation.seed_order = 90


@hooks.register("lpsite_seed_demo")
def seed_home_picks(home, log):
    from .demo import seed_home_picks_demo

    seed_home_picks_demo(home, log)


seed_home_picks.seed_order = 95


# Outgoing emails (Settings menu): failed deliveries and "send again".
from .email_admin import OutboundEmailAdmin  # noqa: E402

outbound_email_admin = OutboundEmailAdmin()
outbound_email_admin.register_with_wagtail()


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        from .security_views import can_unlock

        return can_unlock(request.user)


@hooks.register("register_admin_urls")
def register_lockout_urls():
    from django.urls import path

    from . import security_views

    return [
        path("lockouts/", security_views.lockouts, name="lpsite_lockouts"),
        path("lockouts/<int:attempt_id>/unlock/", security_views.unlock, name="lpsite_unlock"),
    ]


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    from django.urls import reverse

    return LockoutsMenuItem("Login lockouts", reverse("lpsite_lockouts"), icon_name="lock", order=900)


# The Scheduled report and the review feedback register their own hooks.
from . import review, scheduled  # noqa: E402, F401
