from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

from home import cache as page_cache

from . import cache_backend, checks  # noqa: F401 - checks registers our system checks
from .dbstats import after_migrate


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # SQLite's planner statistics, with whatever content there is (ops/dbstats.py). post_migrate is
        # sent once per app that has models: ops has none, so this listens for home's, as it always did.
        post_migrate.connect(after_migrate, sender=apps.get_app_config("home"))
        # After an outage of the shared cache, the page cache starts afresh (home/cache.py).
        if page_cache.recovered not in cache_backend.on_recovery:
            cache_backend.on_recovery.append(page_cache.recovered)
        # Connects the lockout log line; imports axes' models, so not before the app registry is ready.
        from . import security  # noqa: F401
