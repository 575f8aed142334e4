"""The site shell: home page, standard content pages and site-wide settings."""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import cache as page_cache
from .blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from .shell import epoch, fast_route, shared

HOME_SECTIONS_HOOK = "lpsite_home_page_sections"


class SocialMetaMixin(models.Model):
    """A page's own picture and words for social media shares (Open Graph, X cards).

    Falls back to the search description, then the page's summary, introduction
    or description, then the site's defaults (Settings › Site settings); the
    picture falls back to the page's lead image, then the site's default. See
    ``home.templatetags.site_tags.social_meta``.
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Picture shown when this page is shared (1200×630 works best). Leave empty for the site's default.",
    )
    social_text = models.TextField(
        max_length=300,
        blank=True,
        verbose_name="social description",
        help_text="What a shared link says under the title. Leave empty to use the search description, then "
        "the page's summary or introduction.",
    )

    promote_panels = Page.promote_panels + [
        MultiFieldPanel(
            [
                # What editors read (the field's own help text predates the lead-image fallback; changing it
                # would take a migration in every app with a page type).
                FieldPanel(
                    "social_image",
                    help_text="Picture shown when this page is shared (1200×630 works best). Leave empty for the "
                    "page's lead image if it has one, else the site's default.",
                ),
                FieldPanel("social_text"),
            ],
            heading="Sharing on social media",
        )
    ]

    class Meta:
        abstract = True

    def get_share_image(self):
        """The picture for share cards: the page's social image, else its lead image (page types with one)."""
        return self.social_image or getattr(self, "lead_image", None)

    @property
    def share_image_id(self):
        """The id of :meth:`get_share_image`'s picture, without reading it."""
        return self.social_image_id or getattr(self, "lead_image_id", None)


class HomeFeature(Orderable):
    """A page an editor features on the home page (a resource or a training), in the order chosen."""

    feature = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The page to feature. Unpublished (or, for trainings, finished) pages are skipped.",
    )

    class Meta(Orderable.Meta):
        abstract = True


class HomeFeaturedResource(HomeFeature):
    page = ParentalKey("home.HomePage", on_delete=models.CASCADE, related_name="featured_resources")

    panels = [PageChooserPanel("feature", page_type="library.ResourcePage")]

    class Meta(HomeFeature.Meta):
        verbose_name = "featured resource"


class HomeFeaturedTraining(HomeFeature):
    page = ParentalKey("home.HomePage", on_delete=models.CASCADE, related_name="featured_trainings")

    panels = [PageChooserPanel("feature", page_type="events.EventPage")]

    class Meta(HomeFeature.Meta):
        verbose_name = "featured training"


class HomePage(SocialMetaMixin, Page):  # noqa: DJ008 - Page has __str__
    """The front door: a hero, an introduction, then sections other apps add.

    Apps contribute home-page sections (upcoming trainings, latest resources)
    through the ``lpsite_home_page_sections`` hook, so ``home`` never imports
    them. Each hook returns ``None`` or a dict with ``template``, ``order`` and
    whatever context the template needs. Editors curate those sections here:
    their headings, and the resources and trainings to feature (``featured_resources``,
    ``featured_trainings``; the sections fall back to the newest and the next).
    """

    hero_heading = models.CharField(
        max_length=150, help_text="The big statement at the top of the page (the page's only H1)."
    )
    hero_text = models.TextField(blank=True, help_text="One or two sentences under the heading.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional picture beside the hero text. Its alt text is the image's description (edit it under "
        "Images); an image without a description is shown as decorative.",
    )
    hero_cta_text = models.CharField(
        max_length=60, blank=True, help_text="Words on the hero's main button, e.g. 'Find a training'."
    )
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where the hero's main button goes.",
    )
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True, help_text="Who we are, in a short paragraph.")
    body = StreamField(BodyStreamBlock(), blank=True, help_text="Further sections below the introduction.")
    trainings_heading = models.CharField(
        max_length=120,
        default="Upcoming trainings",
        help_text="Heading of the trainings section.",
    )
    resources_heading = models.CharField(
        max_length=120,
        default="Latest from the resource library",
        help_text="Heading of the resources section.",
    )
    callout_heading = models.CharField(
        max_length=150,
        blank=True,
        default="Have a policy, strategy or communications question?",
        help_text="Heading of the Help Desk call-out.",
    )
    callout_text = models.TextField(blank=True, help_text="A sentence about how the Help Desk helps members.")
    callout_button_text = models.CharField(
        max_length=60, blank=True, default="Ask the Help Desk", help_text="Words on the call-out's button."
    )
    callout_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page the call-out links to (the Help Desk). The call-out is hidden when empty.",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_text"),
                PageChooserPanel("hero_cta_page"),
            ],
            heading="Hero",
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("trainings_heading"),
                InlinePanel(
                    "featured_trainings",
                    label="Featured training",
                    max_num=3,
                    help_text="Up to three sessions to show first. Leave empty to show the next three; "
                    "finished sessions drop off by themselves and the next ones fill their place.",
                ),
            ],
            heading="Trainings section",
        ),
        MultiFieldPanel(
            [
                FieldPanel("resources_heading"),
                InlinePanel(
                    "featured_resources",
                    label="Featured resource",
                    max_num=6,
                    help_text="Up to six resources to show first. Leave empty to show the newest; "
                    "the newest fill any places left.",
                ),
            ],
            heading="Resources section",
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("callout_heading"),
                FieldPanel("callout_text"),
                FieldPanel("callout_button_text"),
                PageChooserPanel("callout_page"),
            ],
            heading="Help Desk call-out",
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("hero_heading"),
        index.SearchField("hero_text"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "news.NewsIndexPage",
        "library.ResourceLibraryPage",
        "events.TrainingIndexPage",
        "helpdesk.HelpDeskPage",
        "collaborative.CollaborativePage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """Pages below the home page are found with one query where Wagtail's walk would take two a
        level (home/shell.py ``fast_route``); anything else is Wagtail's own walk."""
        return fast_route(self, request, path_components) or super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from django.utils import timezone
        from django.utils.functional import SimpleLazyObject

        # The hero's and the call-out's pages, read once per content generation (the template links to both).
        ids = [pk for pk in (self.hero_cta_page_id, self.callout_page_id) if pk]
        linked = shared("linked-pages", lambda: Page.objects.in_bulk(ids), *ids) if ids else {}
        if self.hero_cta_page_id:
            self.hero_cta_page = linked.get(self.hero_cta_page_id)
        if self.callout_page_id:
            self.callout_page = linked.get(self.callout_page_id)
        context = super().get_context(request, *args, **kwargs)
        # The sections (trainings, resources, news) are read only when the template renders them: their
        # HTML is kept per content generation and epoch (the moments an event starts or ends), so most
        # requests read nothing for them.
        context["home_sections"] = SimpleLazyObject(lambda: self.sections(request))
        context["sections_epoch"] = epoch(timezone.now())
        return context

    def sections(self, request):
        """The sections other apps add to the home page (``HOME_SECTIONS_HOOK``), in order."""
        sections = []
        for fn in hooks.get_hooks(HOME_SECTIONS_HOOK):
            section = fn(request, self)
            if section:
                sections.append(section)
        return sorted(sections, key=lambda s: s.get("order", 100))

    def featured(self, relation, model=Page):
        """The live, public pages chosen in ``relation`` (``featured_resources``/``featured_trainings``), in
        order. Given the ``model`` they must be, one query of that model (a queryset of it: what cards need
        with ``select_related``); otherwise the specific pages of any type.

        Reads the in-memory relation, so a preview shows unsaved choices.
        """
        items = getattr(self, relation)
        if self.pk and relation not in getattr(self, "_cluster_related_objects", {}):
            # The stored choices (not an editor's unsaved ones in a preview): read once per content generation.
            ids = shared("featured", lambda: [item.feature_id for item in items.all()], self.pk, relation)
        else:
            ids = [item.feature_id for item in items.all() if item.feature_id]
        if not ids:
            return []
        pages = model if isinstance(model, models.QuerySet) else model.objects.all()
        pages = pages.filter(pk__in=ids).live().public()
        if pages.model is Page:
            pages = pages.specific()
        found = {page.pk: page for page in pages}
        return [found[pk] for pk in ids if pk in found]


class StandardPage(SocialMetaMixin, Page):  # noqa: DJ008 - Page has __str__
    """A general content page (About, policies): an introduction and the shared body."""

    intro = models.TextField(blank=True, help_text="A short summary shown under the title and in listings.")
    body = StreamField(BodyStreamBlock(), blank=True, help_text="The page's content, block by block.")

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "standard page"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Organisation-wide details shown in the header, footer and emails."""

    page_cache_scopes = (page_cache.SHELL,)  # every page shows them; no search fact or route reads them

    organisation_name = models.CharField(
        max_length=120, default="Local Progress Impact Lab", help_text="Shown in the header, footer and page titles."
    )
    tagline = models.CharField(
        max_length=200,
        blank=True,
        help_text="A short line under the name in the footer.",
    )
    contact_email = models.EmailField(blank=True, help_text="Public contact address, shown in the footer.")
    footer_text = RichTextField(
        features=["bold", "italic", "link"], blank=True, help_text="A short paragraph at the bottom of every page."
    )
    facebook_url = models.URLField(blank=True, help_text="Facebook page address.")
    x_url = models.URLField(blank=True, verbose_name="X (Twitter) URL", help_text="X (Twitter) profile address.")
    instagram_url = models.URLField(blank=True, help_text="Instagram profile address.")
    linkedin_url = models.URLField(blank=True, help_text="LinkedIn page address.")
    youtube_url = models.URLField(blank=True, help_text="YouTube channel address.")
    bluesky_url = models.URLField(blank=True, help_text="Bluesky profile address.")
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The privacy page (what each form keeps and for how long): linked in the footer and from every form.",
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The contact page, linked in the footer.",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Default picture when a page is shared on social media.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("tagline"), FieldPanel("contact_email")],
            heading="Organisation",
        ),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("x_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("youtube_url"),
                FieldPanel("bluesky_url"),
            ],
            heading="Social media",
        ),
        MultiFieldPanel([PageChooserPanel("privacy_page"), PageChooserPanel("contact_page")], heading="Footer pages"),
        FieldPanel("social_image"),
    ]

    class Meta:
        verbose_name = "site settings"

    @classmethod
    def for_site(cls, site):
        """Read once per content generation with what the page shell shows of it (home/shell.py);
        the first read creates the row, as Wagtail's own ``for_site`` does."""

        def build():
            related = cls.objects.select_related("social_image", "privacy_page", "contact_page")
            return related.filter(site=site).first() or super(SiteSettings, cls).for_site(site)

        return shared("site-settings", build, site.pk)

    @property
    def social_links(self):
        """(label, url) for each social profile that is filled in, in display order."""
        links = [
            ("Facebook", self.facebook_url),
            ("X (Twitter)", self.x_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
            ("Bluesky", self.bluesky_url),
        ]
        return [(label, url) for label, url in links if url]


class NavigationLink(Orderable):
    """A link in the main navigation or the footer: a page on this site, or an address elsewhere."""

    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="page",
        help_text="A page on this site. Unpublished pages are left out of the menu until they go live.",
    )
    link_url = models.CharField(
        max_length=500,
        blank=True,
        verbose_name="or address",
        help_text="Used when no page is chosen: a full address (https://…) or a path on this site (/search/).",
    )
    label = models.CharField(
        max_length=60, blank=True, help_text="The words people click. Leave empty to use the page's title."
    )

    panels = [PageChooserPanel("link_page"), FieldPanel("link_url"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if not self.link_page_id and not self.link_url:
            raise ValidationError({"link_page": "Choose a page or enter an address."})
        if self.link_url and not self.link_page_id and not self.label:
            raise ValidationError({"label": "Give a link to an address the words people click."})
        if self.link_url and not (self.link_url.startswith(("/", "https://", "http://", "mailto:"))):
            raise ValidationError({"link_url": "Start the address with https://, http://, mailto: or /."})

    def __str__(self):
        return self.label or (self.link_page.title if self.link_page_id else self.link_url)


class MainNavigationLink(NavigationLink):
    page_cache_scopes = (page_cache.SHELL,)
    setting = ParentalKey("home.NavigationSettings", on_delete=models.CASCADE, related_name="main_links")


class FooterLink(NavigationLink):
    page_cache_scopes = (page_cache.SHELL,)
    setting = ParentalKey("home.NavigationSettings", on_delete=models.CASCADE, related_name="footer_links")


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting, ClusterableModel):
    """The main navigation and the footer's links, in the order editors set them.

    Empty lists fall back to the home page's children marked "show in menus"
    (main navigation) and to Search / Sitemap / Staff login (footer). Seed
    functions add their pages with ``home.navigation.add_nav_link``.
    """

    page_cache_scopes = (page_cache.SHELL,)

    panels = [
        InlinePanel("main_links", label="Menu link", heading="Main navigation"),
        InlinePanel("footer_links", label="Footer link", heading="Footer links"),
    ]

    class Meta:
        verbose_name = "navigation"
