"""What happens to a Help Desk request, in one place for the public views and the inbox.

Every change saves first and queues its emails in the same transaction
(``inbox.emails.queue_email`` delivers them after commit), and leaves a
``RequestActivity`` in the request's thread: who, what, when.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from home.models import SiteSettings
from home.roles import HELP_DESK_STAFF
from inbox.emails import queue_email

from . import mail_thread
from .models import HelpDeskRequest, RequestActivity
from .suggestions import suggest_resources

Status = HelpDeskRequest.Status
Kind = RequestActivity.Kind
LINK_SALT = "lpsite.helpdesk.member-link"


# Links ---------------------------------------------------------------------------


def member_signature(request_obj):
    return signing.TimestampSigner(salt=LINK_SALT).sign(request_obj.manage_token)


def request_for_signature(signed):
    """(request, problem): problem is "" for a good link, else "invalid" or "expired"."""
    signer = signing.TimestampSigner(salt=LINK_SALT)
    max_age = datetime.timedelta(days=settings.HELPDESK_LINK_MAX_AGE_DAYS)
    try:
        token = signer.unsign(signed, max_age=max_age)
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    found = HelpDeskRequest.objects.select_related("issue_area").filter(manage_token=token).first()
    if found is None or found.status == Status.SPAM:
        return None, "invalid"
    if found.anonymised_at:
        return None, "expired"
    return found, ""


def member_path(request_obj):
    return reverse("helpdesk_member", args=[member_signature(request_obj)])


def member_url(request_obj):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + member_path(request_obj)


def absolute(path):
    if path and path.startswith("/"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
    return path or ""


def thanks_path(request_obj):
    return reverse("helpdesk_thanks", args=[member_signature(request_obj)])


def admin_url(request_obj):
    try:
        path = reverse("helpdesk_helpdeskrequest_modeladmin_inspect", args=[request_obj.pk])
    except NoReverseMatch:
        path = reverse("wagtailadmin_home")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# Dates -----------------------------------------------------------------------------


def add_business_days(start, days):
    current = start
    while days > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def due_date_for(needed_by, today=None):
    """The member's timeline, else HELPDESK_DUE_BUSINESS_DAYS business days from today."""
    if needed_by:
        return needed_by
    return add_business_days(today or timezone.localdate(), settings.HELPDESK_DUE_BUSINESS_DAYS)


# Who hears about it ----------------------------------------------------------------


def _help_desk_staff_q():
    perm = Permission.objects.filter(content_type__app_label="helpdesk", codename="manage_helpdesk_requests")
    return Q(groups__name=HELP_DESK_STAFF) | Q(user_permissions__in=perm) | Q(groups__permissions__in=perm)


def staff_users():
    """Active Help Desk staff (its group, or anyone holding its permission): who hears about new requests.

    Superusers are not in it unless they are also Help Desk staff: they see the inbox but are not
    emailed about every request. Who may be *assigned* is ``assignable_users()``.
    """
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(_help_desk_staff_q())
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assignable_users():
    """Who may be assigned a request: active Help Desk staff and active superusers (both work the inbox).

    The one list behind the inspect view's "Assigned to" dropdown, bulk assign, "Assign to me",
    the assignee filter and the check ``workflow.on_assign`` makes.
    """
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(_help_desk_staff_q() | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def staff_addresses():
    if settings.HELPDESK_NOTIFY_EMAILS:
        return list(settings.HELPDESK_NOTIFY_EMAILS)
    addresses = sorted({u.email.lower() for u in staff_users().exclude(email="") if u.email})
    if addresses:
        return addresses
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    contact = SiteSettings.for_site(site).contact_email if site else ""
    return [contact] if contact else []


def display_name(user):
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()


# Intake ------------------------------------------------------------------------------


def submission_key(core):
    """A digest of what the member sent (address, question, details): a double-click, a refresh of the posted
    form or a replay of it carries the same, so it files one request (one reference, one acknowledgement)."""
    sent = "\n".join(str(core.get(name) or "").strip().lower() for name in ("email", "question", "details"))
    return salted_hmac("lpsite.helpdesk.submission", sent).hexdigest()


@transaction.atomic
def submit(page, *, core, form_data, spam_reason="", channel=HelpDeskRequest.Channel.FORM):
    """Save a request (with its reference) first, then queue the acknowledgement and the staff notification.

    The same request sent again within HELPDESK_RESUBMIT_MINUTES is the request already filed: it is returned
    and nothing is sent again (two posts at once meet at the key's unique index: the second gets the first)."""
    key = submission_key(core)
    existing = HelpDeskRequest.objects.filter(submission_key=key).first()
    if existing is not None:
        if existing.created_at >= timezone.now() - datetime.timedelta(minutes=settings.HELPDESK_RESUBMIT_MINUTES):
            return existing
        HelpDeskRequest.objects.filter(pk=existing.pk).update(submission_key=None)  # an old one: ask again
    request_obj = HelpDeskRequest(
        page=page,
        form_data=form_data,
        status=Status.SPAM if spam_reason else Status.NEW,
        spam_reason=spam_reason[:255],
        due_date=due_date_for(core.get("needed_by")),
        submission_key=key,
        channel=channel,
        **core,
    )
    try:
        with transaction.atomic():
            request_obj.save()
    except IntegrityError:
        twin = HelpDeskRequest.objects.filter(submission_key=key).first()
        if twin is None:
            raise
        return twin
    RequestActivity.objects.create(request=request_obj, kind=Kind.SUBMITTED, text=request_obj.details)
    if not spam_reason:
        send_intake_emails(request_obj)
    return request_obj


def send_intake_emails(request_obj):
    suggestions = suggest_resources(
        f"{request_obj.question} {request_obj.details}", request_obj.issue_area, absolute=True
    )
    context = {
        "req": request_obj,
        "member_url": member_url(request_obj),
        "suggestions": suggestions,
        "admin_url": admin_url(request_obj),
    }
    queue_email(
        [request_obj.email],
        "helpdesk/acknowledgement",
        context,
        purpose="acknowledgement",
        related=request_obj,
        **mail_thread.to_member(request_obj, first=True, automatic=True),
    )
    staff = staff_addresses()
    if staff:
        queue_email(
            staff,
            "helpdesk/new_request",
            context,
            purpose="new_request",
            related=request_obj,
            reply_to=[request_obj.email],
        )


# The member's own additions ---------------------------------------------------------


# A member's follow-up puts these back in progress: whatever they wrote needs a person to read it.
REOPENED_BY_MEMBER = (Status.WAITING_ON_MEMBER, Status.CONNECTED, Status.RESOLVED, Status.CLOSED)


@transaction.atomic
def add_member_details(request_obj, text, *, via_email=None):
    """The member adds details, through their link or by email (``via_email``: the sender, the subject and the
    attachments refused): into the thread, marked "member replied" in the inbox until staff reply; a case waiting
    on them, connected, resolved or closed is back in progress; the assignee (unassigned: Help Desk staff) is
    told. Returns (request, the thread's new entry)."""
    request_obj = HelpDeskRequest.objects.select_for_update().get(pk=request_obj.pk)
    data = {"via": "email", **via_email} if via_email else {}
    activity = RequestActivity.objects.create(request=request_obj, kind=Kind.MEMBER_UPDATE, text=text, data=data)
    request_obj.member_replied_at = activity.created_at
    fields = ["member_replied_at", "updated_at"]
    if request_obj.status in REOPENED_BY_MEMBER:
        RequestActivity.objects.create(
            request=request_obj,
            kind=Kind.STATUS,
            data={"from": request_obj.status, "to": Status.IN_PROGRESS, "by_member": True},
            text="The member added details.",
        )
        request_obj.status = Status.IN_PROGRESS
        fields.append("status")
    request_obj.save(update_fields=fields)
    recipients = [request_obj.assignee.email] if request_obj.assignee and request_obj.assignee.email else []
    recipients = recipients or staff_addresses()
    if recipients:
        queue_email(
            recipients,
            "helpdesk/member_update",
            {"req": request_obj, "activity": activity, "admin_url": admin_url(request_obj)},
            purpose="member_update",
            related=request_obj,
            reply_to=[request_obj.email],
        )
    return request_obj, activity
