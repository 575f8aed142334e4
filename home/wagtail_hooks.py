"""Admin wiring for the site shell: editor scripts, the home page's news section."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from . import review, scheduled  # noqa: F401 - the Scheduled report and the review feedback register their own hooks
from .news import NewsIndexPage, latest_articles
from .shell import find_page


@hooks.register("insert_editor_js")
def draftail_labels_js():
    """Names each rich text editor after its field's label (Wagtail leaves them unnamed: wagtail/wagtail#14205)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-draftail-labels.js"))


@hooks.register("lpsite_home_page_sections")
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
