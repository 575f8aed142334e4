"""Email each staffer who asked for it what waits in their inboxes this morning (cron, once each morning)."""

from django.core.management.base import BaseCommand

from inbox.digest import send_digests


class Command(BaseCommand):
    help = (
        "Send the morning digest to staff who ticked it in their account's Notifications: what waits in each "
        "inbox they work in. Nothing to someone with nothing waiting; a second run the same day sends nothing."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Sent {len(sent)} morning digest(s).")
