from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = "Index every page again in the site's own search index (search/)."

    def handle(self, *args, **options):
        count = index.rebuild()
        self.stdout.write(f"Indexed {count} pages.")
