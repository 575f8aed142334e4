"""Email confirmed registrants the day before their session, in the session's zone (run hourly from cron).

Idempotent: each registration gets one reminder (``reminder_sent_at``), so
running it often, or twice by mistake, sends nothing twice.
"""

from django.core.management.base import BaseCommand

from events.registration.rules import send_reminders


class Command(BaseCommand):
    help = "Send the day-before reminder (the day before where the session happens) to confirmed registrants."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"Sent {sent} reminder(s).")
