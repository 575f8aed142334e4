"""Factories for the news pages (wagtail-factories)."""

import factory
import wagtail_factories

from .models import ArticlePage, NewsIndexPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News"
    slug = "news"

    class Meta:
        model = NewsIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "What happened, in a sentence."

    class Meta:
        model = ArticlePage
