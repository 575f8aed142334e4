"""RSS 2.0 and Atom 1.0 feeds of the news, through Django's syndication framework.

Each feed is built for one ``NewsIndexPage`` (its routes ``feed/`` and
``feed/atom/`` instantiate it), so links are that site's absolute addresses.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags

from home.models import SiteSettings

# How many of the newest articles a feed carries.
FEED_ITEMS = 20


class NewsRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        organisation = SiteSettings.for_request(self.request).organisation_name
        return f"{self.index_page.title} | {organisation}"

    def link(self):
        return self.index_page.get_url(self.request)

    def description(self):
        return strip_tags(self.index_page.intro) or f"News from {self.title()}"

    def items(self):
        return list(self.index_page.articles()[:FEED_ITEMS])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary_text

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        # Stable across retitling and moves.
        return f"article-{item.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.published_at

    def item_author_name(self, item):
        return item.author or None


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
