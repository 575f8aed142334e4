"""The shortcuts taken to render pages faster give exactly what Django's and Wagtail's own code gives."""

import pytest
from django import forms

from inbox.templatetags.form_tags import choice_input


class Choices(forms.Form):
    kind = forms.ChoiceField(
        choices=[("a", "A & B"), ("b", "<b>")], widget=forms.RadioSelect, help_text="Pick one", required=True
    )
    sessions = forms.MultipleChoiceField(
        choices=[("1", "One"), ("2", 'Two "quoted"'), ("3", "Three")], widget=forms.CheckboxSelectMultiple
    )


def django_rendering(choice, field):
    """What choice_input rendered before it wrote the input itself: Django's option template."""
    data = dict(choice.data)
    attrs = dict(data.get("attrs") or {})
    from inbox.templatetags.form_tags import group_description_ids

    if group_description_ids(field):
        attrs["aria-describedby"] = group_description_ids(field)
    data["attrs"] = attrs
    data["wrap_label"] = False
    return choice.parent_widget._render(choice.template_name, {"widget": data}, choice.renderer)


@pytest.mark.parametrize(
    "data",
    [
        None,  # unbound: nothing checked
        {"kind": "b", "sessions": ["1", "3"]},  # some checked
        {"kind": "zzz"},  # errors: described by the error list too
    ],
)
def test_choice_input_writes_what_djangos_option_templates_write(data):
    form = Choices(data=data)
    if data is not None:
        form.is_valid()
    for name in ("kind", "sessions"):
        field = form[name]
        for choice in field:
            assert str(choice_input(choice, field)) == str(django_rendering(choice, field)).strip()


def test_choice_input_keeps_djangos_template_for_any_other_option_template():
    class FancyRadio(forms.RadioSelect):
        option_template_name = "django/forms/widgets/select_option.html"

    class Fancy(forms.Form):
        kind = forms.ChoiceField(choices=[("a", "A")], widget=FancyRadio)

    field = Fancy()["kind"]
    choice = next(iter(field))
    assert str(choice_input(choice, field)) == str(django_rendering(choice, field))
    assert "<option" in str(choice_input(choice, field))
