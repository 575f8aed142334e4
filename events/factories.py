"""Factories for the trainings pages (wagtail-factories)."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone as dj_timezone

from taxonomy.factories import set_issue_areas

from .models import EventPage, EventSeriesPage, Registration, TrainingIndexPage


class TrainingIndexPageFactory(wagtail_factories.PageFactory):
    title = "Trainings & Webinars"
    slug = "trainings"
    show_in_menus = True
    intro = "<p>Trainings and webinars on policy and organizing strategies.</p>"

    class Meta:
        model = TrainingIndexPage


class EventSeriesPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Series {n}")
    intro = "<p>Foundational learning sessions on policy tools and strategy.</p>"
    schedule = "Wednesdays at 4pm ET on Zoom"

    class Meta:
        model = EventSeriesPage


class EventPageFactory(wagtail_factories.PageFactory):
    """A one-hour Zoom session a week from now, in New York time, with a (private) meeting link."""

    title = factory.Sequence(lambda n: f"Training {n}")
    start = factory.LazyFunction(lambda: dj_timezone.now().replace(microsecond=0) + datetime.timedelta(days=7))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=1))
    timezone = "America/New_York"
    location_name = "Zoom"
    meeting_url = factory.Sequence(lambda n: f"https://zoom.us/j/9{n:09d}?pwd=secret{n}")
    description = "<p>An overview of the policy levers available to local governments.</p>"

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    issue_areas = factory.post_generation(set_issue_areas)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration for a new event (pass ``event=`` and ``status=`` to choose)."""

    event = factory.SubFactory(EventPageFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    role = Registration.Role.ELECTED
    organisation = "Hillsborough, NC"
    status = Registration.Status.CONFIRMED
    form_data = factory.LazyAttribute(
        lambda r: {"name": r.name, "email": r.email, "role": r.role, "organisation": r.organisation}
    )

    class Meta:
        model = Registration
