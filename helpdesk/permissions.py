"""Who may read Help Desk requests: Help Desk staff (the permission) and superusers."""

from home.roles import MANAGE_HELPDESK


def can_manage(user):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(MANAGE_HELPDESK))
