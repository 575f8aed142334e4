"""Factories for the taxonomies."""

import factory

from .models import IssueArea, ResourceType


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
