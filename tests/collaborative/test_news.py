"""News: the index, articles, the feeds (parsed back) and the home page's latest news."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import wagtail_factories

from news.factories import ArticlePageFactory, NewsIndexPageFactory
from news.models import ARTICLES_PER_PAGE, ArticleRelatedPage
from tests.conftest import own_queries
from tests.html import soup

from .conftest import make_image

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def news(home_page):
    return NewsIndexPageFactory(parent=home_page, intro="<p>Stories from the network.</p>")


def article(news, n, **kwargs):
    defaults = {
        "title": f"Story {n}",
        "slug": f"story-{n}",
        "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        "summary": f"Summary of story {n}.",
        "body": [("paragraph", f"<p>Body of story {n}.</p>")],
    }
    return ArticlePageFactory(parent=news, **{**defaults, **kwargs})


def test_the_index_lists_newest_first_and_paginates(client, news):
    for n in range(ARTICLES_PER_PAGE + 2):
        article(news, n)
    first = soup(client.get(news.url))
    titles = [a.get_text(strip=True) for a in first.select(".news-list .card__title a")]
    assert titles[:2] == [f"Story {ARTICLES_PER_PAGE + 1}", f"Story {ARTICLES_PER_PAGE}"]
    assert len(titles) == ARTICLES_PER_PAGE
    second = soup(client.get(news.url, {"page": 2}))
    assert [a.get_text(strip=True) for a in second.select(".news-list .card__title a")] == ["Story 1", "Story 0"]
    # A page number past the end shows the last page, not an error.
    assert client.get(news.url, {"page": "99"}).status_code == 200


def test_rss_feed_parses_back_with_the_newest_articles(client, news):
    article(news, 1, author="Local Progress staff")
    article(news, 2)
    response = client.get(news.url + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own feed
    assert channel.findtext("title").startswith("News | ")
    assert channel.findtext("link").endswith("/news/")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Story 2", "Story 1"]
    assert items[0].findtext("link") == "http://testserver/news/story-2/"
    assert items[0].findtext("description") == "Summary of story 2."
    assert items[0].findtext("pubDate").startswith("Sat, 03 Jan 2026")


def test_atom_feed_parses_back(client, news):
    article(news, 1)
    response = client.get(news.url + "feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Story 1"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/news/story-1/"
    assert entry.findtext(f"{ATOM}published").startswith("2026-01-02")
    # Feeds are advertised on the index.
    links = soup(client.get(news.url)).select('link[rel="alternate"]')
    assert {link["type"] for link in links} == {"application/rss+xml", "application/atom+xml"}


def test_unpublished_articles_stay_out_of_the_index_and_feeds(client, news):
    article(news, 1)
    draft = article(news, 2)
    draft.unpublish()
    assert "Story 2" not in client.get(news.url).content.decode()
    assert "Story 2" not in client.get(news.url + "feed/").content.decode()


def test_an_article_shows_byline_lead_image_quotes_related_pages_and_share_links(client, news, home_page):
    image = make_image(description="Members meeting each other in person")
    about = wagtail_factories.PageFactory(parent=home_page, title="About us", slug="about")
    story = article(
        news,
        1,
        author="Local Progress staff",
        lead_image=image,
        lead_image_caption="At the 2022 National Convening in Denver, CO.",
        body=[("quote", {"quote": "Governing is a team sport.", "attribution": "Sarah Johnson"})],
    )
    ArticleRelatedPage.objects.create(article=story, page=about, sort_order=0)
    page = soup(client.get(story.url))
    assert "January 2, 2026" in page.select_one(".article__byline").get_text()
    assert "Local Progress staff" in page.select_one(".article__byline").get_text()
    lead = page.select_one(".lead-figure")
    assert lead.img["alt"] == "Members meeting each other in person"
    assert "Denver, CO" in lead.figcaption.get_text()
    assert page.select_one(".sf-quote blockquote").get_text(strip=True) == "Governing is a team sport."
    assert page.select_one(".article__related a")["href"] == "/about/"
    share = {
        a.get_text(strip=True).replace("(opens in a new tab)", ""): a["href"] for a in page.select(".share-links a")
    }
    assert share["Facebook"].startswith("https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Flocalhost%2Fnews%2F")
    assert "mailto:" in share["Email"]
    # No third-party scripts: only our own.
    assert all(s["src"].startswith("/static/") for s in page.find_all("script", src=True))


def test_the_home_page_shows_the_latest_news(client, news, home_page):
    for n in range(4):
        article(news, n)
    page = soup(client.get("/"))
    section = page.find("h2", string="Latest news").find_parent("section")
    titles = [a.get_text(strip=True) for a in section.select(".card__title a")]
    assert titles == ["Story 3", "Story 2", "Story 1"]


def test_a_page_with_a_lead_image_shares_only_that_picture_and_others_the_site_default(client, news, home_page):
    from collaborative.factories import ConveningPageFactory, PillarPageFactory
    from home.models import SiteSettings

    def shared_pictures(url):
        return [meta["content"] for meta in soup(client.get(url)).find_all("meta", property="og:image")]

    default = make_image(title="Site default", description="")
    settings = SiteSettings.for_site(home_page.get_site())
    settings.social_image = default
    settings.save()
    default_url = default.get_rendition("fill-1200x630").url

    lead = make_image(title="Story picture", description="Members meeting each other in person")
    story = article(news, 1, lead_image=lead)
    [shared] = shared_pictures(story.url)
    assert shared.startswith("http://") and shared.endswith(lead.get_rendition("fill-1200x630").url)
    assert shared_pictures(article(news, 2).url) == [shared_pictures("/")[0]]  # no lead image: the default
    [home] = shared_pictures("/")
    assert home.endswith(default_url)

    from collaborative.factories import CollaborativePageFactory

    collaborative = CollaborativePageFactory(parent=home_page, lead_image=make_image(title="Collaborative"))
    pillar = PillarPageFactory(parent=collaborative, lead_image=make_image(title="Pillar"))
    convening = ConveningPageFactory(parent=pillar, lead_image=make_image(title="Convening"))
    for page in (collaborative, pillar, convening):
        [picture] = shared_pictures(page.url)
        assert picture.endswith(page.lead_image.get_rendition("fill-1200x630").url), type(page).__name__


def test_a_warm_news_index_reads_nothing_and_a_published_article_shows_at_once(client, news):
    """The index's article ids are kept per content generation and its cards are fragments (news/models.py):
    once warm, a page of the index costs no query; publishing or unpublishing an article shows on the next
    request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.images import ensure_demo_image

    picture = ensure_demo_image("News picture", "")
    for n in range(ARTICLES_PER_PAGE + 3):
        article(news, n, lead_image=picture if n % 2 else None)
    for url in (news.url, news.url + "?page=2"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert own_queries(queries.captured_queries) == [], url
    assert "Story 1<" in html and "Story 0<" in html and "<picture" in html

    fresh = article(news, 99, title="Freshly published")
    assert "Freshly published" in client.get(news.url).content.decode()
    fresh.unpublish()
    assert "Freshly published" not in client.get(news.url).content.decode()
