"""Retention: personal data of Help Desk requests closed longer than HELPDESK_RETENTION_DAYS is removed.

What stays (the statistics): the reference, role, category, issue area,
status, assignee, due, creation and closing dates, and the thread's shape
(which kinds of step, by which staff member, when). What goes: the member's
name, email, phone, office, jurisdiction, question and details, every answer
in ``form_data``, the text of the thread (notes, replies, additions,
introductions), the files the member emailed, the emails the site kept about
the request (sent and received), and the messages in its Wagtail log entries.
Received emails that joined no request (auto-replies, loops, unreadable mail)
go after the same period. The member's private link then
answers "expired" (410) and shows nothing.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inbox.admin import forget_log_entries
from inbox.emails import related_key
from inbox.models import OutboundEmail

from .models import HelpDeskRequest, InboundEmail, RequestActivity, RequestAttachment

Status = HelpDeskRequest.Status
REMOVED = "(removed after the retention period)"


def due_for_purge(days=None, now=None):
    """Closed or resolved longer than ``days`` ago (spam: sent longer ago), and not yet anonymised."""
    days = settings.HELPDESK_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return HelpDeskRequest.objects.filter(anonymised_at__isnull=True).filter(
        Q(status__in=HelpDeskRequest.DONE, closed_at__lt=cutoff) | Q(status=Status.SPAM, created_at__lt=cutoff)
    )


@transaction.atomic
def anonymise(request_obj, now=None):
    now = now or timezone.now()
    key = related_key(request_obj)
    request_obj.name = ""
    request_obj.email = ""
    request_obj.phone = ""
    request_obj.office = ""
    request_obj.jurisdiction = ""
    request_obj.question = REMOVED
    request_obj.details = ""
    request_obj.spam_reason = ""
    request_obj.form_data = {}
    request_obj.submission_key = None  # a digest of the address and the question
    request_obj.member_replied_at = None
    request_obj.anonymised_at = now
    request_obj.save()
    for activity in RequestActivity.objects.filter(request=request_obj):
        activity.text = ""
        activity.data = {"count": len(activity.data.get("resources", []) or activity.data.get("experts", []))}
        activity.save(update_fields=["text", "data"])
    for attachment in RequestAttachment.objects.filter(request=request_obj):
        attachment.file.delete(save=False)
        attachment.delete()
    for received in InboundEmail.objects.filter(request=request_obj):
        forget_received(received)
    OutboundEmail.objects.filter(related_key=key).update(
        to=[], reply_to=[], subject=REMOVED, text_body="", html_body=""
    )
    forget_log_entries(request_obj, request_obj.reference)
    return request_obj


def forget_received(received):
    """A received email keeps its outcome and date; its message, sender and subject go."""
    if received.raw:
        received.raw.delete(save=False)
    received.sender = ""
    received.subject = REMOVED
    received.save(update_fields=["raw", "sender", "subject"])


def purge(days=None, *, dry_run=False, now=None):
    """Anonymise every request due; returns the references (what would be, with ``dry_run``). Received emails that
    joined no request and are older than the period are forgotten too."""
    days_ = settings.HELPDESK_RETENTION_DAYS if days is None else days
    if not dry_run:
        cutoff = (now or timezone.now()) - datetime.timedelta(days=days_)
        for received in InboundEmail.objects.filter(request__isnull=True, received_at__lt=cutoff).exclude(raw=""):
            forget_received(received)
    references = []
    for request_obj in due_for_purge(days, now).order_by("pk"):
        references.append(request_obj.reference)
        if not dry_run:
            anonymise(request_obj, now)
    return references
