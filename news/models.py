"""News: the index at /news/ (newest first, paginated, RSS and Atom feeds) and articles.

Articles relate to any page, and other apps (the Leadership Collaborative, the
home page) read the latest news from here. The models came from ``home`` and
keep its tables (``Meta.db_table``): moving them kept every row
(news/migrations/0001_initial.py).
"""

import datetime
from urllib.parse import quote, urlencode

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyStreamBlock, plain_text_of_stream
from home.images import LeadImageShareMixin, lead_image_field
from home.pagination import paginate
from home.shell import deferred_pages, held, parent_page

from .feeds import NewsAtomFeed, NewsRssFeed

ARTICLES_PER_PAGE = 10


class NewsIndexPage(RoutablePageMixin, Page):
    """News at /news/: articles newest first, ten a page, with RSS (``feed/``) and Atom (``feed/atom/``) feeds."""

    intro = RichTextField(
        features=["bold", "italic", "link"], blank=True, help_text="A sentence under the title about what we publish."
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]
    max_count = 1

    class Meta:
        db_table = "home_newsindexpage"  # its table from before the move to this app
        verbose_name = "news index"

    def articles(self):
        """Live, public articles below this index, newest first."""
        return (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-date", "-pk")
            .select_related("lead_image")
        )

    def article_ids(self):
        """The ids of :meth:`articles`, in their order: read once per content generation and kept by the process
        (home/shell.py ``held``), so a page of the index counts and slices them without a query."""
        return held("news-article-ids", lambda: tuple(self.articles().values_list("pk", flat=True)), self.pk)

    @path("", name="index")
    def index_view(self, request):
        return self.render(request)

    @path("feed/", name="rss")
    def rss_view(self, request):
        return NewsRssFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom_view(self, request):
        return NewsAtomFeed(self)(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_obj = paginate(self.article_ids(), request.GET.get("page"), ARTICLES_PER_PAGE)
        # Cards are fragments named by the article (components/article_card.html): the articles are read, in one
        # query, only when one of them is not kept.
        articles = deferred_pages(page_obj.object_list, load_articles)
        context.update({"page_obj": page_obj, "paginator": page_obj.paginator, "articles": articles})
        return context


class ArticleRelatedPage(Orderable):
    """A page an article points readers to (the collaborative, a pillar, a resource)."""

    article = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="related_links")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", help_text="A page on this site to read next."
    )

    panels = [PageChooserPanel("page")]

    class Meta(Orderable.Meta):
        db_table = "home_articlerelatedpage"  # its table from before the move to this app


class ArticlePage(LeadImageShareMixin, Page):
    """A news article: date, author, lead image with caption, body with pull quotes, related pages, share links."""

    date = models.DateField(default=timezone.localdate, help_text="The article's publication date, shown on it.")
    author = models.CharField(
        max_length=120, blank=True, help_text="Who wrote it, e.g. 'Local Progress staff'. Hidden when empty."
    )
    summary = models.TextField(
        max_length=400, blank=True, help_text="One or two sentences for cards, feeds and search results."
    )
    lead_image = lead_image_field("article")
    lead_image_caption = models.CharField(
        max_length=300, blank=True, help_text="Shown under the lead image, e.g. who is pictured and where."
    )
    body = StreamField(
        BodyStreamBlock(), help_text="The article. Use the quote block for pull quotes and the image block for photos."
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author")], heading="Byline"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading="Lead image"),
        FieldPanel("body"),
        InlinePanel("related_links", label="Related page", heading="Related pages"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        db_table = "home_articlepage"  # its table from before the move to this app
        verbose_name = "article"
        ordering = ["-date"]

    @cached_property
    def published_at(self):
        """An aware datetime for feeds: noon of the article's date in the site's zone."""
        return datetime.datetime.combine(self.date, datetime.time(12), tzinfo=timezone.get_default_timezone())

    @property
    def summary_text(self):
        if self.summary:
            return self.summary
        return plain_text_of_stream(self.body, words=40)

    def related_pages(self):
        return [link.page.specific for link in self.related_links.select_related("page") if link.page.live]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_pages"] = self.related_pages()
        context["share_links"] = share_links(self.get_full_url(request) or "", self.title)
        context["news_index"] = parent_page(self)
        return context


def share_links(url, title):
    """Plain share links (no third-party scripts, no tracking): (label, href)."""
    return [
        ("Email", f"mailto:?{urlencode({'subject': title, 'body': url}, quote_via=quote)}"),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"})),
        ("X (Twitter)", "https://x.com/intent/post?" + urlencode({"text": title, "url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
    ]


def load_articles(ids):
    """The articles of ``ids`` as their cards show them."""
    return ArticlePage.objects.filter(pk__in=ids).select_related("lead_image")


def latest_articles(limit=3, related_to=None):
    """The newest live articles; with ``related_to`` (a page), those relating to it or a page below it."""
    articles = ArticlePage.objects.live().public().order_by("-date", "-pk").select_related("lead_image")
    if related_to is not None:
        pages = Page.objects.descendant_of(related_to, inclusive=True).values("pk")
        articles = articles.filter(related_links__page__in=pages).distinct()
    return list(articles[:limit])
