"""Help Desk admin: the Experts and Saved replies snippets, demo content.

Wagtail's Forms screens never show the requests (the inbox kit's
``filter_form_submissions_for_user`` hook): they are read in the inbox.
"""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Expert, SavedReply


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


from . import demo, email_admin, inbox  # noqa: E402, F401  (the lpsite_seed_demo hook; admins register themselves)


@hooks.register("insert_global_admin_css")
def help_desk_admin_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-helpdesk.css"))
