"""The shared taxonomies: issue areas and resource types, snippets that Communications leads own.

Resources, trainings, Help Desk requests and experts, and the collaborative's pillars are tagged with them.
They came from ``library`` and keep its tables (``Meta.db_table``): moving them kept every row
(taxonomy/migrations/0001_initial.py).
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from home.shell import shared


class Taxonomy(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text="As members will see it, e.g. 'Housing'.")
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Used in addresses such as /resources/?issue=housing."
    )
    description = models.TextField(blank=True, help_text="One or two sentences shown on the library page.")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_snippet
class IssueArea(index.Indexed, Taxonomy):
    """An issue the network works on (housing, community safety, ...): tags resources, events and requests."""

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(Taxonomy.Meta):
        db_table = "library_issuearea"  # its table from before the move to this app
        verbose_name = "issue area"


@register_snippet
class ResourceType(index.Indexed, Taxonomy):
    """What kind of resource it is (model ordinance, toolkit, recording, ...)."""

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(Taxonomy.Meta):
        db_table = "library_resourcetype"  # its table from before the move to this app
        verbose_name = "resource type"


def all_issue_areas():
    """Every issue area, in name order, read once per content generation (home/shell.py): the filters and
    tags of the library, the trainings and event pages. A snippet's save starts a new generation."""
    return shared("issue-areas", lambda: list(IssueArea.objects.all()))
