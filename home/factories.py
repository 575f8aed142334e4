"""Factories for the site shell's pages (wagtail-factories)."""

import factory
import wagtail_factories

from .models import HomePage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    hero_heading = "Advancing racial and economic justice at the local level"
    hero_text = "Trainings, resources and a Help Desk for local elected officials."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    intro = "A short introduction."

    class Meta:
        model = StandardPage
