"""One member, one timeline (Admin → Members, ``/admin/members/?email=<address>``).

Everything an address sent or was sent, newest first: each inbox the viewer works in contributes its
submissions (``InboxModelAdmin.member_entries``: Help Desk requests with their status and the resources sent,
registrations with attended or no-show, interest), and the outbox the emails it sent them that the viewer may see
(``inbox.email_admin.visible_to``). An inbox the viewer does not work in contributes nothing, so Help Desk staff
see no registration and Events staff no case text; a viewer who works in no inbox is refused. The search box
finds members by name or email in the same inboxes.

One query per inbox and one for the outbox, whatever the number of entries.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from . import member_data
from .email_admin import visible_to
from .models import OutboundEmail
from .registry import INBOXES
from .timeline import Entry, timeline_url

EXPORTED = "lpsite.members.exported"
ERASED = "lpsite.members.erased"

SEARCH_LIMIT = 50


def inboxes_for(user):
    return [model_admin for model_admin in INBOXES if model_admin.user_can_manage(user)]


def timeline(user, email):
    """The entries about ``email`` that ``user`` may see, newest first."""
    email = (email or "").strip().lower()
    entries = []
    for model_admin in inboxes_for(user):
        entries.extend(model_admin.member_entries(email))
    sent = visible_to(user, OutboundEmail.objects.filter(to__icontains=f'"{email}"')).only(
        "pk", "subject", "status", "created_at", "sent_at", "to", "purpose"
    )
    for message in sent:
        if email not in [address.lower() for address in message.to]:
            continue  # the text matched inside another address
        entries.append(
            Entry(
                when=message.sent_at or message.created_at,
                inbox="Email sent",
                title=message.subject,
                status=message.get_status_display(),
                url=reverse("inbox_outboundemail_modeladmin_inspect", args=[message.pk]),
            )
        )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def search(user, query):
    """[(email, name, inboxes)] of members whose name or address holds ``query``, in the viewer's inboxes."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    found = {}
    for model_admin in inboxes_for(user):
        for email, name in model_admin.member_search(query)[:SEARCH_LIMIT]:
            email = email.lower()
            person = found.setdefault(email, {"email": email, "name": name, "inboxes": []})
            if model_admin.get_menu_label() not in person["inboxes"]:
                person["inboxes"].append(model_admin.get_menu_label())
    return sorted(found.values(), key=lambda person: (person["name"].lower(), person["email"]))[:SEARCH_LIMIT]


def member_view(request):
    if not request.user.is_superuser and not inboxes_for(request.user):
        raise PermissionDenied
    email = (request.GET.get("email") or "").strip().lower()[:254]
    query = (request.GET.get("q") or "").strip()[:200]
    entries = timeline(request.user, email) if email else []
    return TemplateResponse(
        request,
        "inbox/admin/member.html",
        {
            "email": email,
            "query": query,
            "entries": entries,
            "matches": search(request.user, query) if query else [],
            "inbox_labels": [model_admin.get_menu_label() for model_admin in inboxes_for(request.user)],
        },
    )


def _superuser_email(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    return member_data.normalise(request.GET.get("email") or request.POST.get("email"))[:254]


def export_view(request):
    """Everything about the address as a JSON download (superusers); logged with a digest of the address."""
    email = _superuser_email(request)
    if not email:
        return HttpResponseBadRequest("Which address? Add ?email=.")
    body = member_data.export_json(email)
    log(instance=request.user, action=EXPORTED, data={"address": member_data.digest(email)})
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="member-data-{member_data.digest(email)}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def erase_view(request):
    """Erase everything about the address (superusers, after ticking that they mean it); logged."""
    email = _superuser_email(request)
    if not email or request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing was erased: tick the box to confirm, then erase.")
        return redirect(timeline_url(email) if email else reverse("inbox_member"))
    counts = member_data.erase(email)
    log(instance=request.user, action=ERASED, data={"address": member_data.digest(email), "counts": counts})
    done = ", ".join(f"{label}: {count}" for label, count in counts.items() if count) or "nothing was held"
    messages.success(request, f"Erased everything about that address ({done}).")
    return redirect(timeline_url(email))
