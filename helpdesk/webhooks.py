"""Email services' inbound webhooks into the Help Desk (django-anymail): Postmark, Mailgun, SendGrid, Amazon SES,
Brevo, Mailjet, MailerSend, Mailtrap, Postal, Resend, SparkPost, each at ``/anymail/<service>/inbound/``.

- On only when ``ANYMAIL_WEBHOOK_SECRET`` is set (the basic auth the service sends, ``user:password``); unset, the
  addresses answer 404. A service anymail needs more for (Mailgun's signing key, say) and that is not configured
  answers 404 too, never a 500.
- Every message goes to :func:`helpdesk.inbound.receive` as the bytes anymail rebuilt, with the service's own
  spam verdict and the envelope recipient (where the reply address is when the service rewrites ``To``).
- A database that fails answers 500: the service keeps the message and posts it again (a retry of one already
  received adds nothing: ``InboundEmail`` is unique by Message-ID).
"""

import functools
import logging

from anymail import urls as anymail_urls
from anymail.signals import inbound
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import URLPattern, include, path

from . import inbound as email_in

logger = logging.getLogger(__name__)


def _enabled():
    return bool((getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET"))


def _guarded(view):
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if not _enabled():
            raise Http404("Email in by webhook is off.")
        try:
            return view(request, *args, **kwargs)
        except ImproperlyConfigured as exc:
            logger.warning("Inbound webhook %s is not configured: %s", request.path, exc)
            raise Http404("This email service is not configured.") from exc

    return guarded


def urlpatterns():
    """Anymail's inbound webhook addresses only (not its delivery tracking), each behind :func:`_guarded`."""
    return [
        URLPattern(p.pattern, _guarded(p.callback), p.default_args, p.name)
        for p in anymail_urls.urlpatterns
        if p.name and p.name.endswith("_inbound_webhook")
    ]


def url():
    return path("anymail/", include((urlpatterns(), "anymail")))


def message_bytes(message):
    try:
        return message.as_bytes()
    except Exception:  # noqa: BLE001 - anymail rebuilt it from the service's fields; take it as text then
        return message.as_string().encode("utf-8", errors="replace")


def on_inbound(sender, event, esp_name, **kwargs):
    message = event.message
    if message is None:
        return
    email_in.receive(
        message_bytes(message),
        source=str(esp_name).lower().replace(" ", "_"),
        spam_verdict="The email service flagged it as spam" if message.spam_detected else "",
        envelope_recipient=message.envelope_recipient or "",
    )


def connect():
    inbound.connect(on_inbound, dispatch_uid="lpsite.helpdesk.inbound")
