"""System checks of our own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def check_admins_are_set(app_configs, **kwargs):
    """templates/500.html tells a visitor staff were told: without ADMINS nobody is."""
    if getattr(settings, "ADMINS", None):
        return []
    return [
        Warning(
            "ADMINS is empty, so server errors are emailed to nobody, yet the 500 page says staff were told.",
            hint='Set ADMINS in the environment, e.g. ADMINS="Ops <ops@example.org>".',
            id="lpsite.W001",
        )
    ]
