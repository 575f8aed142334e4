"""Factories for the resource library."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from .models import IssueArea, ResourceLibraryPage, ResourcePage, ResourceType


def set_issue_areas(page, create, extracted, **kwargs):
    """Post-generation for page factories with ``issue_areas`` (a ParentalManyToManyField)."""
    if extracted:
        page.issue_areas.set(extracted)
        if create:
            page.save()  # ParentalManyToMany values are written on save


class IssueAreaFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Issue {n}")
    slug = factory.Sequence(lambda n: f"issue-{n}")

    class Meta:
        model = IssueArea
        django_get_or_create = ("slug",)


class ResourceTypeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.Sequence(lambda n: f"type-{n}")

    class Meta:
        model = ResourceType
        django_get_or_create = ("slug",)


class ResourceLibraryPageFactory(wagtail_factories.PageFactory):
    title = "Resource library"
    slug = "resources"

    class Meta:
        model = ResourceLibraryPage


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "A useful resource for local elected officials."
    resource_type = factory.SubFactory(ResourceTypeFactory)
    published_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    class Meta:
        model = ResourcePage
        skip_postgeneration_save = True

    issue_areas = factory.post_generation(set_issue_areas)
