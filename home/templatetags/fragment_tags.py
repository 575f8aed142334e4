"""``{% fragment "name" part ... %}...{% endfragment %}``: a rendered part of a page kept per content
generation (home/shell.py ``fragment``), for what many pages and requests show alike: a card, a picture.

The parts name everything the fragment depends on besides the content itself (which any change
makes new): ``{% fragment "event-card" event.pk heading event|moment_state:now %}``. Nothing that
varies by visitor may go inside: a bound form, a CSRF or timestamp token, a signed-in name (an empty
form's visible fields may, docs/architecture.md "Rendered fragments").
"""

from django import template

from home.shell import fragment as shared_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name, self.parts, self.nodelist = name, parts, nodelist

    def render(self, context):
        name = self.name.resolve(context)
        parts = [part.resolve(context) for part in self.parts]
        return shared_fragment(context.get("request"), name, parts, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} needs a name: {% fragment "card" page.pk %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


@register.filter
def moment_state(item, now):
    """Where ``now`` stands against ``item``'s ``start`` and ``end``: "upcoming", "live" or "past"; what an
    event's or a convening's card shows of time, so its fragment can name it."""
    if item.end <= now:
        return "past"
    return "live" if item.start <= now else "upcoming"
