"""The morning digest: for a staffer who asked for it (Account › Notifications), one email each morning with what
waits in each inbox they work in (the dashboard's counts: new, overdue, unassigned…) and what is assigned to
them, each with its link; no email on a morning when nothing waits. ``manage.py send_staff_digests`` (cron, each
morning) sends them; a second run the same day sends nothing more."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .emails import queue_email
from .models import StaffDigest
from .registry import INBOXES


def absolute(url):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url.startswith("/") else url


def waiting_for(user):
    """[{"inbox", "items": [{"label", "count", "url"}]}] of the inboxes ``user`` works in, only what waits."""
    sections = []
    for model_admin in INBOXES:
        if not model_admin.user_can_manage(user):
            continue
        items = [dict(item, url=absolute(item["url"])) for item in model_admin.dashboard_counts(user) if item["count"]]
        mine = model_admin.assigned_waiting(user)
        if mine:
            items.append({"label": "Assigned to you", "count": mine, "url": absolute(model_admin.assigned_url(user))})
        if items:
            sections.append({"inbox": model_admin.get_menu_label(), "items": items})
    return sections


def send_digests(today=None):
    """Queue today's digests; returns the users they went to."""
    today = today or timezone.localdate()
    sent = []
    for digest in StaffDigest.objects.filter(daily=True, user__is_active=True).exclude(last_sent_on=today):
        user = digest.user
        sections = waiting_for(user) if user.email else []
        if sections:
            queue_email(
                [user.email],
                "inbox/digest",
                {
                    "user": user,
                    "sections": sections,
                    "today": today,
                    "account_url": absolute(reverse("wagtailadmin_account")),
                },
                purpose="digest",
            )
            sent.append(user)
        digest.last_sent_on = today
        digest.save(update_fields=["last_sent_on"])
    return sent
