"""Try again to deliver emails that failed (run from cron, e.g. every 10 minutes)."""

from django.core.management.base import BaseCommand

from inbox.emails import retry_failed


class Command(BaseCommand):
    help = "Re-enqueue failed outbound emails that have attempts left (EMAIL_MAX_ATTEMPTS)."

    def handle(self, *args, **options):
        count = retry_failed()
        self.stdout.write(f"Re-enqueued {count} email(s).")
