"""News hooks: the home page's "latest news" section."""

from wagtail import hooks

from home.models import HOME_SECTIONS_HOOK
from home.shell import find_page

from .models import NewsIndexPage, latest_articles


@hooks.register(HOME_SECTIONS_HOOK)
def latest_news_section(request, home_page):
    """The three newest articles, with their pictures, linking to /news/."""
    index_page = find_page(NewsIndexPage, below=home_page)
    articles = latest_articles(3)
    if index_page is None or not articles:
        return None
    return {
        "template": "components/home_section.html",
        "order": 30,
        "heading": "Latest news",
        "more_url": index_page.get_url(request),
        "more_text": "All news",
        "alt": True,
        "items": [
            {
                "title": article.title,
                "url": article.get_url(request),
                "meta": f"{article.date:%B} {article.date.day}, {article.date.year}",
                "text": article.summary_text,
                "image": article.lead_image,
            }
            for article in articles
        ],
    }
