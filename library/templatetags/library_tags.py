"""The library's filter lists, written in Python.

A facet list is the same few lines for every option, and the state facet
alone has up to 57: through the template engine the three lists took about
3 ms of each library page. ``{% facet %}`` writes the markup
``library/includes/facet.html`` used to, escaped with ``format_html``.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _option(option):
    count = localize(option["count"])
    if not (option["count"] or option["selected"]):
        return format_html(
            '<span class="facet__option is-empty"><span class="facet__label">{}</span>'
            '<span class="facet__count">{}</span></span>',
            option["label"],
            count,
        )
    selected = option["selected"]
    return format_html(
        '<a class="facet__option{}" href="{}#results-heading"{}>'
        # The space keeps the label and the count apart in the link's accessible name.
        '<span class="facet__label">{}</span> '
        '<span class="facet__count"><span class="visually-hidden">(</span>{}'
        '<span class="visually-hidden"> resource{}{})</span></span></a>',
        " is-selected" if selected else "",
        option["url"],
        mark_safe(' aria-current="true"') if selected else "",  # noqa: S308 - a constant
        option["label"],
        count,
        "" if option["count"] == 1 else "s",
        ", selected: remove filter" if selected else "",
    )


@register.simple_tag
def facet(heading, options, id):  # noqa: A002 - the element id, as the template names it
    """A filter's heading and options, each with the number of results it would give."""
    items = format_html_join("", "<li>{}</li>", ((_option(option),) for option in options))
    return format_html(
        '<nav class="facet" aria-labelledby="{}"><h3 class="facet__heading" id="{}">{}</h3>'
        '<ul class="facet__list">{}</ul></nav>',
        id,
        id,
        heading,
        items,
    )
