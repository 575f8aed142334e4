"""Read the Help Desk's mailbox (HELPDESK_IMAP_URL) into the Help Desk; run from cron every minute."""

import imaplib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from helpdesk import mailbox


class Command(BaseCommand):
    help = (
        "Receive the emails in the Help Desk's mailbox (HELPDESK_IMAP_URL): replies join their request, new mail "
        "opens one; each is then moved to HELPDESK_IMAP_PROCESSED_FOLDER. Safe to run again at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="Read at most this many messages (default 200).")

    def handle(self, *args, limit=200, **options):
        if not settings.HELPDESK_IMAP_URL:
            self.stdout.write("HELPDESK_IMAP_URL is not set: nothing to read.")
            return
        try:
            received = mailbox.fetch(limit=limit)
        except (imaplib.IMAP4.error, OSError) as exc:
            raise CommandError(f"Could not read the Help Desk's mailbox: {exc}") from exc
        for record in received:
            self.stdout.write(f"{record.get_outcome_display()}: {record.sender or '(no sender)'} {record.reason}")
        self.stdout.write(f"Read {len(received)} email(s).")
