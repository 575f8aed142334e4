"""Admin wiring for the site shell: editor scripts."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from . import review, scheduled  # noqa: F401 - the Scheduled report and the review feedback register their own hooks


@hooks.register("insert_editor_js")
def draftail_labels_js():
    """Names each rich text editor after its field's label (Wagtail leaves them unnamed: wagtail/wagtail#14205)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-draftail-labels.js"))
