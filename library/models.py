"""The resource library: resource pages and the library (the taxonomies they use are in ``taxonomy``)."""

from django import forms
from django.db import models
from django.db.models import Count, prefetch_related_objects
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyStreamBlock
from home.images import lead_image_field
from home.models import SocialMetaMixin
from home.pagination import paginate
from taxonomy.models import IssueArea, ResourceType

from .search import LibrarySearch
from .states import STATE_NAMES, US_STATES

# Editors pick from the lists; Communications leads own them (docs/roles.md).
ASK_A_LEAD = "Missing a {kind}? Ask a Communications lead to add it (Snippets in the admin menu)."

RESOURCES_PER_PAGE = 12
RELATED_LIMIT = 4


class ResourceDocument(Orderable):
    """A downloadable file attached to a resource."""

    page = ParentalKey("library.ResourcePage", on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", help_text="The file to download."
    )
    title = models.CharField(max_length=200, blank=True, help_text="Link text; the document's own title if empty.")

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def label(self):
        return self.title or self.document.title


class RelatedResource(Orderable):
    """An editor's pick of a related resource, shown before the automatic ones."""

    page = ParentalKey("library.ResourcePage", on_delete=models.CASCADE, related_name="related_links")
    resource = models.ForeignKey(
        "library.ResourcePage", on_delete=models.CASCADE, related_name="+", help_text="A resource to recommend."
    )

    panels = [FieldPanel("resource")]


class ResourcePage(SocialMetaMixin, Page):
    """One resource: an ordinance, one-pager, toolkit, recording and so on."""

    summary = models.TextField(
        max_length=500, help_text="Two or three sentences: what it is and who it helps. Shown in listings."
    )
    lead_image = lead_image_field("resource")
    body = StreamField(BodyStreamBlock(), blank=True, help_text="The resource itself, or more about it.")
    resource_type = models.ForeignKey(
        ResourceType,
        on_delete=models.PROTECT,
        related_name="resources",
        help_text=f"What kind of resource this is. {ASK_A_LEAD.format(kind='type')}",
    )
    issue_areas = ParentalManyToManyField(
        IssueArea,
        related_name="resources",
        help_text=f"One or more issues it addresses. {ASK_A_LEAD.format(kind='issue area')}",
    )
    jurisdiction = models.CharField(
        max_length=150, blank=True, help_text="The city, county or district it comes from, e.g. 'Hillsborough, NC'."
    )
    state = models.CharField(
        max_length=2, blank=True, choices=US_STATES, help_text="The US state it comes from, if any."
    )
    published_date = models.DateField(
        verbose_name="date shown",
        help_text="The date members see on the resource and its card (e.g. when it was published or last "
        "updated). The library and the home page list the newest date first.",
    )
    external_url = models.URLField(
        blank=True, help_text="Optional link to the resource elsewhere (a recording, a city's website)."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        MultiFieldPanel(
            [
                FieldPanel("resource_type", widget=forms.Select),
                FieldPanel("issue_areas", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("jurisdiction"), FieldPanel("state")]),
                FieldPanel("published_date"),
            ],
            heading="About this resource",
        ),
        FieldPanel("body"),
        InlinePanel("documents", label="Downloads", heading="Downloads"),
        FieldPanel("external_url"),
        InlinePanel("related_links", label="Related resource", heading="Related resources (editor's picks)"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("jurisdiction"),
        index.AutocompleteField("title"),
        index.RelatedFields("resource_type", [index.SearchField("name")]),
        index.RelatedFields("issue_areas", [index.SearchField("name")]),
        index.FilterField("state"),
        index.FilterField("published_date"),
        index.FilterField("resource_type"),
    ]

    parent_page_types = ["library.ResourceLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = "resource"
        ordering = ["-published_date"]
        indexes = [
            # The library's listing (library/search.py): newest first, a page at a time, walked in this index
            # and filtered by type and state without reading the rows (their bodies are large).
            models.Index(
                fields=["published_date", "page_ptr", "resource_type", "state"], name="library_resource_listing"
            ),
        ]

    @property
    def state_name(self):
        return STATE_NAMES.get(self.state, "")

    @property
    def place(self):
        """'Hillsborough, NC' or the state's name, for listings."""
        return self.jurisdiction or self.state_name

    @property
    def card_issue_areas(self):
        """The issue areas a card lists: those the library's search read with its results
        (library/search.py), else the page's own."""
        listed = self.__dict__.get("_card_issue_areas")
        return listed if listed is not None else self.issue_areas.all()

    @card_issue_areas.setter
    def card_issue_areas(self, areas):
        self._card_issue_areas = list(areas)

    @cached_property
    def library(self):
        return self.get_parent().specific

    def get_related_resources(self, limit=RELATED_LIMIT, area_ids=None):
        """Editor picks first, then live resources sharing the most issue areas, newest first
        (``area_ids``: this page's issue areas, when the caller has them already)."""
        picks = [
            link.resource
            for link in self.related_links.select_related("resource", "resource__resource_type", "resource__lead_image")
            if link.resource.live
        ][:limit]
        if len(picks) < limit:
            if area_ids is None:
                # Not values_list("pk"): a preview holds the areas in memory (modelcluster), where that fails.
                area_ids = [area.pk for area in self.issue_areas.all()]
            exclude = [self.pk] + [p.pk for p in picks]
            picks.extend(resources_sharing_issue_areas(area_ids, limit - len(picks), exclude=exclude))
        prefetch_related_objects(picks, "issue_areas")
        return picks

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issue_area_list"] = areas = list(self.issue_areas.all())
        context["downloads"] = list(self.documents.select_related("document"))
        # Read only when the template renders them: their cards are kept per content generation.
        context["related_resources"] = SimpleLazyObject(
            lambda: self.get_related_resources(area_ids=[area.pk for area in areas])
        )
        return context


def resources_sharing_issue_areas(area_ids, limit, exclude=()):
    """Live, public resources sharing the most of ``area_ids``, newest first (for "related" lists)."""
    if not area_ids:
        return []
    return list(
        ResourcePage.objects.live()
        .public()
        .filter(issue_areas__in=area_ids)
        .exclude(pk__in=exclude)
        .annotate(shared=Count("issue_areas"))
        .order_by("-shared", "-published_date", "-pk")
        .select_related("resource_type", "lead_image")
        .prefetch_related("issue_areas")[:limit]
    )


class ResourceLibraryPage(SocialMetaMixin, Page):
    """The library at /resources/: search and filter every resource below it."""

    intro = RichTextField(
        features=["bold", "italic", "link"], blank=True, help_text="A sentence or two above the search box."
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.ResourcePage"]
    max_count = 1

    class Meta:
        verbose_name = "resource library"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        search = LibrarySearch(self, request.GET)
        page_obj = paginate(
            search.prepare(request.GET.get("page"), RESOURCES_PER_PAGE), request.GET.get("page"), RESOURCES_PER_PAGE
        )
        context.update(
            {
                "search": search,
                "page_obj": page_obj,
                "paginator": page_obj.paginator,
                "resources": search.cards(page_obj.object_list),
            }
        )
        return context
