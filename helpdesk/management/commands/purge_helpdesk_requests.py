"""Anonymise Help Desk requests closed longer than the retention period (run daily from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from helpdesk.privacy import purge


class Command(BaseCommand):
    help = (
        "Remove the personal data of Help Desk requests resolved or closed more than HELPDESK_RETENTION_DAYS "
        "days ago (and of spam sent that long ago); the statistics stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override HELPDESK_RETENTION_DAYS.")
        parser.add_argument("--dry-run", action="store_true", help="List what would be anonymised; change nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.HELPDESK_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        references = purge(days, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {len(references)} Help Desk request(s) closed more than {days} days ago.")
        for reference in references:
            self.stdout.write(f"  {reference}")
