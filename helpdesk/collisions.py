"""Two staffers on one request: who else has it open, and refusing what was decided on a stale page.

Every action form of a request's page carries ``seen``, the newest thread entry when the page was drawn.
A reply, an assignment, an introduction or a status change posted from a page older than the thread (a
colleague acted since) is refused with what changed ("Alex replied 2 minutes ago"), and the typed text
is kept for the page it goes back to. Internal notes are never refused: they contradict no one.

Who has a request open is kept in the cache per request: opening the page puts the staffer's name in, and
while the page stays open its script says so every ``HEARTBEAT_SECONDS`` (``static/js/admin-helpdesk.js``)
and updates the "Also open by" line; a page that stops (its tab closed, the laptop shut) drops out after
``LIVE_SECONDS``, and one that says it is leaving drops out at once. A page seen without its script (no
heartbeat) counts for ``OPEN_SECONDS``.
"""

import time

from django.core.cache import cache
from django.utils.timesince import timesince

from .models import RequestActivity

OPEN_SECONDS = 10 * 60
HEARTBEAT_SECONDS = 30
LIVE_SECONDS = 3 * HEARTBEAT_SECONDS
GUARDED = {"reply", "assign", "assign_to", "assign_to_me", "connect", "start", "wait", "resume", "resolve", "close",
           "reopen", "mark_spam", "not_spam", "to_library"}  # fmt: skip
DRAFT_KEY = "helpdesk-draft-{pk}"
DONE = {
    "reply": "replied",
    "note": "added a note",
    "status": "changed the status",
    "assignment": "changed the assignment",
    "referral": "connected the member with experts",
    "member_update": "added details",
    "library": "drafted a library resource",
}


def newest(obj):
    """The id of the request's newest thread entry (0 for none): what the page's forms say they saw."""
    latest = obj.activities.order_by("-pk").values_list("pk", flat=True).first()
    return latest or 0


def changed_since(obj, seen, user):
    """The thread entries someone else added after ``seen`` (a page's token), oldest first."""
    try:
        seen = int(seen)
    except (TypeError, ValueError):
        return []
    entries = RequestActivity.objects.filter(request=obj, pk__gt=seen).select_related("author").order_by("pk")
    return [entry for entry in entries if entry.author_id is None or entry.author_id != user.pk]


def describe(entries):
    """ "Alex replied 2 minutes ago" for the newest entry that says most (a reply before the status change it
    brought; the member is "The member")."""
    said = [entry for entry in entries if entry.kind != RequestActivity.Kind.STATUS]
    entry = (said or entries)[-1]
    who = "The member" if entry.by_member else entry.author_label
    return f"{who} {DONE.get(entry.kind, 'changed it')} {timesince(entry.created_at).split(',')[0]} ago"


def keep_draft(request, obj, action, message):
    if message:
        request.session[DRAFT_KEY.format(pk=obj.pk)] = {"action": action, "message": message}


def take_draft(request, obj):
    return request.session.pop(DRAFT_KEY.format(pk=obj.pk), None)


def _key(obj):
    return f"lpsite:helpdesk:open:{obj.pk}"


def opened(obj, user, *, live=False, leaving=False):
    """Note that ``user`` has the request open (``live``: their page's heartbeat; ``leaving``: their page is
    closing); returns [(name, seconds since they opened it)] of the others who have it open now."""
    now = time.time()
    name = user.get_full_name() or user.get_username()
    viewers = {}
    for pk, entry in (cache.get(_key(obj)) or {}).items():
        who, opened_at, last, beating = entry
        if now - last < (LIVE_SECONDS if beating else OPEN_SECONDS):
            viewers[pk] = entry
    others = [(who, int(now - opened_at)) for pk, (who, opened_at, _last, _b) in viewers.items() if pk != user.pk]
    if leaving:
        viewers.pop(user.pk, None)
    else:
        opened_at = viewers[user.pk][1] if user.pk in viewers else now
        viewers[user.pk] = (name, opened_at, now, live or (viewers.get(user.pk, (0, 0, 0, False))[3]))
    cache.set(_key(obj), viewers, OPEN_SECONDS)
    return sorted(others, key=lambda other: other[1])


def describe_open(others):
    """["Alex (just now)", "Sam (4 min)"]: who else has it open, and since when."""
    return [f"{who} ({'just now' if seconds < 60 else f'{seconds // 60} min'})" for who, seconds in others]
