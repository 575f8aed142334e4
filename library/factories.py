"""Factories for the resource library."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from taxonomy.factories import ResourceTypeFactory, set_issue_areas

from .models import ResourceLibraryPage, ResourcePage


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
