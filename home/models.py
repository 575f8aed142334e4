"""The site shell: home page, standard content pages and site-wide settings."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, BodyStreamBlock

HOME_SECTIONS_HOOK = "lpsite_home_page_sections"


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


class HomePage(Page):
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
        help_text="Optional picture beside the hero text. Its title is used as alt text.",
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
    subpage_types = ["home.StandardPage", "library.ResourceLibraryPage", "events.TrainingIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = []
        for fn in hooks.get_hooks(HOME_SECTIONS_HOOK):
            section = fn(request, self)
            if section:
                sections.append(section)
        context["home_sections"] = sorted(sections, key=lambda s: s.get("order", 100))
        return context

    def featured(self, relation):
        """The specific pages chosen in ``relation`` (``featured_resources``/``featured_trainings``), in order.

        Reads the in-memory relation, so a preview shows unsaved choices.
        """
        ids = [item.feature_id for item in getattr(self, relation).all() if item.feature_id]
        pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).live().public().specific()}
        return [pages[pk] for pk in ids if pk in pages]


class StandardPage(Page):
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
        FieldPanel("social_image"),
    ]

    class Meta:
        verbose_name = "site settings"

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


class StaffPermissions(models.Model):
    """Holds the staff-role permissions that belong to no single model.

    No table: it only gives the inbox permissions a home so groups can hold
    them before (and independently of) the inbox models. The registrations
    and Help Desk inboxes check these.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("manage_event_registrations", "Can see and act on event registrations"),
            ("manage_helpdesk_requests", "Can see and act on Help Desk requests"),
        ]
        verbose_name = "staff permission"

    def __str__(self):
        return "Staff permissions"


class OutboundEmail(models.Model):
    """An email the site sends, saved before delivery so none is ever lost.

    ``home.emails.queue_email`` renders and saves it in the caller's
    transaction; a task delivers it after commit. Delivery first *claims* the
    email (``sending`` with the time, committed), sends outside any lock, then
    records the outcome. A mail server that is down leaves it ``failed`` with
    the error and the time of the next attempt (exponential backoff);
    ``retry_emails`` (cron) takes up failed emails that are due, emails left
    ``queued`` by a process that died before enqueueing, and stale claims of a
    process that died while sending, up to ``EMAIL_MAX_ATTEMPTS`` attempts.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.JSONField(default=list, help_text="Recipient addresses.")
    subject = models.CharField(max_length=255, help_text="Subject line, one line.")
    text_body = models.TextField(help_text="Plain-text body.")
    html_body = models.TextField(blank=True, help_text="HTML body (optional).")
    attachments = models.JSONField(
        default=list, blank=True, help_text="Files to attach: filename, mimetype and base64 content."
    )
    purpose = models.CharField(max_length=80, blank=True, db_index=True, help_text="What it is, e.g. 'confirmed'.")
    related_key = models.CharField(
        max_length=120, blank=True, db_index=True, help_text="What it is about, e.g. 'events.registration:42'."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Delivery attempts so far.")
    last_error = models.TextField(blank=True, help_text="The mail server's answer on the last failure.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was saved.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the mail server accepted it.")
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker started sending it (status 'sending')."
    )
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Not retried before this time (backoff after a failure)."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbound email"
        permissions = [("retry_outboundemail", "Can see failed emails and send them again")]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"
