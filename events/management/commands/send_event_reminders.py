"""Email confirmed registrants the day before their session (run hourly from cron).

Idempotent: each registration gets one reminder (``reminder_sent_at``), so
running it often, or twice by mistake, sends nothing twice.
"""

from django.core.management.base import BaseCommand

from events.registration.rules import send_reminders


class Command(BaseCommand):
    help = "Send the day-before reminder to confirmed registrants of sessions starting in the next 36 hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=36, help="How far ahead to look (default 36).")

    def handle(self, *args, hours, **options):
        sent = send_reminders(window_hours=hours)
        self.stdout.write(f"Sent {sent} reminder(s).")
