"""Server errors reach ``ADMINS`` by email through the outbox (inbox/emails.py).

:class:`OutboxAdminEmailHandler` is Django's ``AdminEmailHandler`` with the
sending replaced: the report is saved as an ``OutboundEmail`` and delivered
by the same task as every other email, so a mail server that is down loses
nothing and the report is retried. The same subject is mailed at most once
per ``ERROR_EMAIL_THROTTLE_SECONDS`` so an error storm does not flood anyone.
If the database itself is what broke, the report goes out directly.

A report carries no member data: what a form sent is reduced to its fields'
names, cookies to stars, the address to its path, and members' private links
(which act as the member) to "[private link]" (:class:`MemberSafeFilter`,
:class:`MemberSafeExceptionReporter`).
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins
from django.db import transaction
from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from inbox.mail_delivery import delivery_connection


def admin_addresses():
    return [address for _name, address in getattr(settings, "ADMINS", [])]


# Members' private links (manage a registration, rate a session, follow a Help Desk request, what they sent
# to the Collaborative): whoever holds one acts as the member, so an error report never carries one.
PRIVATE_LINK = re.compile(r"(/registrations/(?:manage|rate)/|/helpdesk/request/|/sent/)[^/?#\s'\"]+")


def without_private_links(text):
    return PRIVATE_LINK.sub(r"\1[private link]", str(text))


class MemberSafeFilter(SafeExceptionReporterFilter):
    """What members typed never reaches an error report: every POST and GET value is replaced by its field's
    name, every cookie (the session among them) by stars (``DEFAULT_EXCEPTION_REPORTER_FILTER``)."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: f"[{key}]" for key in request.POST}

    def get_safe_cookies(self, request):
        return dict.fromkeys(getattr(request, "COOKIES", {}), self.cleansed_substitute)

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if meta.get("QUERY_STRING"):
            meta["QUERY_STRING"] = "&".join(f"{key}=[{key}]" for key in request.GET)
        return meta


class MemberSafeExceptionReporter(ExceptionReporter):
    """Django's report without what identifies a member: the query's values and private links are left out of
    the address, GET values are their names (``DEFAULT_EXCEPTION_REPORTER``; the filter does POST and cookies)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_GET_items"] = [(key, f"[{key}]") for key in self.request.GET]
            address = data.get("request_insecure_uri", "")
            data["request_insecure_uri"] = address.split("?", 1)[0]  # private links: in send_mail
        return data


class OutboxAdminEmailHandler(AdminEmailHandler):
    def send_mail(self, subject, message, *args, **kwargs):
        subject, message = without_private_links(subject), without_private_links(message)
        recipients = admin_addresses()
        if not recipients:
            return
        throttle = getattr(settings, "ERROR_EMAIL_THROTTLE_SECONDS", 300)
        if throttle:
            key = "lpsite:error-mail:" + hashlib.sha256(subject.encode()).hexdigest()
            try:
                if not cache.add(key, 1, timeout=throttle):
                    return
            except Exception:  # noqa: BLE001, S110 - a broken cache must not stop the report
                pass
        try:
            self.queue(recipients, subject, message)
        except Exception:  # noqa: BLE001 - the database may be what failed: send directly
            mail_admins(subject, message, *args, connection=delivery_connection(), **kwargs)

    def queue(self, recipients, subject, message):
        # Cycle: settings.LOGGING imports this module while Django configures logging, before the app
        # registry exists; the outbox's models can only be imported once it does.
        from inbox.emails import OutboundEmail, deliver_email

        with transaction.atomic():
            email = OutboundEmail.objects.create(
                to=recipients,
                subject=" ".join(f"{settings.EMAIL_SUBJECT_PREFIX}{subject}".split())[:255],
                text_body=message,
                purpose="server_error",
            )
            transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
        return email
