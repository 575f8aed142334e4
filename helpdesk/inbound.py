"""Email into the Help Desk: one function, :func:`receive`, fed by the mailbox (``manage.py fetch_helpdesk_mail``)
and by email services' webhooks (django-anymail, ``helpdesk/webhooks.py``).

What becomes of an email (``InboundEmail.Outcome``), in this order:

1. The same Message-ID again (a webhook's retry, a second read of the mailbox): nothing; the first is returned.
2. No valid sender: kept, *unreadable*, for staff.
3. Automatic mail (``Auto-Submitted``, ``X-Autoreply``, ``Precedence: bulk``, bounces and read reports): kept,
   *ignored*; it never reopens, opens or answers anything.
4. Mail from the site's own addresses: a *loop*, ignored.
5. Sent to a reply address (``helpdesk+HD-2026-0042.<signature>@…``): with a good signature it *joins* that
   request's thread as the member's words; forged or stale, it is kept as *suspected spam* for staff.
6. A reply threaded under a request (``In-Reply-To``/``References``) from the request's own address: *joins* it
   (a Message-ID is no secret, so the sender must match).
7. Anything else opens a *new request* (acknowledged with its reference and private link), unless the mail server
   or email service called it spam or the address went over ``HELPDESK_EMAIL_RATE``: then it is kept as suspected
   spam with the reason, and nobody is emailed.

Joining puts the member's new words (quotes and signature removed) in the thread, keeps the attachments privately
(type and size limits; what was refused is listed in the thread and the member is told), reopens a case that was
waiting on them, connected, resolved or closed, and tells the assignee (unassigned: the Help Desk's staff).
Every email is kept as received (``InboundEmail.raw``) whatever became of it.
"""

import hashlib
import logging
import os
import re
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from home.shell import find_page
from inbox.emails import queue_email
from inbox.spam import over_rate

from . import cases, mail_read, mail_thread
from .models import HelpDeskPage, HelpDeskRequest, InboundEmail, RequestAttachment

logger = logging.getLogger(__name__)
Outcome = InboundEmail.Outcome

# What the Help Desk keeps of an attachment: documents, spreadsheets, slides, images, text.
ACCEPTED_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".csv", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic",
}  # fmt: skip
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv|rv|res|enc)\s*(\[\d+\])?\s*:\s*)+", re.I)


def receive(raw, *, source, spam_verdict="", envelope_recipient=""):
    """Take one email (its bytes as received) and return its ``InboundEmail`` row. Raises only when the
    database does: the caller (the mailbox reader, the webhook) then leaves the email to be tried again."""
    mail = mail_read.read(raw)
    existing = InboundEmail.objects.filter(message_id=mail.message_id).first()
    if existing is not None:
        return existing
    record = InboundEmail(
        message_id=mail.message_id,
        source=source[:40],
        sender=mail.sender,
        subject=mail.subject,
        size=len(raw),
    )
    try:
        with transaction.atomic():
            record.raw.save(f"{hashlib.sha256(raw).hexdigest()[:24]}.eml", ContentFile(raw), save=False)
            _decide(record, mail, spam_verdict=spam_verdict, envelope_recipient=envelope_recipient)
            record.reason = record.reason[:255]
            record.save()
    except IntegrityError:
        # The same email taken at the same moment by another process (two webhook retries, two mailbox readers).
        twin = InboundEmail.objects.filter(message_id=mail.message_id).first()
        if twin is None:
            raise
        return twin
    logger.info("Help Desk email %s from %s: %s", record.message_id, record.sender, record.outcome)
    return record


def _decide(record, mail, *, spam_verdict, envelope_recipient):
    if not mail.sender:
        record.outcome, record.reason = Outcome.UNREADABLE, "No valid sender address"
        if mail.problems:
            record.reason += " (" + "; ".join(mail.problems) + ")"
        return
    if mail.automatic:
        record.outcome, record.reason = Outcome.AUTOMATIC, mail.automatic
        return
    if mail.sender in mail_thread.own_addresses() or mail_thread.is_reply_address(mail.sender):
        record.outcome, record.reason = Outcome.LOOP, f"Sent from the site's own address ({mail.sender})"
        return
    addressed = [a.lower() for a in [envelope_recipient, *mail.recipients] if a]
    reply_addresses = [a for a in addressed if mail_thread.is_reply_address(a)]
    if reply_addresses:
        request_obj = next(filter(None, map(mail_thread.request_for_reply_address, reply_addresses)), None)
        if request_obj is None:
            reason = f"Sent to a reply address the Help Desk never gave out ({reply_addresses[0]}): forged or mistyped"
            _open(record, mail, spam_reason=reason)
        elif request_obj.anonymised_at:
            _open(record, mail, note=f"A reply to {request_obj.reference}, whose personal data has been removed.")
        else:
            _join(record, mail, request_obj)
        return
    reference = mail_thread.reference_in_thread(mail.references)
    if reference:
        request_obj = HelpDeskRequest.objects.filter(
            reference=reference, email=mail.sender, anonymised_at__isnull=True
        ).first()
        if request_obj is not None:
            _join(record, mail, request_obj)
            return
    spam_reason = spam_verdict or mail.spam_flag
    if not spam_reason and over_rate(f"helpdesk-email:{mail.sender}", settings.HELPDESK_EMAIL_RATE):
        spam_reason = f"More new requests by email from this address than {settings.HELPDESK_EMAIL_RATE} allows"
    _open(record, mail, spam_reason=spam_reason)


def _text(mail):
    """The member's words: the new ones, or (when the reply parser found none) the whole body; never nothing."""
    return mail.text or mail.full_text


def _join(record, mail, request_obj):
    kept, refused = _sort_attachments(mail.attachments)
    request_obj, activity = cases.add_member_details(
        request_obj,
        _text(mail),
        via_email={
            "sender": mail.sender,
            "subject": mail.subject,
            "files": [attachment.filename for attachment in kept],
            "refused": refused,
        },
    )
    _keep(kept, request_obj, activity)
    if refused:
        _tell_refused(request_obj, refused)
    record.request = request_obj
    record.outcome, record.reason = Outcome.JOINED, f"Added to {request_obj.reference}"


def _open(record, mail, *, spam_reason="", note=""):
    kept, refused = _sort_attachments(mail.attachments)
    question = REPLY_PREFIX.sub("", mail.subject).strip() or "(no subject)"
    details = _text(mail) or "(The email had no text.)"
    if note:
        details = f"{details}\n\n({note})"
    request_obj = cases.submit(
        find_page(HelpDeskPage),
        core={
            "name": mail.sender_name or mail.sender.partition("@")[0],
            "email": mail.sender,
            "question": question[:200],
            "details": details,
        },
        form_data={"subject": mail.subject, "sent_by_email": mail.sender},
        spam_reason=spam_reason,
        channel=HelpDeskRequest.Channel.EMAIL,
    )
    first = request_obj.activities.order_by("pk").first()
    if refused and first is not None:
        first.data = {**(first.data or {}), "refused": refused}
        first.save(update_fields=["data"])
    _keep(kept, request_obj, first)
    if refused and not spam_reason:
        _tell_refused(request_obj, refused)
    record.request = request_obj
    if spam_reason:
        record.outcome, record.reason = Outcome.SPAM, spam_reason
    else:
        record.outcome, record.reason = Outcome.OPENED, f"Opened {request_obj.reference}"


def _sort_attachments(attachments):
    """(kept, refused): what the limits allow, and a line for each file they don't."""
    max_bytes = settings.HELPDESK_ATTACHMENT_MAX_MB * 1024 * 1024
    kept, refused = [], []
    for attachment in attachments:
        extension = os.path.splitext(attachment.filename)[1].lower()
        if len(kept) >= settings.HELPDESK_ATTACHMENTS_PER_EMAIL:
            refused.append(f"{attachment.filename}: more than {settings.HELPDESK_ATTACHMENTS_PER_EMAIL} files")
        elif extension not in ACCEPTED_EXTENSIONS:
            refused.append(f"{attachment.filename}: a type the Help Desk does not accept")
        elif attachment.size > max_bytes:
            size_mb = attachment.size / 1024 / 1024
            limit = settings.HELPDESK_ATTACHMENT_MAX_MB
            refused.append(f"{attachment.filename}: {size_mb:.0f} MB, over the {limit} MB limit")
        else:
            kept.append(attachment)
    return kept, refused


def _keep(attachments, request_obj, activity):
    for attachment in attachments:
        extension = os.path.splitext(attachment.filename)[1].lower()
        row = RequestAttachment(
            request=request_obj,
            activity=activity,
            filename=attachment.filename,
            content_type=attachment.content_type[:100],
            size=attachment.size,
        )
        row.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(attachment.content), save=False)
        row.save()


def _tell_refused(request_obj, refused):
    """The member hears which files were not kept, as automatic mail (no auto-responder answers it), at most once
    an hour per request (the loop guard: a mail program that keeps answering gets one note, not one each)."""
    if over_rate(f"helpdesk-refused:{request_obj.pk}", "1/h"):
        return
    queue_email(
        [request_obj.email],
        "helpdesk/attachments_refused",
        {
            "req": request_obj,
            "refused": refused,
            "member_url": cases.member_url(request_obj),
            "max_mb": settings.HELPDESK_ATTACHMENT_MAX_MB,
        },
        purpose="attachments_refused",
        related=request_obj,
        **mail_thread.to_member(request_obj, automatic=True),
    )
