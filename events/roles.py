"""Page rights of the Events staff group on the trainings section (docs/roles.md)."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from home.roles import EVENTS_STAFF

# Draft, edit and lock training pages; publishing stays with Communications leads.
EVENTS_STAFF_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")


def grant_events_staff_page_rights(index_page):
    """Give Events staff add, change and lock rights on ``index_page`` and everything below it.

    Idempotent. Returns the number of rights added (0 when the group is missing).
    """
    group = Group.objects.filter(name=EVENTS_STAFF).first()
    if group is None:
        return 0
    added = 0
    for codename in EVENTS_STAFF_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        _, created = GroupPagePermission.objects.get_or_create(group=group, page=index_page, permission=permission)
        added += created
    return added
