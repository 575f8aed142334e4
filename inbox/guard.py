"""Every admin URL of a ModelAdmin that holds member data answers only to those who may see that data.

wagtail-modeladmin checks permissions view by view, and not in every view: its history view checks
none, so any staff login could read a registration's or a Help Desk request's title (the member's
name, their question) by walking ids. Here the check is made once, around every URL the class
registers: modeladmin's own (index, inspect, history, create, edit, delete, and any an upgrade
adds), the inbox kit's (actions, bulk) and those a subclass adds, whoever overrides
``get_admin_urls_for_registration``. The views' own checks stay, as a second lock.

    class OutboundEmailAdmin(GuardedModelAdmin, ModelAdmin):
        def user_may_access(self, user): ...
"""

from functools import wraps

from wagtail.admin.auth import permission_denied


def guarded_urls(patterns, allowed):
    """``patterns`` (URLPatterns) with each view refusing users for whom ``allowed(user)`` is false."""
    for pattern in patterns:
        view = pattern.callback
        if getattr(view, "guarded", False):
            continue  # a subclass's URLs pass through its parent's method too: wrapped once

        @wraps(view)
        def guarded(request, *args, _view=view, **kwargs):
            if not allowed(request.user):
                return permission_denied(request)
            return _view(request, *args, **kwargs)

        guarded.guarded = True
        pattern.callback = guarded
    return patterns


class GuardedModelAdmin:
    """A ModelAdmin mixin: every URL its class (or any subclass) registers checks ``user_may_access``."""

    def user_may_access(self, user):
        raise NotImplementedError

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("get_admin_urls_for_registration")
        if own is None or getattr(own, "guarding", False):
            return

        @wraps(own)
        def get_admin_urls_for_registration(self):
            return guarded_urls(own(self), self.user_may_access)

        get_admin_urls_for_registration.guarding = True
        cls.get_admin_urls_for_registration = get_admin_urls_for_registration

    def get_admin_urls_for_registration(self):
        return guarded_urls(super().get_admin_urls_for_registration(), self.user_may_access)

    get_admin_urls_for_registration.guarding = True
