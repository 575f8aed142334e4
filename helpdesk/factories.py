"""Factories for the Help Desk."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from .models import Expert, HelpDeskPage, HelpDeskRequest, SavedReply


class HelpDeskPageFactory(wagtail_factories.PageFactory):
    title = "Help Desk"
    slug = "help-desk"
    subtitle = "Have a policy, strategy or communications question? Ask the Help Desk!"
    thank_you_text = "<p>An Impact Lab staff person will review your request.</p>"

    class Meta:
        model = HelpDeskPage


class HelpDeskRequestFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    role = HelpDeskRequest.Role.ELECTED
    jurisdiction = "Hillsborough, NC"
    category = HelpDeskRequest.Category.POLICY
    question = factory.Sequence(lambda n: f"Question {n} about eviction ordinances?")
    details = "We are drafting a just-cause eviction ordinance and want examples."
    status = HelpDeskRequest.Status.NEW
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=5))
    form_data = factory.LazyAttribute(lambda o: {"name": o.name, "email": o.email, "question": o.question})

    class Meta:
        model = HelpDeskRequest


class ExpertFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Expert {n}")
    organisation = "Partner Org"
    email = factory.Sequence(lambda n: f"expert{n}@example.org")
    kind = Expert.Kind.PARTNER

    class Meta:
        model = Expert


class SavedReplyFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Saved reply {n}")
    body = "Hello {name},\n\nThanks for your question ({reference}). Here is what we found."

    class Meta:
        model = SavedReply
