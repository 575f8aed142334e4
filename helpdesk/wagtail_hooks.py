"""Help Desk admin: the Experts and Saved replies snippets, privacy of the form submissions, demo content."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Expert, HelpDeskPage, SavedReply
from .permissions import can_manage


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "group"
    menu_label = "Experts"
    list_display = ["name", "organisation", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "organisation"]


class SavedReplyViewSet(SnippetViewSet):
    model = SavedReply
    icon = "openquote"
    menu_label = "Saved replies"
    list_display = ["title", "category"]
    list_filter = ["category"]


register_snippet(ExpertViewSet)
register_snippet(SavedReplyViewSet)


@hooks.register("filter_form_submissions_for_user")
def hide_help_desk_submissions(user, editable_forms):
    """Wagtail's Forms listing never shows the Help Desk page to those outside the Help Desk."""
    if can_manage(user):
        return editable_forms
    return editable_forms.not_type(HelpDeskPage)


from . import demo, inbox  # noqa: E402, F401  (the lpsite_seed_demo hook; the inbox registers itself)


@hooks.register("insert_global_admin_css")
def help_desk_admin_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-helpdesk.css"))
