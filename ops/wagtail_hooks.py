"""Admin wiring of ops: Settings › Login lockouts."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import security_views


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return security_views.can_unlock(request.user)


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path("lockouts/", security_views.lockouts, name="lpsite_lockouts"),
        path("lockouts/<int:attempt_id>/unlock/", security_views.unlock, name="lpsite_unlock"),
    ]


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem("Login lockouts", reverse("lpsite_lockouts"), icon_name="lock", order=900)
