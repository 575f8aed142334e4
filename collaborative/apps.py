from django.apps import AppConfig


class CollaborativeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collaborative"
    verbose_name = "Leadership Collaborative"
