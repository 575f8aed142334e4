"""The connection that really sends mail (SMTP in production): ``EMAIL_BACKEND`` is the outbox itself
(inbox/emails.py ``OutboxEmailBackend``). Apart from inbox/emails.py, which needs the models, so that the
error-mail handler, loaded with the logging configuration before any app, can send directly when the
database is what broke."""

from django.conf import settings
from django.core.mail import get_connection

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def delivery_connection():
    return get_connection(getattr(settings, "OUTBOX_DELIVERY_BACKEND", SMTP))
