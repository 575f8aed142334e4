"""``{% picture %}``: Wagtail's own tag, with its parsed filters shared between renders.

Wagtail's tag builds a new ``Filter`` for every size and format each time it
renders, and each one parses its spec again (``inspect.getcallargs`` per
operation): about 0.5 ms a picture, 3–10 ms on a page of cards. A filter
holds nothing but its spec and the operations parsed from it, so one
``Filter`` per spec serves every render. Same markup, same renditions.
"""

from functools import lru_cache

from django import template
from wagtail.images.models import Filter
from wagtail.images.templatetags.wagtailimages_tags import PictureNode, image

register = template.Library()


@lru_cache(maxsize=512)
def filters_for(specs):
    """The ``Filter`` of each spec that ``specs`` (a tag's specs, braces and all) expands to."""
    return tuple(Filter(spec=spec) for spec in Filter.expand_spec(list(specs)))


class SharedFiltersPictureNode(PictureNode):
    def get_filters(self):
        return list(filters_for(tuple(self.filter_specs)))


@register.tag
def picture(parser, token):
    node = image(parser, token)  # Wagtail's parser: same syntax, same errors
    return SharedFiltersPictureNode(
        node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs
    )
