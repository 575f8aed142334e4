from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site shell"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import security  # noqa: F401 - connects the lockout log line
