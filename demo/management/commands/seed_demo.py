"""Load the demo content (idempotent: a second run adds nothing and keeps edits)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from wagtail import hooks

from demo.seed import demo_logins, seed_shell
from ops.dbstats import refresh_sqlite_statistics
from search.indexing import deferred_indexing

SEED_HOOK = "lpsite_seed_demo"


class Command(BaseCommand):
    help = "Create the demo pages and settings from shared/seeds; safe to run again."

    def handle(self, *args, **options):
        def log(message):
            self.stdout.write(f"  {message}")

        # Search and "usage" indexing once per page at the end, not on each of its saves.
        with deferred_indexing():
            home = seed_shell(log)
            # Other apps add their demo content through this hook, in order.
            for fn in sorted(hooks.get_hooks(SEED_HOOK), key=lambda f: getattr(f, "seed_order", 100)):
                fn(home=home, log=log)
        refresh_sqlite_statistics()  # now that there is content to measure (ops/dbstats.py)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        if getattr(settings, "LPSITE_DEMO_USERS", False):
            self.stdout.write("Dev logins for the admin at /admin/ (never created in production):")
            for username, password, role in demo_logins():
                self.stdout.write(f"  {username:<9} / {password:<16} {role}")
