"""Template helpers for accessible public forms: the error summary, the
page title of a failed submit and radio/checkbox groups tied to their
help and error messages."""

from django import template
from django.forms import BaseForm
from django.utils.functional import LazyObject

register = template.Library()

CHOICE_WIDGETS = {"radioselect", "checkboxselectmultiple"}


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


@register.filter
def described_choices(field):
    """``field`` (a radio or checkbox group) with each of its inputs described by the group's help and
    errors, for ``{% for choice in field|described_choices %}{{ choice.tag }}``: Django's own option
    templates render them. Django describes no input of a group in a fieldset; a screen reader lands on
    an input, so the input must carry it. Use it before anything else iterates the field."""
    attrs = field.field.widget.attrs  # this form's own copy of the widget
    described_by = group_description_ids(field)
    if described_by:
        attrs["aria-describedby"] = described_by
    else:
        attrs.pop("aria-describedby", None)
    return field
