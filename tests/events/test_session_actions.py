"""What events staff do with a whole session: write to its registrants, take attendance (from Zoom's
participants report, by hand, walk-ins), and the follow-ups and ratings after it."""

import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from events.factories import EventPageFactory, RegistrationFactory
from events.models import EventPage
from events.registration import rules
from events.registration.attendance import AttendanceFileError, normalise_email, read_participants
from events.registration.models import AttendanceImport, Registration, SessionMessage
from home import roles
from inbox.transitions import TransitionError, apply_transition
from tests.html import soup

from .conftest import staff
from .mailparts import emails_to, text_of

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def session(primers):
    return EventPageFactory(parent=primers, title="Housing Justice", capacity=3)


def reg(event, email, status=Status.CONFIRMED, name=None):
    name = name or email.split("@")[0].replace(".", " ").title()
    return RegistrationFactory(event=event, name=name, email=email, status=status)


def has_started(event, minutes=5):
    EventPage.objects.filter(pk=event.pk).update(
        start=timezone.now() - datetime.timedelta(minutes=minutes),
        end=timezone.now() + datetime.timedelta(minutes=60 - minutes),
    )
    return EventPage.objects.get(pk=event.pk)


# Messages to registrants ------------------------------------------------------------------------------


def message_url(event):
    return reverse("events_registration_message", args=[event.pk])


def test_staff_write_to_a_sessions_registrants_and_the_link_goes_only_to_the_confirmed(
    client, events_staff, session, run
):
    reg(session, "jenn@example.org", name="Jenn Weaver")
    reg(session, "marcus@example.org")
    reg(session, "ana@example.org", Status.WAITLISTED)
    reg(session, "gone@example.org", Status.CANCELLED)
    form = soup(client.get(message_url(session)))
    labels = [label.get_text(" ", strip=True) for label in form.select("label")]
    assert any("Confirmed (2)" in text for text in labels)
    assert any("Everyone registered (confirmed, waitlisted, pending) (3)" in text for text in labels)
    token = form.select_one("input[name=token]")["value"]
    data = {
        "audience": "active",
        "subject": "New Zoom link for Thursday",
        "body": "The Zoom link has changed.\n<script>alert('x')</script> See you there!",
        "include_link": "on",
        "token": token,
    }
    response = run(client.post, message_url(session), data, follow=True)
    assert "sent to 3 people" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "jenn@example.org", "marcus@example.org"]
    jenn = emails_to("jenn@example.org")[0]
    assert jenn.subject == "New Zoom link for Thursday"
    body = text_of(jenn)
    assert body.startswith("Hello Jenn Weaver,") and "The Zoom link has changed." in body
    assert session.meeting_url in body
    html = jenn.alternatives[0][0]
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert session.meeting_url not in text_of(emails_to("ana@example.org")[0])  # waitlisted: never the link
    assert not emails_to("gone@example.org")
    # Logged on each registration, and kept once.
    jenn_registration = Registration.objects.get(email="jenn@example.org")
    entry = ModelLogEntry.objects.for_instance(jenn_registration).get(action="lpsite.registration.messaged")
    assert entry.user == events_staff and entry.data["subject"] == "New Zoom link for Thursday"
    message = SessionMessage.objects.get()
    assert (message.recipients, message.audience, message.sent_by) == (3, "active", events_staff)
    # The same form again (a double click, a refresh after a slow answer): nothing more is sent.
    mail.outbox.clear()
    response = run(client.post, message_url(session), data, follow=True)
    assert mail.outbox == [] and "already sent" in response.content.decode()
    assert SessionMessage.objects.count() == 1


def test_a_message_to_an_empty_group_or_without_words_is_refused_beside_the_field(client, events_staff, session):
    reg(session, "jenn@example.org")
    token = soup(client.get(message_url(session))).select_one("input[name=token]")["value"]
    response = client.post(message_url(session), {"audience": "no_show", "subject": "x", "body": "y", "token": token})
    assert response.status_code == 400
    assert "Nobody registered for this session is in that group" in soup(response).get_text()
    response = client.post(message_url(session), {"audience": "confirmed", "subject": "", "body": "", "token": token})
    assert response.status_code == 400 and "This field is required." in soup(response).get_text()
    response = client.post(
        message_url(session), {"audience": "confirmed", "subject": "x" * 151, "body": "y" * 5001, "token": token}
    )
    assert response.status_code == 400 and mail.outbox == [] and not SessionMessage.objects.exists()


def test_without_the_link_box_nobody_gets_the_link(client, events_staff, session, run):
    reg(session, "jenn@example.org")
    token = soup(client.get(message_url(session))).select_one("input[name=token]")["value"]
    data = {"audience": "confirmed", "subject": "Reading", "body": "Please read this first.", "token": token}
    run(client.post, message_url(session), data)
    assert session.meeting_url not in text_of(mail.outbox[0])


def test_only_events_staff_may_write_to_registrants(client, session):
    client.force_login(staff("helen", roles.HELP_DESK_STAFF))
    assert client.get(message_url(session)).status_code in (302, 403)
    response = client.post(message_url(session), {"audience": "active", "subject": "x", "body": "y", "token": "t"})
    assert response.status_code in (302, 403) and mail.outbox == []


# Attendance ---------------------------------------------------------------------------------------------

ZOOM_MEETING_REPORT = """\ufeffMeeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
"812 3456 7890","Housing Justice",06/30/2026 03:55:21 PM,06/30/2026 05:03:10 PM,host@lp.example,68,5

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent,In Waiting Room
Jenn Weaver,Jenn.Weaver+zoom@Example.org,06/30/2026 03:58:12 PM,06/30/2026 04:30:40 PM,33,No,,No
Jenn Weaver (iPad),jenn.weaver@example.org,06/30/2026 04:31:12 PM,06/30/2026 05:01:40 PM,31,No,,No
Marcus's phone,marcus.personal@example.net,06/30/2026 04:01:12 PM,06/30/2026 05:01:40 PM,60,No,,No
Dee Walker,dee@example.org,06/30/2026 04:01:12 PM,06/30/2026 05:01:40 PM,58,No,,No
Call-in user,,06/30/2026 04:05:00 PM,06/30/2026 04:50:00 PM,45,Yes,,No
"""

ZOOM_WEBINAR_REPORT = """Attendee Report
Report Generated:,"07/01/2026 10:00 AM"
Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,Unique Viewers
Housing Justice,812 3456 7890,06/30/2026 03:58 PM,65,12,3
Host Details
Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Country/Region Name
Yes,LP Host,host@lp.example,06/30/2026 03:55 PM,06/30/2026 05:03 PM,68,United States
Attendee Details
Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name
Yes,Ana Ortiz,Ana,Ortiz,ANA.ORTIZ@example.org,06/01/2026,approved,06/30/2026 04:00 PM,06/30/2026 05:00 PM,60,No,United States
No,Sam Rivers,Sam,Rivers,sam.rivers@example.org,06/01/2026,approved,--,--,--,No,
"""  # noqa: E501 - Zoom's lines as they come


def upload(text, name="participants.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text, "text/csv")


def attendance_url(event):
    return reverse("events_registration_attendance", args=[event.pk])


def test_addresses_match_whatever_their_case_and_tags():
    assert normalise_email(" Jenn.Weaver+zoom@Example.ORG ") == "jenn.weaver@example.org"
    assert normalise_email("plain@example.org") == "plain@example.org"


def test_zoom_reports_of_meetings_and_webinars_are_read_as_who_joined():
    meeting = read_participants(io.BytesIO(ZOOM_MEETING_REPORT.encode()))
    assert [(p.name, p.minutes) for p in meeting] == [
        ("Jenn Weaver", 64),  # two joins, one person
        ("Marcus's phone", 60),
        ("Dee Walker", 58),
        ("Call-in user", 45),
    ]
    assert "host@lp.example" not in [p.email for p in meeting]  # the summary's host is not a participant
    webinar = read_participants(io.BytesIO(ZOOM_WEBINAR_REPORT.encode()))
    assert [(p.name, p.email) for p in webinar] == [("Ana Ortiz", "ANA.ORTIZ@example.org")]  # not the host, not Sam


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "This file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "isn't a CSV file we can read"),
        (b"Name,Joined\nJenn,yes\n", "couldn't find a column of email addresses"),
        (b"x" * (5 * 1024 * 1024 + 10), "larger than 5 MB"),
        (("Email\n" + "a@example.org\n" * 20_001).encode(), "more than 20,000 rows"),
    ],
    ids=["empty", "binary", "no-email-column", "huge", "too-many-rows"],
)
def test_a_file_that_is_not_a_participants_report_is_refused_with_what_to_do(content, message):
    with pytest.raises(AttendanceFileError, match=message):
        read_participants(io.BytesIO(content))


def test_attendance_only_once_the_session_has_started(client, events_staff, session, run):
    confirmed = reg(session, "jenn@example.org")
    page = soup(client.get(attendance_url(session)))
    assert "Attendance can be taken once the session has started." in page.get_text()
    assert not page.select("input[type=file]") and not page.select("input[value=attended]")
    response = client.post(attendance_url(session), {"action": "sheet", f"attendance-{confirmed.pk}": "attended"})
    assert response.status_code == 409
    with pytest.raises(TransitionError, match="once the session has started"):
        apply_transition(confirmed, "attended", actor=events_staff)
    inspect = client.get(f"/admin/events/registration/inspect/{confirmed.pk}/").content.decode()
    assert "Mark attended" not in inspect
    bulk = client.post(
        reverse("events_registration_modeladmin_bulk"),
        {"action": "attended", "selected": [confirmed.pk], "next": "/admin/events/registration/"},
        follow=True,
    )
    assert "Attendance can be taken once the session has started." in bulk.content.decode()
    assert Registration.objects.get(pk=confirmed.pk).status == Status.CONFIRMED


def test_zoom_report_marks_who_joined_and_lists_who_it_could_not_match(client, events_staff, session, run):
    session = has_started(session)
    jenn = reg(session, "jenn.weaver@example.org", name="Jenn Weaver")
    marcus = reg(session, "marcus.lee@example.org", name="Marcus Lee")
    ana = reg(session, "ana.ortiz@example.org", name="Ana Ortiz")
    reg(session, "dee@example.org", Status.WAITLISTED, name="Dee Walker")
    response = client.post(
        attendance_url(session),
        {"action": "import", "report": upload(ZOOM_MEETING_REPORT), "others_no_show": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Read 4 participants: 1 matched a registration and is marked attended; 3 to match by hand below." in (
        response.content.decode()
    )
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["jenn.weaver@example.org"] == Status.ATTENDED
    assert statuses["marcus.lee@example.org"] == statuses["ana.ortiz@example.org"] == Status.NO_SHOW
    page = soup(response)
    unmatched = page.select_one("#unmatched-heading").find_parent("section").get_text(" ", strip=True)
    assert "Marcus's phone" in unmatched and "marcus.personal@example.net" in unmatched
    assert "Dee Walker" in unmatched and "Their registration is waitlisted." in unmatched
    assert "Call-in user" in unmatched and "no email in the report" in unmatched
    report = AttendanceImport.objects.get()
    # Marcus joined from his own address: staff say who he is.
    index = next(n for n, entry in enumerate(report.unmatched) if entry["email"] == "marcus.personal@example.net")
    client.post(
        attendance_url(session), {"action": "match", "import": report.pk, "entry": index, "registration": marcus.pk}
    )
    assert Registration.objects.get(pk=marcus.pk).status == Status.ATTENDED
    report.refresh_from_db()
    assert [entry["name"] for entry in report.unmatched] == ["Dee Walker", "Call-in user"]
    # Dee was on the waitlist and came anyway: added as a walk-in, her registration is now attended.
    client.post(
        attendance_url(session),
        {"action": "walk_in", "import": report.pk, "entry": 0, "name": "Dee Walker", "email": "dee@example.org"},
    )
    assert Registration.objects.get(email="dee@example.org").status == Status.ATTENDED
    report.refresh_from_db()
    assert [entry["name"] for entry in report.unmatched] == ["Call-in user"]
    assert ana.pk and jenn.pk
    assert mail.outbox == []  # attendance tells nobody anything


def test_a_walk_in_without_a_registration_is_added_as_attended(client, events_staff, session):
    session = has_started(session)
    response = client.post(
        attendance_url(session),
        {"action": "walk_in", "name": "Robin Chen", "email": "Robin@Example.org", "organisation": "Raleigh, NC"},
        follow=True,
    )
    assert "Robin Chen added as a walk-in: attended." in response.content.decode()
    walk_in = Registration.objects.get(email="robin@example.org")
    assert walk_in.status == Status.ATTENDED and walk_in.form_data["walk_in"] is True
    assert "(walk-in)" in soup(response).get_text()
    bad = client.post(attendance_url(session), {"action": "walk_in", "name": "", "email": "not an address"})
    assert bad.status_code == 400
    text = soup(bad).get_text()
    assert "This field is required." in text and "email address" in text.lower()


@pytest.mark.parametrize(
    "content, status",
    [(b"\x89PNG\r\n\x1a\n\x00\x00", 400), (b"Name,Joined\nJenn,yes\n", 400), (b"x" * (5 * 1024 * 1024 + 10), 413)],
    ids=["binary", "no-email-column", "huge"],
)
def test_a_bad_upload_gets_a_message_beside_the_field_and_changes_nothing(
    client, events_staff, session, content, status
):
    session = has_started(session)
    reg(session, "jenn@example.org")
    response = client.post(attendance_url(session), {"action": "import", "report": upload(content)})
    assert response.status_code == status
    page = soup(response)
    assert page.select_one("#id_report") is not None
    assert re.search(r"CSV|email addresses|larger than", page.get_text())
    assert not AttendanceImport.objects.exists()
    assert Registration.objects.get().status == Status.CONFIRMED


# Follow-ups and ratings ------------------------------------------------------------------------------------


@pytest.fixture
def ended(primers):
    primers.followup_attended_text = "Thanks for coming! Share the slides with your staff."
    primers.save_revision().publish()
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    event = EventPageFactory(
        parent=primers,
        title="Housing Justice",
        start=start,
        end=start + datetime.timedelta(hours=1),
        recording_url="https://www.youtube.com/watch?v=housing1",
        slides_url="https://example.org/slides/housing.pdf",
    )
    following = EventPageFactory(parent=primers, title="Police Accountability")
    came = reg(event, "jenn@example.org", Status.ATTENDED, name="Jenn Weaver")
    missed = reg(event, "marcus@example.org", Status.NO_SHOW, name="Marcus Lee")
    reg(event, "never@example.org", Status.CONFIRMED)  # attendance not taken for them: no follow-up
    return event, came, missed, following


def test_followups_thank_attendees_and_catch_up_no_shows_once(ended, run):
    event, came, missed, following = ended
    with time_machine.travel(event.end + datetime.timedelta(minutes=50), tick=False):
        run(call_command, "send_event_followups")
    assert mail.outbox == []  # an hour after the end, not before
    with time_machine.travel(event.end + datetime.timedelta(minutes=61), tick=False):
        run(call_command, "send_event_followups")
        run(call_command, "send_event_followups")  # cron runs it hourly; twice sends nothing twice
    assert sorted(m.to[0] for m in mail.outbox) == ["jenn@example.org", "marcus@example.org"]
    thanks = emails_to("jenn@example.org")[0]
    assert thanks.subject == "Thanks for joining Housing Justice"
    body = text_of(thanks)
    assert "Thanks for coming! Share the slides with your staff." in body  # the series' own words
    assert "https://www.youtube.com/watch?v=housing1" in body and "https://example.org/slides/housing.pdf" in body
    links = re.findall(r"https?://\S+/registrations/rate/\S+/[1-5]/", body)
    assert len(links) == 5
    sorry = emails_to("marcus@example.org")[0]
    assert sorry.subject == "Sorry we missed you: Housing Justice"
    body = text_of(sorry)
    assert "https://www.youtube.com/watch?v=housing1" in body and "/registrations/rate/" not in body
    assert following.title in body and following.full_url in body
    assert not thanks.attachments and not sorry.attachments


def test_followups_leave_sessions_long_past_alone(ended, run):
    event, *_ = ended
    with time_machine.travel(event.end + datetime.timedelta(days=31), tick=False):
        run(call_command, "send_event_followups")
    assert mail.outbox == []


def test_one_click_rates_the_session_and_the_average_shows_in_the_inbox(client, ended, run, events_staff):
    event, came, missed, _ = ended
    with time_machine.travel(event.end + datetime.timedelta(hours=2), tick=False):
        run(call_command, "send_event_followups")
    four = re.search(r"https?://[^/\s]+(/registrations/rate/\S+/4/)", text_of(emails_to("jenn@example.org")[0]))[1]
    client.logout()
    response = client.get(four, follow=True)
    assert response.status_code == 200
    assert "you rated this session 4 out of 5" in response.content.decode()
    came.refresh_from_db()
    assert came.rating == 4
    form_url = response.redirect_chain[-1][0].split("?")[0]
    response = client.post(form_url, {"rating": "5", "comment": "The budget examples were <b>great</b>."}, follow=True)
    assert "your feedback is saved" in response.content.decode()
    came.refresh_from_db()
    assert (came.rating, came.rating_comment) == (5, "The budget examples were <b>great</b>.")
    other = reg(event, "ana@example.org", Status.ATTENDED)
    rules.rate(other, 3)
    client.force_login(events_staff)
    index = soup(client.get(f"/admin/events/registration/?event__page_ptr__exact={event.pk}")).get_text(" ", strip=True)
    assert "Rated 4.0 / 5 by 2 attendees" in index
    inspect = client.get(f"/admin/events/registration/inspect/{came.pk}/").content.decode()
    assert "5 / 5" in inspect and "The budget examples were &lt;b&gt;great&lt;/b&gt;." in inspect


def test_a_forged_or_wrong_rating_link_changes_nothing(client, ended, run):
    event, came, missed, _ = ended
    assert client.get("/registrations/rate/forged:signature/5/").status_code == 404
    signed = re.search(r"/registrations/rate/([^/]+)/", rules.rating_url(came, 1))[1]
    assert client.get(f"/registrations/rate/{signed}/9/").status_code == 404
    assert client.post(f"/registrations/rate/{signed}/", {"rating": "7"}).status_code == 400
    assert client.post(f"/registrations/rate/{signed}/", {"rating": "4", "comment": "x" * 2001}).status_code == 400
    no_show = re.search(r"/registrations/rate/([^/]+)/", rules.rating_url(missed, 1))[1]
    assert client.get(f"/registrations/rate/{no_show}/5/").status_code == 404  # only attendees rate
    came.refresh_from_db()
    missed.refresh_from_db()
    assert came.rating is None and missed.rating is None
