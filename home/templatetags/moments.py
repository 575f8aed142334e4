"""Where a moment stands against now, for what a fragment shows of time.

Cards and sections are kept with Wagtail's ``{% wagtailcache %}`` in the ``template_fragments`` cache,
whose keys carry the content's version (home/cache.py ``fragment_key``): any content change makes
them new. What a fragment shows besides the content is named after its name, time included:
``{% wagtailcache 3600 event-card event.pk heading event|moment_state:now %}``. Nothing that varies
by visitor may go inside: a bound form, a CSRF or timestamp token, a signed-in name.
"""

from django import template

register = template.Library()


@register.filter
def moment_state(item, now):
    """Where ``now`` stands against ``item``'s ``start`` and ``end``: "upcoming", "live" or "past"; what an
    event's or a convening's card shows of time, so its fragment can name it."""
    if item.end <= now:
        return "past"
    return "live" if item.start <= now else "upcoming"
