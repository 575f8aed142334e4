"""The shortcuts taken to render pages faster give exactly what Django's and Wagtail's own code gives."""

from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template

from home.templatetags.picture_tags import SharedFiltersPictureNode, filters_for
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


@pytest.mark.django_db
def test_picture_tag_renders_what_wagtails_tag_renders(tmp_path, settings):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Test", file=get_test_image_file(), description="A test")
    tag = 'format-{webp,jpeg} fill-{400x225,800x450} sizes="(max-width: 48rem) 100vw, 24rem" alt="" class="x"'
    ours = Template("{% load picture_tags %}{% picture image " + tag + " %}").render(Context({"image": image}))
    wagtails = Template("{% load wagtailimages_tags %}{% picture image " + tag + " %}")
    wagtails = wagtails.render(Context({"image": image}))
    assert ours == wagtails
    assert ours.count("<source") == 1 and "srcset" in ours


def test_picture_filters_are_parsed_once_per_spec():
    first = filters_for(("format-{webp,jpeg}", "fill-{400x225,800x450}"))
    assert [f.spec for f in first] == [
        "format-webp|fill-400x225",
        "format-webp|fill-800x450",
        "format-jpeg|fill-400x225",
        "format-jpeg|fill-800x450",
    ]
    assert filters_for(("format-{webp,jpeg}", "fill-{400x225,800x450}")) is first
    node = Template("{% load picture_tags %}{% picture image width-{100,200} %}").nodelist[-1]
    assert isinstance(node, SharedFiltersPictureNode)
    assert node.get_filters()[0] is node.get_filters()[0]


# library/includes/facet.html, the template {% facet %} replaced.
FACET_TEMPLATE = (Path(__file__).parents[1] / "library" / "facet_template_before.html").read_text()


def normalised(html):
    """The elements, attributes and text of ``html``, whitespace between elements ignored."""
    from bs4 import BeautifulSoup

    def walk(node):
        if isinstance(node, str):
            text = " ".join(node.split())
            return [text] if text else []
        return [(node.name, sorted(node.attrs.items()), [part for child in node.children for part in walk(child)])]

    return [part for child in BeautifulSoup(html, "html.parser").children for part in walk(child)]


def test_facet_tag_writes_what_the_facet_template_wrote():
    from library.templatetags.library_tags import facet

    options = [
        {"label": "Housing & tenants", "url": "?issue=housing&q=%22x%22", "count": 3, "selected": False},
        {"label": "Workers", "url": "?", "count": 1, "selected": True},
        {"label": "<Budget>", "url": "?issue=budget", "count": 0, "selected": False},
        {"label": "Chosen, none left", "url": "?", "count": 0, "selected": True},
        {"label": "Many", "url": "?issue=many", "count": 12345, "selected": False},
    ]
    context = {"heading": "Issue area", "options": options, "id": "facet-issue"}
    expected = Template(FACET_TEMPLATE).render(Context(context))
    assert normalised(str(facet("Issue area", options, "facet-issue"))) == normalised(expected)
    assert "&lt;Budget&gt;" in str(facet("Issue area", options, "facet-issue"))


def test_facet_counts_follow_the_thousand_separator_setting(settings):
    """The counts are written with ``str`` only while the site uses no thousand separator; with one, as
    Django's ``localize`` (and so the template) writes them."""
    from library.templatetags.library_tags import facet

    options = [{"label": "Many", "url": "?issue=many", "count": 12345, "selected": False}]
    context = {"heading": "Issue area", "options": options, "id": "facet-issue"}
    for separator in (False, True):
        settings.USE_THOUSAND_SEPARATOR = separator
        written = str(facet("Issue area", options, "facet-issue"))
        assert normalised(written) == normalised(Template(FACET_TEMPLATE).render(Context(context)))
        assert ("12,345" in written) is separator
