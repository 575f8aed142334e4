"""Admin wiring for the site shell: editor scripts, the home page's news section, the demo hooks."""

from wagtail import hooks

from .shell import find_page


@hooks.register("insert_editor_js")
def draftail_labels_js():
    """Names each rich text editor after its field's label (Wagtail leaves them unnamed: wagtail/wagtail#14205)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("js/admin-draftail-labels.js"))


@hooks.register("lpsite_home_page_sections")
def latest_news_section(request, home_page):
    """The three newest articles, with their pictures, linking to /news/."""
    from .news import NewsIndexPage, latest_articles

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


@hooks.register("lpsite_seed_demo")
def seed_navigation(home, log):
    from .demo import seed_navigation_demo

    seed_navigation_demo(home, log)


seed_navigation.seed_order = 90


@hooks.register("lpsite_seed_demo")
def seed_home_picks(home, log):
    from .demo import seed_home_picks_demo

    seed_home_picks_demo(home, log)


seed_home_picks.seed_order = 95


# The Scheduled report and the review feedback register their own hooks.
from . import review, scheduled  # noqa: E402, F401
