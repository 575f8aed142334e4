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

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .models import OutboundEmail, SiteSettings

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
        "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
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


def queue_email(to, template, context, *, purpose="", related=None, attachments=(), reply_to=()):
    """Save an email and deliver it once the current transaction commits."""
    recipients = [to] if isinstance(to, str) else list(to)
    reply_to = [reply_to] if isinstance(reply_to, str) else list(reply_to)
    for address in [*recipients, *reply_to]:
        validate_email(address)  # refuses anything with whitespace, so no header injection
    subject, text, html = render_email(template, context)
    email = OutboundEmail.objects.create(
        to=recipients,
        reply_to=reply_to,
        subject=subject,
        text_body=text,
        html_body=html,
        attachments=[
            {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
            for name, content, mimetype in attachments
        ],
        purpose=purpose or template,
        related_key=related_key(related),
    )
    transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


def send_now(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        reply_to=email.reply_to or None,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for item in email.attachments:
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    message.send(fail_silently=False)


@task()
def deliver_email(email_id):
    """Send one saved email; on failure record the error for a later retry."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutboundEmail.Status.SENT:
            return "nothing to do"
        email.attempts += 1
        try:
            send_now(email)
        except Exception as exc:  # noqa: BLE001 - any mail failure is recorded, never lost
            email.status = OutboundEmail.Status.FAILED
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.save(update_fields=["status", "attempts", "last_error"])
            logger.warning("Email %s failed (attempt %s): %s", email.pk, email.attempts, exc)
            return "failed"
        email.status = OutboundEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "attempts", "last_error", "sent_at"])
        return "sent"


def retry_failed(max_attempts=None):
    """Enqueue delivery again for failed emails with attempts left; returns how many."""
    max_attempts = max_attempts or settings.EMAIL_MAX_ATTEMPTS
    due = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED, attempts__lt=max_attempts)
    ids = list(due.values_list("pk", flat=True))
    for pk in ids:
        deliver_email.enqueue(pk)
    return len(ids)
