"""Template helpers for the trainings pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from events.models import EventPage
from events.registration.statuses import CANCELLABLE

register = template.Library()

# Inside <script> only these characters could end the block or start markup.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A dict as JSON safe to place inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308


@register.filter
def webcal(url):
    """An http(s) address as webcal://, which calendar apps open as a subscription."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url


@register.simple_tag
def registrants_told_if_unpublished(page):
    """How many people unpublishing ``page`` would tell their session is cancelled (0 for any other page)."""
    page = page.specific
    if not isinstance(page, EventPage) or page.cancelled_at or page.has_ended():
        return 0
    return page.registrations.filter(status__in=CANCELLABLE).count()
