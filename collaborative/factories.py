"""Factories for the Leadership Collaborative's pages and submissions."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from taxonomy.factories import set_issue_areas

from .interest import CollaborativeInterest, InterestPage
from .models import CollaborativePage, ConveningPage, PillarPage


class CollaborativePageFactory(wagtail_factories.PageFactory):
    title = "Leadership Collaborative"
    slug = "leadership-collaborative"
    intro = "Four convenings over three years for members in leadership positions."

    class Meta:
        model = CollaborativePage


class PillarPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pillar {n}")
    summary = "What this pillar is about."
    description = "<p>Why it matters.</p>"

    class Meta:
        model = PillarPage
        skip_postgeneration_save = True

    issue_areas = factory.post_generation(set_issue_areas)


class ConveningPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Convening {n}")
    city = "Washington, DC"
    timezone = "America/New_York"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(days=1, hours=8))

    class Meta:
        model = ConveningPage


class InterestPageFactory(wagtail_factories.PageFactory):
    title = "Interested in getting involved? Get in touch"
    slug = "get-involved"

    class Meta:
        model = InterestPage


class CollaborativeInterestFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    form_data = factory.LazyAttribute(
        lambda o: {
            "name": o.name,
            "email": o.email,
            "role": "elected",
            "jurisdiction": "Hillsborough, NC",
            "leadership_position": "state_committee",
            "message": "I'd like to take part.",
        }
    )

    class Meta:
        model = CollaborativeInterest
