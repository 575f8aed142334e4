"""Text from the public is cleaned by inbox/validators.py everywhere: the member's follow-up box,
the Help Desk's own fields, and the questions editors add with Wagtail's form builder."""

import time

import pytest
from django.apps import apps

from events.factories import EventPageFactory, TrainingIndexPageFactory
from events.registration.models import EventFormField, Registration
from helpdesk import cases
from helpdesk.factories import HelpDeskRequestFactory
from helpdesk.models import HelpDeskFormField, HelpDeskRequest, RequestActivity
from inbox.spam import make_token
from inbox.validators import PublicFormBuilder

from .conftest import intake

pytestmark = pytest.mark.django_db

RLO, ZWSP, LRI, PDI = "\u202e", "\u200b", "\u2066", "\u2069"


def test_the_members_added_details_are_stored_cleaned(client, help_desk):
    request_obj = HelpDeskRequestFactory(page=help_desk)
    url = cases.member_path(request_obj)
    response = client.post(url, {"text": f"The vote moved to{ZWSP} April.\n{RLO}Please call{PDI} the clerk."})
    assert response.status_code == 302
    added = RequestActivity.objects.get(request=request_obj, kind=RequestActivity.Kind.MEMBER_UPDATE)
    assert added.text == "The vote moved to April.\nPlease call the clerk."


def test_details_of_only_invisible_characters_are_not_added(client, help_desk):
    request_obj = HelpDeskRequestFactory(page=help_desk)
    response = client.post(cases.member_path(request_obj), {"text": f"{ZWSP}{RLO}\n{LRI}{PDI}"})
    assert response.status_code == 400
    assert "Write something to add before sending." in response.text
    assert not RequestActivity.objects.filter(request=request_obj, kind=RequestActivity.Kind.MEMBER_UPDATE).exists()


def test_a_question_of_only_invisible_characters_is_refused(client, help_desk):
    response = client.post("/help-desk/", intake(question=f"{ZWSP}{RLO}{ZWSP}"))
    assert response.status_code == 400
    assert "question" in response.context["form"].errors
    assert not HelpDeskRequest.objects.exists()


def test_the_help_desk_stores_its_fields_cleaned(client, help_desk):
    data = intake(office=f"Office of {RLO}Mayor", jurisdiction=f"{LRI}Hillsborough{PDI}", details=f"a{ZWSP}b\n\nc")
    assert client.post("/help-desk/", data).status_code == 302
    request_obj = HelpDeskRequest.objects.get()
    assert (request_obj.office, request_obj.jurisdiction, request_obj.details) == (
        "Office of Mayor",
        "Hillsborough",
        "ab\n\nc",
    )


def test_an_email_question_on_the_help_desk_takes_only_addresses_members_can_receive_mail_at(client, help_desk):
    HelpDeskFormField.objects.create(page=help_desk, label="Chief of staff's email", field_type="email", required=True)
    for address in ["a@localhost", "a@[127.0.0.1]", "x" * 65 + "@example.org"]:
        response = client.post("/help-desk/", intake(chief_of_staffs_email=address))
        assert response.status_code == 400, address
        assert "chief_of_staffs_email" in response.context["form"].errors
    assert not HelpDeskRequest.objects.exists()
    assert client.post("/help-desk/", intake(chief_of_staffs_email="cos@example.org")).status_code == 302
    assert HelpDeskRequest.objects.get().form_data["chief_of_staffs_email"] == "cos@example.org"


def test_an_email_question_on_an_event_takes_only_addresses_members_can_receive_mail_at(client, home_page):
    event = EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page))
    EventFormField.objects.create(page=event, label="Staff email", field_type="email", required=True)
    EventFormField.objects.create(page=event, label="Committee", field_type="singleline", required=False)
    data = {
        "name": "Jenn Weaver",
        "email": "jenn@example.org",
        "role": "elected",
        "website": "",
        "form_token": make_token(time.time() - 30),
        "staff_email": "staff@localhost",
        "committee": f"Hou{ZWSP}sing{RLO}",
    }
    response = client.post(event.url + "register/", data)
    assert response.status_code == 400
    assert "staff_email" in response.context["registration_form"].errors
    assert not Registration.objects.exists()
    assert client.post(event.url + "register/", {**data, "staff_email": "staff@example.org"}).status_code == 303
    assert Registration.objects.get().form_data["committee"] == "Housing"


def test_every_page_with_a_form_builder_uses_the_projects():
    builders = {
        model.__name__: model.form_builder
        for model in apps.get_models()
        if model.__module__.split(".")[0] in {"home", "events", "helpdesk", "collaborative", "library"}
        and hasattr(model, "form_builder")
    }
    assert {"HelpDeskPage", "EventPage", "EventSeriesPage"} <= set(builders)
    for name, builder in builders.items():
        assert issubclass(builder, PublicFormBuilder), name
