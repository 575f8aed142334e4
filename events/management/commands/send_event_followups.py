"""Email attendees and no-shows after their session (run hourly from cron).

Idempotent: each registration gets one follow-up (``followup_sent_at``), an hour after
its session ended, so running it often, or twice by mistake, sends nothing twice.
"""

from django.core.management.base import BaseCommand

from events.registration.rules import send_followups


class Command(BaseCommand):
    help = "Send the after-session follow-ups: a thank-you with a rating to attendees, the recording to no-shows."

    def handle(self, *args, **options):
        sent = send_followups()
        self.stdout.write(f"Sent {sent} follow-up(s).")
