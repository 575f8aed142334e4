"""Template helpers for accessible public forms: the error summary, the
page title of a failed submit and radio/checkbox groups tied to their
help and error messages."""

from django import template
from django.forms import BaseForm
from django.utils.functional import LazyObject
from django.utils.html import format_html, format_html_join

register = template.Library()

CHOICE_WIDGETS = {"radioselect", "checkboxselectmultiple"}
# Django's own option templates: each is one <input> (input.html with attrs.html), which choice_input
# writes out directly. Three templates an option made a group of 13 sessions cost 5 ms a page.
PLAIN_OPTION_TEMPLATES = {
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/input_option.html",
}


def failed_forms(context):
    """Bound forms in the template context that did not validate. A lazy value (a page section read only
    if rendered) is never a form, and is left unread."""
    seen = set()
    for value in context.flatten().values():
        if issubclass(type(value), LazyObject):  # type(), not isinstance(): that would read it
            continue
        if isinstance(value, BaseForm) and value.is_bound and id(value) not in seen:
            seen.add(id(value))
            if value.errors:
                yield value


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    """``"Error: "`` when a form on the page failed, so the title says so first."""
    return "Error: " if any(True for _ in failed_forms(context)) else ""


@register.filter
def error_anchor(field):
    """The id of the input the error summary links to (a group's first choice)."""
    if field.widget_type in CHOICE_WIDGETS:
        return f"{field.auto_id}_0"
    return field.id_for_label


def group_description_ids(field):
    """The ids of a choice group's help text and errors (events/includes/form_field.html)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
    return " ".join(ids)


@register.simple_tag
def choice_input(choice, field):
    """One radio or checkbox of ``field``'s group, described by its help and errors.

    Django puts ``aria-describedby`` on neither the fieldset nor its inputs;
    a screen reader lands on an input, so the input must carry it.
    """
    data = dict(choice.data)
    attrs = dict(data.get("attrs") or {})
    described_by = group_description_ids(field)
    if described_by:
        attrs["aria-describedby"] = described_by
    data["attrs"] = attrs
    data["wrap_label"] = False
    if choice.template_name in PLAIN_OPTION_TEMPLATES:
        return input_html(data)
    return choice.parent_widget._render(choice.template_name, {"widget": data}, choice.renderer)


def input_html(widget):
    """What Django's ``input.html`` (with ``attrs.html``) renders for ``widget``'s data, character for character."""
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    attrs = format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in widget["attrs"].items()
            if value is not False
        ),
    )
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, attrs)
