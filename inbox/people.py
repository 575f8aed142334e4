"""Who works an inbox: the people holding its permission, for the alerts that tell them something arrived."""

from django.contrib.auth import get_user_model
from django.db.models import Q


def permission_holders(permission, *, superusers=False):
    """Active users holding ``permission`` ("app_label.codename") through a group or on their own, and with
    ``superusers`` every active superuser (they see every inbox, but are not told about each submission
    unless they hold the permission too)."""
    app_label, codename = permission.split(".", 1)
    own = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    group = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
    who = own | group | Q(is_superuser=True) if superusers else own | group
    return get_user_model().objects.filter(is_active=True).filter(who).distinct()


def holder_addresses(permission):
    """The email addresses of :func:`permission_holders`, lower-case, sorted, without blanks."""
    return sorted({email.lower() for email in permission_holders(permission).values_list("email", flat=True) if email})
