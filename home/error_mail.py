"""Server errors reach ``ADMINS`` by email through the outbox (home/emails.py).

:class:`OutboxAdminEmailHandler` is Django's ``AdminEmailHandler`` with the
sending replaced: the report is saved as an ``OutboundEmail`` and delivered
by the same task as every other email, so a mail server that is down loses
nothing and the report is retried. The same subject is mailed at most once
per ``ERROR_EMAIL_THROTTLE_SECONDS`` so an error storm does not flood anyone.
If the database itself is what broke, the report goes out directly.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins
from django.db import transaction
from django.utils.log import AdminEmailHandler

from .mail_delivery import delivery_connection


def admin_addresses():
    return [address for _name, address in getattr(settings, "ADMINS", [])]


class OutboxAdminEmailHandler(AdminEmailHandler):
    def send_mail(self, subject, message, *args, **kwargs):
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
        from .emails import deliver_email
        from .models import OutboundEmail

        with transaction.atomic():
            email = OutboundEmail.objects.create(
                to=recipients,
                subject=" ".join(f"{settings.EMAIL_SUBJECT_PREFIX}{subject}".split())[:255],
                text_body=message,
                purpose="server_error",
            )
            transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
        return email
