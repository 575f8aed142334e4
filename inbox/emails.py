"""Emails, saved first and delivered by a task after the transaction commits.

    queue_email(["member@example.org"], "events/confirmed", {"registration": r}, purpose="confirmed",
                related=r, attachments=[("event.ics", ics_bytes, "text/calendar")])

renders ``templates/emails/<name>_subject.txt``, ``<name>.txt`` and (if it
exists) ``<name>.html``; whatever members typed is escaped in the HTML and
never reaches a header (the subject is one line; recipients are validated
addresses only).
"""

import base64
import logging
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from home.models import SiteSettings
from home.site_url import site_root_url

from .mail_delivery import delivery_connection
from .models import OutboundEmail

logger = logging.getLogger(__name__)


def one_line(text):
    return " ".join(str(text).split())[:255]


def related_key(obj):
    if obj is None:
        return ""
    return f"{obj._meta.label_lower}:{obj.pk}"


def email_context(context):
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    site_settings = SiteSettings.for_site(site) if site else None
    base = {
        "organisation_name": site_settings.organisation_name if site_settings else settings.WAGTAIL_SITE_NAME,
        "contact_email": site_settings.contact_email if site_settings else "",
        "site_url": site_root_url(),
    }
    return {**base, **context}


def render_email(template, context):
    context = email_context(context)
    subject = one_line(render_to_string(f"emails/{template}_subject.txt", context))
    text = render_to_string(f"emails/{template}.txt", context)
    try:
        html = render_to_string(f"emails/{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def queue_email(
    to, template, context, *, purpose="", related=None, attachments=(), reply_to=(), alternatives=(), headers=None
):
    """Save an email and deliver it once the current transaction commits.

    ``attachments``: (filename, bytes, mimetype); ``alternatives``: (bytes, mimetype) sent as further
    versions of the body beside the text and HTML (a ``text/calendar; method=REQUEST`` invitation,
    which some mail clients act on only there); ``headers``: further headers (threading, Auto-Submitted), whose
    values may not hold a line break."""
    recipients = [to] if isinstance(to, str) else list(to)
    reply_to = [reply_to] if isinstance(reply_to, str) else list(reply_to)
    for address in [*recipients, *reply_to]:
        validate_email(address)  # refuses anything with whitespace, so no header injection
    headers = dict(headers or {})
    if any("\n" in str(value) or "\r" in str(value) for value in headers.values()):
        raise ValueError("An email header may not hold a line break.")
    # Where the Reply button goes, for templates that say so ("reply to this email").
    subject, text, html = render_email(template, {**context, "reply_to_address": reply_to[0] if reply_to else ""})
    email = OutboundEmail.objects.create(
        to=recipients,
        reply_to=reply_to,
        subject=subject,
        text_body=text,
        html_body=html,
        attachments=[
            {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
            for name, content, mimetype in attachments
        ]
        + [
            {"alternative": True, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
            for content, mimetype in alternatives
        ],
        purpose=purpose or template,
        related_key=related_key(related),
        headers=headers,
    )
    transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


def message_id(email):
    """The email's idempotency key: one Message-ID for the outbox row, whatever the attempt. Should a worker
    die after the mail server accepted it but before recording so, the email is sent again (nothing is lost)
    with the same Message-ID, and mail systems (Gmail, Outlook, Exchange) keep one copy."""
    if (email.headers or {}).get("Message-ID"):
        return email.headers["Message-ID"]
    return f"<lpsite-outbox.{email.pk}.{int(email.created_at.timestamp())}@{sending_domain()}>"


def sending_domain():
    """The domain of the site's sending address (DEFAULT_FROM_EMAIL): where its Message-IDs live."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def send_now(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        cc=email.cc or None,
        bcc=email.bcc or None,
        reply_to=email.reply_to or None,
        headers={**(email.headers or {}), "Message-ID": message_id(email)},
        connection=delivery_connection(),
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for item in email.attachments:
        content = base64.b64decode(item["content"])
        if item.get("alternative"):
            message.attach_alternative(content.decode(), item["mimetype"])
        else:
            message.attach(item["filename"], content, item["mimetype"])
    message.send(fail_silently=False)


def backoff(attempts):
    """Seconds to wait after ``attempts`` failed attempts: base, 2×base, 4×base… capped at six hours."""
    base = getattr(settings, "EMAIL_RETRY_BASE_SECONDS", 60)
    return min(base * 2 ** max(attempts - 1, 0), 6 * 3600)


def claim(email_id, now=None):
    """Mark one email ``sending`` (committed at once); False when another worker has it or it is not due.

    One conditional UPDATE: of two workers, only one changes the row.
    """
    now = now or timezone.now()
    Status = OutboundEmail.Status
    with transaction.atomic():
        return bool(
            OutboundEmail.objects.filter(pk=email_id, status__in=[Status.QUEUED, Status.FAILED])
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        )


@task()
def deliver_email(email_id):
    """Claim, send outside any transaction or row lock, record the outcome."""
    if not claim(email_id):
        return "nothing to do"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        send_now(email)
    except Exception as exc:  # noqa: BLE001 - any mail failure is recorded, never lost
        now = timezone.now()
        OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(
            status=OutboundEmail.Status.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + timedelta(seconds=backoff(email.attempts)),
        )
        logger.warning("Email %s failed (attempt %s): %s", email.pk, email.attempts, exc)
        return "failed"
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return "sent"


def retry_failed(max_attempts=None, now=None):
    """Enqueue what is due again; returns how many. Run by ``retry_emails`` (cron).

    - claims older than ``EMAIL_STALE_CLAIM_SECONDS`` (the sender died mid-send) become failed;
    - emails still ``queued`` a minute after they were saved (the process died between commit
      and enqueue) are enqueued;
    - failed emails with attempts left whose backoff has passed are enqueued;
    - tasks a killed worker left running are made ready again (:func:`requeue_stale_tasks`).
    A claim is one conditional UPDATE, so an email enqueued twice is still sent once; one re-sent after a
    worker died mid-send carries the same Message-ID (:func:`message_id`).
    """
    max_attempts = max_attempts or settings.EMAIL_MAX_ATTEMPTS
    now = now or timezone.now()
    Status = OutboundEmail.Status
    stale = now - timedelta(seconds=getattr(settings, "EMAIL_STALE_CLAIM_SECONDS", 900))
    OutboundEmail.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.FAILED, last_error="Interrupted while sending (the worker stopped)", next_attempt_at=None
    )
    left_behind = OutboundEmail.objects.filter(status=Status.QUEUED, created_at__lt=now - timedelta(minutes=1))
    due = OutboundEmail.objects.filter(status=Status.FAILED, attempts__lt=max_attempts).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    ids = list(left_behind.values_list("pk", flat=True)) + list(due.values_list("pk", flat=True))
    for pk in ids:
        deliver_email.enqueue(pk)
    requeue_stale_tasks(stale)
    return len(ids)


def requeue_stale_tasks(stale):
    """Tasks a worker took and never finished (it was killed) before ``stale``: ready again, for the next
    worker. Our tasks are safe to run twice: an email is claimed before it is sent, an index update is
    idempotent. Returns how many."""
    if settings.TASKS.get("default", {}).get("BACKEND") != "django_tasks_db.DatabaseBackend":
        return 0
    count = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=stale)
        .update(status=TaskResultStatus.READY, started_at=None)
    )
    if count:
        logger.warning("Re-queued %s task(s) a worker had taken and never finished", count)
    return count


def retry_now(email):
    """Staff's "send again" for one failed email: enqueued now, its backoff wait cleared.

    It is sent once more even past ``EMAIL_MAX_ATTEMPTS`` (sending does not count attempts);
    should it fail again, ``retry_emails`` leaves it to staff once the attempts are used up.
    """
    OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.FAILED).update(next_attempt_at=None)
    return deliver_email.enqueue(email.pk)


class OutboxEmailBackend(BaseEmailBackend):
    """``EMAIL_BACKEND``: what anything sends through Django's mail API (a password reset, Wagtail's review
    notifications, a package's email) is saved in the outbox and delivered after commit like the site's own
    emails, so a mail server that is down loses nothing and staff see it under Outgoing emails.

    The purpose kept is the message's ``X-Lpsite-Purpose`` header if it has one, else "mail".
    """

    def send_messages(self, email_messages):
        saved = 0
        for message in email_messages:
            try:
                save_message(message)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                saved += 1
        return saved


def save_message(message):
    """An EmailMessage as an OutboundEmail, delivered after the current transaction commits."""
    headers = dict(message.extra_headers)
    purpose = headers.pop("X-Lpsite-Purpose", "") or "mail"
    html, attachments = "", []
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html" and not html:
            html = content
        else:
            raw = content.encode() if isinstance(content, str) else content
            attachments.append({"alternative": True, "mimetype": mimetype, "content": base64.b64encode(raw).decode()})
    for item in message.attachments:
        if isinstance(item, tuple) or hasattr(item, "filename"):
            filename, content, mimetype = item
        else:  # a MIMEBase part
            filename, content, mimetype = item.get_filename(), item.get_payload(decode=True), item.get_content_type()
        raw = content.encode() if isinstance(content, str) else content
        attachments.append({"filename": filename, "mimetype": mimetype, "content": base64.b64encode(raw).decode()})
    with transaction.atomic():
        email = OutboundEmail.objects.create(
            to=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            reply_to=list(message.reply_to),
            from_email="" if message.from_email == settings.DEFAULT_FROM_EMAIL else (message.from_email or ""),
            headers=headers,
            subject=one_line(message.subject),
            text_body=message.body,
            html_body=html,
            attachments=attachments,
            purpose=purpose[:80],
        )
        transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email
