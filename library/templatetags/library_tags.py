"""The library's filter lists, written in Python.

A facet list is the same few lines for every option, and the state facet
alone has up to 57: through the template engine the three lists took about
3 ms of each library page. ``{% facet %}`` writes the markup
``library/includes/facet.html`` used to, every value escaped.
"""

from html import escape

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.safestring import mark_safe

register = template.Library()


def _number(count):
    """``localize(count)``: without thousand separators (the site's setting) that is ``str``, which costs a
    hundredth of Django's formatting, called for each of up to 75 options."""
    if isinstance(count, int) and not settings.USE_THOUSAND_SEPARATOR:
        return str(count)
    return localize(count)


def _option(option):
    # html.escape, not format_html: the same escaping (quotes too) without Django's lazy-string wrappers,
    # which were most of the facets' time with 70 options on a page.
    label, count = escape(str(option["label"])), escape(_number(option["count"]))
    if not (option["count"] or option["selected"]):
        return (
            f'<span class="facet__option is-empty"><span class="facet__label">{label}</span>'
            f'<span class="facet__count">{count}</span></span>'
        )
    selected = option["selected"]
    classes, current = ("facet__option is-selected", ' aria-current="true"') if selected else ("facet__option", "")
    plural = "" if option["count"] == 1 else "s"
    remove = ", selected: remove filter" if selected else ""
    return (
        f'<a class="{classes}" href="{escape(option["url"])}#results-heading"{current}>'
        # The space keeps the label and the count apart in the link's accessible name.
        f'<span class="facet__label">{label}</span> '
        f'<span class="facet__count"><span class="visually-hidden">(</span>{count}'
        f'<span class="visually-hidden"> resource{plural}{remove})</span></span></a>'
    )


@register.simple_tag
def facet(heading, options, id):  # noqa: A002 - the element id, as the template names it
    """A filter's heading and options, each with the number of results it would give."""
    items = "".join(f"<li>{_option(option)}</li>" for option in options)
    id, heading = escape(str(id)), escape(str(heading))  # noqa: A001
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<nav class="facet" aria-labelledby="{id}"><h3 class="facet__heading" id="{id}">{heading}</h3>'
        f'<ul class="facet__list">{items}</ul></nav>'
    )
