from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site shell"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .site_url import apply_after_migrate

        # SITE_URL (production) is written into the default Wagtail Site after every migrate.
        post_migrate.connect(apply_after_migrate, sender=self)
        from .cache import connect_signals

        connect_signals()
