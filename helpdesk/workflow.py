"""The Help Desk's transitions and their side effects, applied by the inbox kit.

``HelpDeskRequest.transitions`` (in ``models.py``) lists the moves; the kit's
``apply_transition`` locks the request, checks its status, saves, logs a
Wagtail ``ModelLogEntry`` and calls the handler here. Each handler leaves a
``RequestActivity`` in the request's thread (who, what, when) and queues the
emails the step sends (delivered after commit).
"""

import re

from django.utils import timezone

from inbox.emails import queue_email
from inbox.transitions import TransitionError
from library.models import ResourceLibraryPage, ResourcePage
from taxonomy.models import ResourceType

from . import cases, mail_thread
from .models import Expert, HelpDeskRequest, RequestActivity, SavedReply

Status = HelpDeskRequest.Status
Kind = RequestActivity.Kind
MAX_RESOURCES = 5


def activity(obj, kind, actor, text="", **data):
    return RequestActivity.objects.create(request=obj, kind=kind, author=actor, text=text, data=data)


def status_changed(obj, actor, message=""):
    return activity(obj, Kind.STATUS, actor, message, to=obj.status, label=obj.get_status_display())


def _ids(values):
    if values is None:
        return []
    if isinstance(values, str | int):
        values = [values]
    return [int(v) for v in values if str(v).isdecimal()]


# Status moves ------------------------------------------------------------------------


def on_status(obj, *, actor, message="", data=None):
    status_changed(obj, actor, message)


def on_done(obj, *, actor, message="", data=None):
    obj.closed_at = timezone.now()
    status_changed(obj, actor, message)


def on_close(obj, *, actor, message="", data=None):
    """Closed: the member is told, in a short note with staff's optional line, how to come back."""
    on_done(obj, actor=actor, message=message, data=data)
    if obj.email and not obj.anonymised_at:
        queue_email(
            [obj.email],
            "helpdesk/closed",
            {"req": obj, "message": message, "member_url": cases.member_url(obj), "staff": actor},
            purpose="closed",
            related=obj,
            **mail_thread.to_member(obj, automatic=True),
        )


def on_reopen(obj, *, actor, message="", data=None):
    status_changed(obj, actor, message)  # closed_at is cleared by HelpDeskRequest.save()


def on_spam(obj, *, actor, message="", data=None):
    obj.spam_reason = (message or "Marked as spam by staff")[:255]
    status_changed(obj, actor, message)


def on_not_spam(obj, *, actor, message="", data=None):
    obj.spam_reason = ""
    status_changed(obj, actor, message)
    # The member never heard from us: the acknowledgement and the staff notification go now.
    cases.send_intake_emails(obj)


# Notes, replies, assignment, experts ----------------------------------------------------


def on_note(obj, *, actor, message="", data=None):
    activity(obj, Kind.NOTE, actor, message)


def on_reply(obj, *, actor, message="", data=None):
    """Email the member the reply (edited saved reply and chosen library resources), keep it in the thread."""
    data = data or {}
    resource_ids = _ids(data.get("resources"))[:MAX_RESOURCES]
    resources = list(ResourcePage.objects.live().public().filter(pk__in=resource_ids).order_by("title"))
    cards = [
        {"id": r.pk, "title": r.title, "url": cases.absolute(r.get_url()), "summary": r.summary} for r in resources
    ]
    saved = SavedReply.objects.filter(pk__in=_ids(data.get("saved_reply"))).first()
    previous = obj.status
    obj.member_replied_at = None  # answered: no longer "member replied" in the inbox
    if obj.status == Status.NEW:
        obj.status = Status.IN_PROGRESS
    if data.get("then") in (Status.WAITING_ON_MEMBER, Status.RESOLVED):
        obj.status = data["then"]
        if obj.status == Status.RESOLVED and obj.status != previous:
            obj.closed_at = timezone.now()
    reply = activity(
        obj, Kind.REPLY, actor, message, resources=cards, saved_reply=saved.title if saved else "", status=obj.status
    )
    if obj.status != previous:
        # Its own entry, like every other change of status (closed_at follows in HelpDeskRequest.save()).
        status_changed(obj, actor)
    queue_email(
        [obj.email],
        "helpdesk/reply",
        {"req": obj, "reply": reply, "resources": cards, "member_url": cases.member_url(obj), "staff": actor},
        purpose="reply",
        related=obj,
        **mail_thread.to_member(obj),
    )


def on_assign(obj, *, actor, message="", data=None):
    """Assign to a colleague (or oneself, or nobody); the new assignee is emailed unless they did it."""
    data = data or {}
    raw = data.get("assignee")
    assignee = None
    if raw not in (None, ""):
        assignee = cases.assignable_users().filter(pk__in=_ids(raw)).first()
        if assignee is None:
            raise TransitionError("That person isn't Help Desk staff, so they can't be assigned.")
    previous = obj.assignee
    obj.assignee = assignee
    activity(
        obj,
        Kind.ASSIGNMENT,
        actor,
        f"Assigned to {cases.display_name(assignee)}" if assignee else "Unassigned",
        assignee=assignee.pk if assignee else None,
    )
    if assignee and assignee != actor and assignee.email:
        queue_email(
            [assignee.email],
            "helpdesk/assigned",
            {"req": obj, "assignee": assignee, "actor": actor, "admin_url": cases.admin_url(obj)},
            purpose="assigned",
            related=obj,
        )
    if previous and previous != assignee and previous != actor and previous.email:
        # Taken over: the one who had it hears so, and stops working on it.
        queue_email(
            [previous.email],
            "helpdesk/taken_over",
            {"req": obj, "previous": previous, "assignee": assignee, "actor": actor, "admin_url": cases.admin_url(obj)},
            purpose="taken_over",
            related=obj,
        )
    return "lpsite.inbox.assigned"


def on_assign_to_me(obj, *, actor, message="", data=None):
    return on_assign(obj, actor=actor, message=message, data={"assignee": actor.pk if actor else None})


def on_connect(obj, *, actor, message="", data=None):
    """One introduction email to the member and the chosen experts; the case is now connected."""
    data = data or {}
    experts = list(Expert.objects.filter(pk__in=_ids(data.get("experts")), active=True).order_by("name"))
    if not experts:
        raise TransitionError("Choose at least one expert to connect the member with.")
    activity(
        obj,
        Kind.REFERRAL,
        actor,
        message,
        experts=[{"id": e.pk, "name": e.name, "organisation": e.organisation} for e in experts],
    )
    last = obj.activities.filter(kind=Kind.STATUS).order_by("-created_at", "-pk").first()
    if last is None or last.data.get("to") != obj.status:  # not when more experts join a connected case
        status_changed(obj, actor)
    queue_email(
        [obj.email, *[e.email for e in experts]],
        "helpdesk/introduction",
        {"req": obj, "experts": experts, "message": message, "staff": actor},
        purpose="introduction",
        related=obj,
        reply_to=[obj.email],
        headers=mail_thread.to_member(obj)["headers"],  # in the member's thread
    )


def on_to_library(obj, *, actor, message="", data=None):
    """A draft ResourcePage from the case: question as title and summary, the reply as body, no personal data."""
    if obj.library_page_id:
        raise TransitionError("This case already has a library draft.")
    replies = obj.activities.filter(kind=Kind.REPLY)
    chosen = _ids((data or {}).get("reply"))
    # The reply staff chose; without a choice, the longest (the answer, not the closing "Thanks").
    reply = replies.filter(pk__in=chosen).first() if chosen else max(replies, key=lambda r: len(r.text), default=None)
    if reply is None:
        raise TransitionError("Reply to the member first: the reply becomes the resource's body.")
    library = ResourceLibraryPage.objects.first()
    if library is None:
        raise TransitionError("There is no resource library to add the draft to.")
    kind = ResourceType.objects.filter(slug="policy-brief").first() or ResourceType.objects.order_by("pk").first()
    if kind is None:
        raise TransitionError("Create a resource type first.")
    body = strip_personal(reply.text, obj)
    page = ResourcePage(
        title=obj.question[:255],
        summary=obj.question[:500],
        resource_type=kind,
        published_date=timezone.localdate(),
        live=False,
        body=[("paragraph", "".join(f"<p>{para}</p>" for para in escape_paragraphs(body)))],
    )
    library.add_child(instance=page)
    if obj.issue_area_id:
        page.issue_areas.set([obj.issue_area_id])
    page.save_revision(user=actor, log_action=True)
    obj.library_page = page
    activity(obj, Kind.LIBRARY, actor, f"Draft resource “{page.title}” created for review.", page=page.pk)


def escape_paragraphs(text):
    from django.utils.html import escape

    return [escape(p).replace("\n", "<br>") for p in text.split("\n\n") if p.strip()]


EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number as people write them: 919-555-0100, (919) 555 0100, +1 919.555.0100.
PHONE_NUMBER = re.compile(r"(?<![\w-])(?:\+?\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w-])")


def strip_personal(text, obj):
    """The reply with the member's name, every email address and phone number (the staffer's signature too)
    and the reference replaced by placeholders ("[name]", "[email]", "[phone]", "[reference]") an editor
    sees and rewrites: a library page is public, and a sentence with a hole reads as a mistake."""
    lines = text.splitlines()
    # A greeting line ("Hello Jenn,") names the member: drop it.
    if lines and obj.name and obj.name.split()[0].lower() in lines[0].lower() and len(lines[0]) < 80:
        lines = lines[1:]
    cleaned = "\n".join(lines).strip()
    cleaned = EMAIL_ADDRESS.sub("[email]", cleaned)
    if obj.reference:
        cleaned = re.sub(rf"(?<!\w){re.escape(obj.reference)}(?!\w)", "[reference]", cleaned, flags=re.IGNORECASE)
    cleaned = PHONE_NUMBER.sub("[phone]", cleaned)
    names = sorted({obj.name, *obj.name.split()}, key=len, reverse=True) if obj.name else []
    for value in names:
        if value and len(value) > 2:
            cleaned = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "[name]", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"\[name\](?:\s+\[name\])+", "[name]", cleaned)  # "Jenn Weaver" is one name
    return re.sub(r"[ \t]{2,}", " ", cleaned).strip()
