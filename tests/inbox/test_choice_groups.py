"""Radio and checkbox groups are rendered by Django's own option templates, each input described by the
group's help and errors (inbox/templatetags/form_tags.py ``described_choices``)."""

from bs4 import BeautifulSoup
from django import forms
from django.template import Context, Template

GROUP = Template("{% load form_tags %}{% for choice in field|described_choices %}{{ choice.tag }}{% endfor %}")


class Choices(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<b>")], widget=forms.RadioSelect, help_text="Pick one")
    sessions = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple)


def inputs(form, name):
    return BeautifulSoup(GROUP.render(Context({"field": form[name]})), "html.parser").find_all("input")


def test_each_input_is_described_by_the_help_and_then_the_errors():
    assert [i.get("aria-describedby") for i in inputs(Choices(), "kind")] == ["id_kind_help"] * 2
    assert [i.get("aria-describedby") for i in inputs(Choices(), "sessions")] == [None, None]
    failed = Choices(data={"kind": "zzz"})
    failed.is_valid()
    assert [i.get("aria-describedby") for i in inputs(failed, "kind")] == ["id_kind_help id_kind_errors"] * 2
    assert [i.get("aria-describedby") for i in inputs(failed, "sessions")] == ["id_sessions_errors"] * 2


def test_the_inputs_are_djangos_own_checked_and_escaped():
    form = Choices(data={"kind": "b", "sessions": ["2"]})
    form.is_valid()
    kind = inputs(form, "kind")
    assert [(i["type"], i["name"], i["value"], i.has_attr("checked")) for i in kind] == [
        ("radio", "kind", "a", False),
        ("radio", "kind", "b", True),
    ]
    assert [i.has_attr("checked") for i in inputs(form, "sessions")] == [False, True]
    assert [i["id"] for i in kind] == ["id_kind_0", "id_kind_1"]
