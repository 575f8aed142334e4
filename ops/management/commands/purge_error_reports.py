"""Delete server-error reports older than ERROR_REPORT_RETENTION_DAYS from the outbox (run daily from cron).

Reports carry no member data (ops/error_mail.py), but they say who was where when it broke, and they
are of no use once the error is fixed. Emails about a member's submission follow their inbox's own
retention (``purge_helpdesk_requests`` for the Help Desk).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from inbox.models import OutboundEmail


class Command(BaseCommand):
    help = "Delete error reports (outbox purpose 'server_error') older than ERROR_REPORT_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep this many days (default: the setting).")

    def handle(self, *args, days=None, **options):
        days = settings.ERROR_REPORT_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = OutboundEmail.objects.filter(
            purpose="server_error",
            created_at__lt=cutoff,
            status__in=[OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED],
        ).delete()
        self.stdout.write(f"Deleted {deleted} error report(s) older than {days} days.")
