from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    """The site's own full-text index of its pages, and the engine the public searches run on."""

    name = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Not at the top: the index module reads page models, which apps.py is imported before.
        from . import index

        index.connect_signals()
        post_migrate.connect(index.fill_after_migrate, sender=self)
