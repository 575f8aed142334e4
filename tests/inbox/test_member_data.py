"""A member's data request (inbox/member_data.py): everything about one address exported as JSON, then erased so
that the address is in no table, the rows keep their shape and the timeline shows nothing personal."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.db.models import Q
from wagtail.models import ModelLogEntry

from collaborative.factories import CollaborativeInterestFactory, InterestPageFactory
from events.factories import EventPageFactory, RegistrationFactory, TrainingIndexPageFactory
from events.registration.models import AttendanceImport, Registration
from events.registration.statuses import Status as RegistrationStatus
from helpdesk import inbound, mail_thread
from helpdesk.factories import HelpDeskPageFactory
from helpdesk.models import HelpDeskRequest, InboundEmail, RequestAttachment
from home import roles
from inbox import member_data
from inbox.emails import queue_email
from inbox.transitions import apply_transition
from tests.conftest import staff

from ..helpdesk.test_email_in import email as an_email

pytestmark = pytest.mark.django_db
ADDRESS = "dana.whitfield@example.org"
QUESTION = "Can we fund right to counsel from the eviction diversion budget?"


@pytest.fixture
def dana(home_page, settings):
    """Dana everywhere: a Help Desk request she answered by email with a file, two registrations (one she rated,
    with a comment), a participants report that named her, Collaborative interest, and the emails about them."""
    settings.HELPDESK_EMAIL = "helpdesk@localprogress.org"
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    case = HelpDeskRequest.objects.create(
        page=HelpDeskPageFactory(parent=home_page),
        name="Dana Whitfield",
        email=ADDRESS,
        role="staff",
        category="policy",
        question=QUESTION,
        details="Durham spends $2M on diversion; Dana Whitfield, (919) 555-0142.",
        phone="(919) 555-0142",
        form_data={"name": "Dana Whitfield", "email": ADDRESS, "question": QUESTION},
    )
    apply_transition(case, "reply", actor=root, message="Dear Dana Whitfield, which court?")
    message = an_email(sender=f"Dana Whitfield <{ADDRESS}>", to=mail_thread.reply_address(case), subject="Re: court")
    message.set_content("Durham County District Court.\n\nDana Whitfield")
    message.add_attachment(b"%PDF-1.4 filings", maintype="application", subtype="pdf", filename="dana-filings.pdf")
    inbound.receive(message.as_bytes(), source="imap")
    trainings = TrainingIndexPageFactory(parent=home_page)
    event = EventPageFactory(parent=trainings, title="Housing Justice 101")
    attended = RegistrationFactory(
        event=event, name="Dana Whitfield", email=ADDRESS, organisation="Durham, NC", status=RegistrationStatus.ATTENDED
    )
    Registration.objects.filter(pk=attended.pk).update(rating=5, rating_comment="Dana Whitfield loved it")
    RegistrationFactory(event=EventPageFactory(parent=trainings), name="Dana Whitfield", email=ADDRESS)
    AttendanceImport.objects.create(
        event=event,
        participants=2,
        unmatched=[
            {"name": "Dana W (phone)", "email": ADDRESS.upper(), "minutes": 40},
            {"name": "Someone", "email": "someone@example.org", "minutes": 30},
        ],
    )
    interest = CollaborativeInterestFactory(
        page=InterestPageFactory(parent=home_page), name="Dana Whitfield", email=ADDRESS
    )
    apply_transition(interest, interest.available_transitions()[0].name, actor=root, message="Called Dana Whitfield")
    queue_email(["staff@example.org"], "events/links", {"links": [], "name": f"About {ADDRESS}"}, purpose="notice")
    return {"case": case, "root": root, "event": event}


def holding(text):
    """(model, field) of every text, email or JSON column in the database that holds ``text``."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            textual = isinstance(field, models.CharField | models.TextField | models.JSONField)
            if textual and model._default_manager.filter(Q(**{f"{field.attname}__icontains": text})).exists():
                found.append(f"{model._meta.label}.{field.attname}")
    return found


def test_export_then_erase_leaves_the_address_in_no_table(dana, tmp_path, client):
    out = tmp_path / "dana.json"
    call_command("member_data", ADDRESS.upper(), "--export", str(out), stdout=StringIO())
    data = json.loads(out.read_text())
    assert data["email"] == ADDRESS
    [request] = data["inboxes"]["Help Desk"]
    assert request["question"] == QUESTION
    assert [item["kind"] for item in request["thread"]] == ["reply", "status", "member_update"]
    assert request["thread"][-1]["text"].startswith("Durham County District Court.")
    assert [a["filename"] for a in request["attachments"]] == ["dana-filings.pdf"]
    assert [r["outcome"] for r in request["emails_received"]] == ["joined"]
    assert len(data["inboxes"]["Registrations"]) == 2 and len(data["inboxes"]["Collaborative interest"]) == 1
    assert any(message["purpose"] == "reply" for message in data["emails_sent"])
    assert any(message["purpose"] == "notice" for message in data["emails_sent"])  # it names her

    stored = [a.file for a in RequestAttachment.objects.all()] + [r.raw for r in InboundEmail.objects.all()]
    assert holding(ADDRESS)  # everywhere before
    output = StringIO()
    call_command("member_data", ADDRESS, "--erase", stdout=output)
    assert "Help Desk: 1" in output.getvalue() and "Registrations: 2" in output.getvalue()

    assert holding(ADDRESS) == []
    assert holding("Dana Whitfield") == [] and holding("555-0142") == [] and holding(QUESTION) == []
    assert not any(f.storage.exists(f.name) for f in stored)
    # The shape stays: the rows, their statuses and dates, the thread's steps, the session's counts.
    assert HelpDeskRequest.objects.count() == 1 and Registration.objects.count() == 2
    assert list(dana["case"].thread().values_list("kind", flat=True)) == ["reply", "status", "member_update"]
    assert Registration.objects.filter(status=RegistrationStatus.ATTENDED, rating=5).count() == 1
    assert [p["email"] for p in AttendanceImport.objects.get().unmatched] == ["someone@example.org"]
    client.force_login(dana["root"])
    assert "Nothing from or to this address" in client.get("/admin/members/", {"email": ADDRESS}).content.decode()


def test_superusers_download_and_erase_from_the_timeline_each_logged(dana, client):
    hana = staff("hana", roles.HELP_DESK_STAFF)
    client.force_login(hana)
    page = client.get("/admin/members/", {"email": ADDRESS}).content.decode()
    assert "Download it (JSON)" not in page and "Erase this member" not in page
    assert client.get("/admin/members/export/", {"email": ADDRESS})["Location"] == "/admin/"
    client.post("/admin/members/erase/", {"email": ADDRESS, "confirm": "yes"})
    assert holding(ADDRESS)  # refused: nothing erased

    client.force_login(dana["root"])
    page = client.get("/admin/members/", {"email": ADDRESS}).content.decode()
    assert "Download it (JSON)" in page and "Erase this member" in page
    download = client.get("/admin/members/export/", {"email": ADDRESS})
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["inboxes"]["Help Desk"][0]["question"] == QUESTION

    unconfirmed = client.post("/admin/members/erase/", {"email": ADDRESS})
    assert unconfirmed.status_code == 302 and holding(ADDRESS)
    client.post("/admin/members/erase/", {"email": ADDRESS, "confirm": "yes"})
    assert holding(ADDRESS) == []
    logged = ModelLogEntry.objects.filter(action__startswith="lpsite.members.").order_by("pk")
    assert [entry.action for entry in logged] == ["lpsite.members.exported", "lpsite.members.erased"]
    assert all(entry.data["address"] == member_data.digest(ADDRESS) for entry in logged)
    assert logged[1].data["counts"]["Help Desk"] == 1


def test_the_command_refuses_what_is_not_an_address_and_asks_what_to_do(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not an email address"):
        call_command("member_data", "not-an-address", "--erase")
    with pytest.raises(CommandError, match="Say what to do"):
        call_command("member_data", ADDRESS)
