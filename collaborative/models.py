"""The Leadership Collaborative: its landing page, the four pillars, their convenings, the interest form.

A separate app because it draws on ``library`` (resources by issue area) and
``events`` (a convening *is* an event: ``ConveningPage`` extends
``events.EventPage``, so it has the same zones, .ics file, JSON-LD and
registration rules), and ``home`` must not import those.

Tree: ``CollaborativePage`` (/leadership-collaborative/) > ``PillarPage`` >
``ConveningPage``; ``InterestPage`` (the "get in touch" form) sits beside the
pillars.
"""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from events.models import EventPage, attach_series
from events.registration.models import EventFormField
from events.times import clock, clock_range, timezone_choices, zone_label
from home.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from home.images import LeadImageShareMixin, lead_image_field, prefetch_lead_image_renditions
from home.shell import epoch, find_page, parent_page
from library.models import resources_sharing_issue_areas
from news.models import latest_articles
from taxonomy.models import IssueArea

from .blocks import AgendaStreamBlock
from .interest import CollaborativeInterest, InterestPage  # noqa: F401 - models of this app

RELATED_LIMIT = 3
NEWS_LIMIT = 3

LEADERSHIP_QUESTION = "Which leadership position do you hold in the network?"
LEADERSHIP_CHOICES = [
    "State organizing committee",
    "Program steering committee",
    "Caucus leadership committee",
    "Another leadership position",
]


def date_range(start, end):
    """'March 9–10, 2027', 'March 31 – April 1, 2027' or 'December 31, 2027 – January 1, 2028'."""
    if start.date() == end.date():
        return date_format(start, "F j, Y")
    if start.year != end.year:
        return f"{date_format(start, 'F j, Y')} – {date_format(end, 'F j, Y')}"
    if start.month != end.month:
        return f"{date_format(start, 'F j')} – {date_format(end, 'F j, Y')}"
    return f"{date_format(start, 'F j')}–{date_format(end, 'j, Y')}"


def convenings_below(page):
    """Live, public convenings below ``page``, soonest first, with what cards need."""
    return (
        ConveningPage.objects.live().public().descendant_of(page).order_by("start", "pk").select_related("lead_image")
    )


def next_convening(page, now=None):
    """The first convening below ``page`` that has not ended yet (one in progress counts), or None."""
    return convenings_below(page).filter(end__gt=now or timezone.now()).first()


class CollaborativePage(LeadImageShareMixin, Page):
    """The Leadership Collaborative at /leadership-collaborative/.

    What it is and who it is for, the four pillars (its child PillarPages), a
    timeline of every convening with the next one highlighted, the latest
    news relating to it, and the way to get in touch (its InterestPage).
    """

    intro = models.TextField(help_text="What the Leadership Collaborative is, in two or three sentences.")
    who_its_for = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        verbose_name="who it is for",
        help_text="Who can take part (members in leadership positions: state organizing committees, program "
        "steering committees, caucus leadership).",
    )
    lead_image = lead_image_field("page")
    body = StreamField(BodyStreamBlock(), blank=True, help_text="More about the collaborative, below the timeline.")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("lead_image"),
        FieldPanel("who_its_for"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro", boost=2),
        index.SearchField("who_its_for"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["collaborative.PillarPage", "collaborative.InterestPage"]
    max_count = 1

    class Meta:
        verbose_name = "Leadership Collaborative page"

    def pillars(self):
        return PillarPage.objects.live().public().child_of(self).select_related("lead_image")

    def interest_page(self):
        return find_page(InterestPage, below=self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context.update(
            {
                "now": now,
                "epoch": epoch(now),
                # Read only when the template renders it: its HTML is kept per content generation and epoch.
                "listing": SimpleLazyObject(lambda: self.listing(now)),
                "interest_page": self.interest_page(),
            }
        )
        return context

    def listing(self, now):
        """The pillars, the convenings (and the next one) and the latest news the page shows."""
        convenings = list(convenings_below(self))
        upcoming = [c for c in convenings if c.end > now]
        pillars = list(self.pillars())
        news = latest_articles(NEWS_LIMIT, related_to=self)
        # Every card's picture (the pillars', convenings' and articles'): 7 ms less for ten.
        prefetch_lead_image_renditions([*pillars, *convenings, *news])
        return {
            "pillars": pillars,
            "convenings": convenings,
            "next_convening": upcoming[0] if upcoming else None,
            "news": news,
        }


class PillarPage(LeadImageShareMixin, Page):
    """One pillar of the Strategic Framework: its description, its convening(s), related resources and trainings.

    Resources and upcoming trainings are chosen by the pillar's issue areas.
    Its convenings are its child ConveningPages.
    """

    summary = models.TextField(max_length=400, help_text="One or two sentences for the pillar's card.")
    description = RichTextField(features=RICH_TEXT_FEATURES, help_text="What the pillar means and why it matters.")
    lead_image = lead_image_field("pillar")
    issue_areas = ParentalManyToManyField(
        IssueArea,
        blank=True,
        related_name="pillars",
        help_text="The issues this pillar touches: related resources and trainings are chosen by these.",
    )
    body = StreamField(BodyStreamBlock(), blank=True, help_text="Anything else, below the description.")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        FieldPanel("description"),
        FieldPanel("issue_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("body"),
        index.RelatedFields("issue_areas", [index.SearchField("name")]),
    ]

    parent_page_types = ["collaborative.CollaborativePage"]
    subpage_types = ["collaborative.ConveningPage"]

    class Meta:
        verbose_name = "pillar"

    def convenings(self):
        return convenings_below(self)

    def related_trainings(self, area_ids, now=None, limit=RELATED_LIMIT):
        """Upcoming trainings (not convenings) sharing an issue area with the pillar, soonest first."""
        if not area_ids:
            return []
        return list(
            EventPage.objects.live()
            .public()
            .not_type(ConveningPage)
            .filter(issue_areas__in=area_ids, cancelled_at__isnull=True)
            .upcoming(now)
            .distinct()
            .for_listing()[:limit]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context.update(
            {
                "now": now,
                "epoch": epoch(now),
                "collaborative": parent_page(self),
                # Read only when the template renders it: its HTML is kept per content generation and epoch.
                "related": SimpleLazyObject(lambda: self.related(now)),
            }
        )
        return context

    def related(self, now):
        """The pillar's convenings, and the resources and upcoming trainings sharing its issue areas."""
        area_ids = [area.pk for area in self.issue_areas.all()]
        convenings = list(self.convenings())
        related_resources = resources_sharing_issue_areas(area_ids, RELATED_LIMIT)
        prefetch_lead_image_renditions([*convenings, *related_resources])  # every card's picture
        return {
            "convenings": convenings,
            "related_resources": related_resources,
            "related_trainings": attach_series(self.related_trainings(area_ids, now)),
        }


class ConveningPage(EventPage):
    """A convening of the Leadership Collaborative: dates, city and venue, its pillar (its parent), agenda.

    It is an event (``events.EventPage``): times show in its own zone with an
    .ics file, and when an editor ticks "Take registrations" members register
    through the usual rules, answering a required question about the
    leadership position they hold. Otherwise the page invites them to get in
    touch instead.
    """

    city = models.CharField(max_length=100, help_text="Where it is, e.g. 'Washington, DC'.")
    venue = models.CharField(
        max_length=150, blank=True, help_text="The venue's name and address. Shown as 'to be announced' when empty."
    )
    summary = models.TextField(max_length=400, blank=True, help_text="One or two sentences for timeline cards.")
    lead_image = lead_image_field("convening")
    agenda = StreamField(AgendaStreamBlock(), blank=True, help_text="The programme, session by session.")
    registration_enabled = models.BooleanField(
        default=False,
        verbose_name="take registrations",
        help_text="Tick to let members register on the page (members in leadership positions only: they must "
        "say which position they hold). Leave unticked while invitations go out another way.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("timezone", widget=forms.Select(choices=timezone_choices())),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            ],
            heading="When",
        ),
        MultiFieldPanel([FieldPanel("city"), FieldPanel("venue")], heading="Where"),
        FieldPanel("lead_image"),
        FieldPanel("description"),
        FieldPanel("agenda"),
        FieldPanel("issue_areas", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldPanel("capacity"),
                FieldPanel("registration_closes"),
                FieldPanel("requires_approval"),
            ],
            heading="Registration",
        ),
        InlinePanel(
            "form_fields",
            label="Question",
            heading="More registration questions",
            help_text="The leadership-position question is always asked; add any others here.",
        ),
    ]
    search_fields = EventPage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("city"),
        index.SearchField("venue"),
        index.SearchField("agenda"),
    ]

    parent_page_types = ["collaborative.PillarPage"]
    subpage_types = []

    class Meta:
        verbose_name = "convening"

    @property
    def pillar(self):
        return parent_page(self)

    @property
    def date_range(self):
        """'March 9–10, 2027', in the convening's own zone."""
        return date_range(self.local_start, self.local_end)

    @property
    def times_text(self):
        """'Tue, Mar 9, 9am – Wed, Mar 10, 5pm ET': start and end in the convening's own zone."""
        start, end = self.local_start, self.local_end
        label = zone_label(self.timezone, start)
        if start.date() == end.date():
            return f"{date_format(start, 'D, M j')}, {clock_range(start, end)} {label}"
        return f"{date_format(start, 'D, M j')}, {clock(start)} – {date_format(end, 'D, M j')}, {clock(end)} {label}"

    @property
    def venue_text(self):
        return self.venue or "Venue to be announced"

    def save(self, *args, **kwargs):
        # Calendar files, JSON-LD and emails read location_name: keep it as "venue, city".
        self.location_name = ", ".join(part for part in (self.venue, self.city) if part)[:150]
        self.meeting_url = ""
        return super().save(*args, **kwargs)

    def get_form_fields(self):
        """The editors' questions after the required leadership-position question."""
        question = EventFormField(
            page=self,
            clean_name="leadership_position",
            label=LEADERSHIP_QUESTION,
            field_type="dropdown",
            required=True,
            choices="\n".join(LEADERSHIP_CHOICES),
            help_text="The Leadership Collaborative is for members who hold a leadership position in the network.",
        )
        return [question, *self.form_fields.all()]

    def questions_page(self):
        return self

    def registration_form(self, request, now=None):
        if not self.registration_enabled:
            return None
        return super().registration_form(request, now)

    @path("register/", name="register")
    def register_view(self, request, *args, **kwargs):
        from django.http import Http404

        if not self.registration_enabled:
            raise Http404("This convening does not take registrations on the site.")
        return super().register_view(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pillar = self.pillar
        collaborative = parent_page(pillar)
        context.update(
            {
                "pillar": pillar,
                "collaborative": collaborative,
                "interest_page": collaborative.interest_page()
                if isinstance(collaborative, CollaborativePage)
                else None,
                "index_page": collaborative,
            }
        )
        return context
