"""Point the default Wagtail Site at the site's real address (SITE_URL, or the URL given)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from home.site_url import apply_site_url


class Command(BaseCommand):
    help = "Set the default Site's hostname and port from SITE_URL or the given URL, e.g. https://www.example.org"

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", default="", help="Defaults to the SITE_URL setting.")

    def handle(self, *args, url, **options):
        try:
            site = apply_site_url(url or None)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if site is None:
            raise CommandError("Nothing to do: give a URL or set SITE_URL (and create the site first).")
        self.stdout.write(f"The site's address is now {site.root_url}")
