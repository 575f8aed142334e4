"""The permission walk: every admin URL of every model that holds member data, for every staff role.

The URLs are read from what each ModelAdmin registers (its URL patterns resolved and filled in), not
listed by hand, so a view a Wagtail or modeladmin upgrade adds is walked too. A role that does not own
an inbox is refused at every door (GET and POST), and no response it gets, nor the page a refusal
leads to, holds the member's name, address or question. Its owners get in. Wagtail's own screens that
read log entries (site history, search) are walked as well.
"""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from collaborative.factories import CollaborativeInterestFactory, InterestPageFactory
from events.factories import EventPageFactory, RegistrationFactory, TrainingIndexPageFactory
from helpdesk.factories import HelpDeskPageFactory, HelpDeskRequestFactory
from home import roles
from inbox.admin import INBOXES
from inbox.email_admin import OutboundEmailAdmin
from inbox.emails import queue_email
from inbox.transitions import apply_transition
from inbox.wagtail_hooks import outbound_email_admin
from tests.conftest import staff

pytestmark = pytest.mark.django_db

# One member per model, so a page an owner may see (their own inbox's) is told from a leak.
PEOPLE = {
    "events.registration": ("Zelda Quintessa", "zelda.quintessa@example.org", ""),
    "helpdesk.helpdeskrequest": (
        "Yannick Oberholzer",
        "yannick.oberholzer@example.org",
        "Can we ban source-of-income discrimination?",
    ),
    "collaborative.collaborativeinterest": ("Xiomara Pellegrini", "xiomara.pellegrini@example.org", ""),
    "inbox.outboundemail": ("Wendell Fairweather", "wendell.fairweather@example.org", ""),
}
ROLES = [roles.EDITORS, roles.COMMUNICATIONS_LEADS, roles.EVENTS_STAFF, roles.HELP_DESK_STAFF]
OWNERS = {
    "events.registration": {roles.EVENTS_STAFF},
    "helpdesk.helpdeskrequest": {roles.HELP_DESK_STAFF},
    "collaborative.collaborativeinterest": {roles.COMMUNICATIONS_LEADS},
    # Superusers see every email; an inbox's staff the emails about its submissions (this one: a Help Desk
    # request's), and may open the list, which shows them no other inbox's.
    "inbox.outboundemail": {roles.HELP_DESK_STAFF},
}
INBOX_OWNERS = set().union(*(owners for label, owners in OWNERS.items() if label != "inbox.outboundemail"))


def markers(label):
    name, email, question = PEOPLE[label]
    return [text for text in (name, email, email.split("@")[0], name.split()[-1], question) if text]


def not_for(role):
    """What ``role`` must never read: the member data of every inbox it does not own."""
    return [marker for label, owners in OWNERS.items() if role not in owners for marker in markers(label)]


@pytest.fixture
def member_data(home_page):
    """One row of each model that holds member data, each about its own member, with a log entry each."""
    trainings = TrainingIndexPageFactory(parent=home_page)
    event = EventPageFactory(parent=trainings, title="Housing Justice")
    name, email, _ = PEOPLE["events.registration"]
    registration = RegistrationFactory(event=event, name=name, email=email)
    name, email, question = PEOPLE["helpdesk.helpdeskrequest"]
    request = HelpDeskRequestFactory(
        page=HelpDeskPageFactory(parent=home_page), name=name, email=email, question=question
    )
    name, email, _ = PEOPLE["collaborative.collaborativeinterest"]
    interest = CollaborativeInterestFactory(page=InterestPageFactory(parent=home_page), name=name, email=email)
    name, email, _ = PEOPLE["inbox.outboundemail"]
    outgoing = queue_email(email, "events/links", {"links": [], "name": name}, purpose="reply", related=request)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    apply_transition(registration, "resend", actor=admin)  # log entries: what history pages list
    apply_transition(interest, interest.available_transitions()[0].name, actor=admin)
    return {
        "events.registration": (registration, {"event_id": event.pk}),
        "helpdesk.helpdeskrequest": (request, {}),
        "collaborative.collaborativeinterest": (interest, {}),
        "inbox.outboundemail": (outgoing, {}),
    }


def admins():
    return [*INBOXES, outbound_email_admin]


def urls_of(model_admin, obj, extra):
    """Every URL the ModelAdmin registers, its arguments filled with ``obj``'s id (and ``extra``)."""
    return [url for url, _of_the_object in doors_of(model_admin, obj, extra)]


def doors_of(model_admin, obj, extra):
    """(URL, whether it is the object's own) for every URL the ModelAdmin registers."""
    doors = []
    for pattern in model_admin.get_admin_urls_for_registration():
        names = list(pattern.pattern.regex.groupindex)
        values = {name: extra.get(name, obj.pk) for name in names}
        url = reverse(pattern.name, kwargs=values)
        doors.append((url, bool(names)))
        if pattern.name == model_admin.url_helper.get_action_url_name("index"):
            # The list's other faces: its search and its exports.
            doors += [(f"{url}?q=a", False), (f"{url}?export=csv", False), (f"{url}?export=xlsx", False)]
    return doors


def leaks(response, role):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode(errors="replace").lower()
    return [marker for marker in not_for(role) if marker.lower() in text]


def test_every_door_walked_is_one_the_admin_really_registers(member_data):
    """The walk covers modeladmin's own views, the kit's and each inbox's extras."""
    walked = {
        model_admin.opts.label_lower: urls_of(model_admin, *member_data[model_admin.opts.label_lower])
        for model_admin in admins()
    }
    assert set(walked) == set(OWNERS)
    registrations = " ".join(walked["events.registration"])
    for door in ("inspect", "create", "edit", "delete", "action", "bulk", "attendance", "message"):
        assert f"/{door}/" in registrations, door
    assert isinstance(admins()[-1], OutboundEmailAdmin)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reads_member_data_through_an_inbox_it_does_not_own(client, member_data, role):
    client.force_login(staff("someone", role))
    for model_admin in admins():
        label = model_admin.opts.label_lower
        obj, extra = member_data[label]
        owner = role in OWNERS[label]
        lists_its_own = label == "inbox.outboundemail" and role in INBOX_OWNERS
        for url, of_the_object in doors_of(model_admin, obj, extra):
            for method in ("get", "post"):
                response = getattr(client, method)(url, follow=True)
                assert response.status_code < 500, (role, method, url)
                if owner:
                    continue
                let_in = response.status_code == 200 and not response.redirect_chain
                assert not let_in or (lists_its_own and not of_the_object), (role, method, url, "was let in")
                assert not leaks(response, role), (role, method, url, leaks(response, role))
    registration, _ = member_data["events.registration"]
    registration.refresh_from_db()
    assert registration.status == "confirmed"  # no door a non-owner knocked at changed anything


@pytest.mark.parametrize("role", ROLES)
def test_owners_get_in(client, member_data, role):
    client.force_login(staff("owner", role))
    for model_admin in admins():
        label = model_admin.opts.label_lower
        if role not in OWNERS[label]:
            continue
        obj, _ = member_data[label]
        inspect = client.get(model_admin.url_helper.get_action_url("inspect", obj.pk))
        assert inspect.status_code == 200 and PEOPLE[label][0] in inspect.content.decode(), (role, label)


@pytest.mark.parametrize("role", ROLES)
def test_wagtails_own_screens_show_no_member_data_to_non_owners(client, member_data, role):
    client.force_login(staff("someone", role))
    for name, _email, _question in PEOPLE.values():
        for url in ("/admin/reports/site-history/", f"/admin/search/?q={name}", "/admin/"):
            response = client.get(url, follow=True)
            assert response.status_code < 500, url
            assert not leaks(response, role), (role, url, leaks(response, role))


def test_an_inbox_s_staff_see_the_emails_about_its_submissions_and_no_other(client, member_data):
    registration, _ = member_data["events.registration"]
    about_registration = queue_email(
        "zelda.quintessa@example.org", "events/links", {"links": [], "name": "Zelda"}, related=registration
    )
    client.force_login(staff("eva", roles.EVENTS_STAFF))
    listing = client.get("/admin/inbox/outboundemail/").content.decode()
    assert "zelda.quintessa@example.org" in listing and "wendell.fairweather" not in listing
    export = client.get("/admin/inbox/outboundemail/?export=csv")
    header, *rows = csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")))
    assert header[:3] == ["Saved", "To", "Subject"] and len(rows) == 2  # its two: the fixture's and this one
    assert {row[1] for row in rows} == {"zelda.quintessa@example.org"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T", row[0]) for row in rows)
    assert client.get(f"/admin/inbox/outboundemail/inspect/{about_registration.pk}/").status_code == 200
    outgoing, _ = member_data["inbox.outboundemail"]
    assert client.get(f"/admin/inbox/outboundemail/inspect/{outgoing.pk}/", follow=True).redirect_chain
