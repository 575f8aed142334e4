"""Answer a member's data request: export everything about their address, or erase it (docs/security.md)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from inbox import member_data


class Command(BaseCommand):
    help = (
        "Export (--export FILE.json) or erase (--erase) every row about one email address: the inboxes, their "
        "threads and attachments, and the emails the site kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The member's email address.")
        parser.add_argument("--export", metavar="FILE", help="Write everything about the address to FILE (JSON).")
        parser.add_argument("--erase", action="store_true", help="Anonymise everything about the address.")

    def handle(self, *args, email, export=None, erase=False, **options):
        email = member_data.normalise(email)
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an email address.") from exc
        if not export and not erase:
            raise CommandError("Say what to do: --export FILE.json, --erase, or both (the export is written first).")
        if export:
            Path(export).write_text(member_data.export_json(email), encoding="utf-8")
            self.stdout.write(f"Wrote everything about {email} to {export}.")
        if erase:
            counts = member_data.erase(email)
            done = ", ".join(f"{label}: {count}" for label, count in counts.items())
            self.stdout.write(f"Erased {email} ({done}).")
