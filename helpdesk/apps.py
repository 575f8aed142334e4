from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "helpdesk"
    verbose_name = "Help Desk"

    def ready(self):
        from . import webhooks  # models are ready only now

        webhooks.connect()
