from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site shell"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Not at the top: the page cache and the shell it serves (site_url reads through it) are the site's
        # runtime, free to use models, which apps.py is imported before.
        from . import cache, site_url

        # SITE_URL (production) is written into the default Wagtail Site after every migrate.
        post_migrate.connect(site_url.apply_after_migrate, sender=self)
        cache.connect_signals()
