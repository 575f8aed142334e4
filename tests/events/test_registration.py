"""Registering for sessions: the rules, the emails, self-service and bad input."""

import datetime
import re
import time
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Site

from events.factories import EventPageFactory
from events.models import EventFormField, SeriesFormField
from events.registration import rules
from events.registration.emails import manage_signature
from events.registration.models import Registration
from inbox.models import OutboundEmail
from inbox.spam import TOO_FAST_NOTE, make_token
from inbox.transitions import apply_transition
from tests.html import soup

from .mailparts import emails_to

pytestmark = pytest.mark.django_db
Status = Registration.Status


def form_data(email="jenn@example.org", name="Jenn Weaver", **extra):
    return {
        "name": name,
        "email": email,
        "role": "elected",
        "organisation": "Hillsborough, NC",
        "website": "",
        "form_token": make_token(time.time() - 30),
        **extra,
    }


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORM_RATE_LIMIT = None


@pytest.fixture
def client(client, run):
    """The test client, delivering each request's emails when the request is done."""
    original_post = client.post
    client.post = lambda *args, **kwargs: run(original_post, *args, **kwargs)
    return client


def post(client, url, **kwargs):
    """Send the form as a browser does: the POST, then the page it redirects to."""
    return client.post(url + "register/", form_data(**kwargs), follow=True)


def label(html, text):
    return [lab for lab in html.find_all(["label", "legend"]) if text in lab.get_text()]


@pytest.fixture
def event(primers):
    return EventPageFactory(parent=primers, title="Housing Justice", slug="housing-justice", capacity=2)


def test_a_registration_works_as_a_wagtail_form_submission(client, event):
    EventFormField.objects.create(page=event, label="Accessibility needs", field_type="singleline", required=False)
    post(client, event.url, accessibility_needs="Captions")
    submission = event.get_submission_class().objects.get(page=event)
    data = submission.get_data()  # what Wagtail's submission listings and exports read
    assert data["accessibility_needs"] == "Captions" and data["email"] == "jenn@example.org"
    assert data["submit_time"] == submission.submit_time
    labels = dict(event.get_data_fields())
    assert labels["accessibility_needs"] == "Accessibility needs" and "submit_time" in labels


def test_a_member_registers_and_gets_the_link_by_email_with_the_calendar_file(client, event):
    response = post(client, event.url)
    assert response.redirect_chain == [(event.url + "register/thanks/", 303)]
    assert response.status_code == 200
    page = soup(response)
    assert "You're confirmed" in page.get_text()
    assert event.meeting_url not in response.content.decode()  # never on a page
    registration = Registration.objects.get()
    assert (registration.status, registration.event_id, registration.page_id) == (Status.CONFIRMED, event.pk, event.pk)
    assert registration.form_data["organisation"] == "Hillsborough, NC"
    assert "form_token" not in registration.form_data
    [message] = emails_to("jenn@example.org")
    assert message.subject == "You're registered: Housing Justice"
    assert event.meeting_url in message.body
    assert event.meeting_url in message.alternatives[0][0].replace("&amp;", "&")
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar; method=REQUEST" and name == "housing-justice.ics"
    calendar = Calendar.from_ical(content)
    [vevent] = calendar.walk("VEVENT")
    assert vevent.get("SUMMARY") == "Housing Justice"
    # Their own entry: the calendar opens the meeting from it (the public file never holds the link).
    assert str(vevent["LOCATION"]) == event.meeting_url and event.meeting_url in str(vevent["DESCRIPTION"])
    assert re.search(r"/registrations/manage/[^/\s]+/", message.body)


def test_the_event_page_shows_the_form_with_real_labels(client, event):
    html = soup(client.get(event.url))
    form = html.select_one("form.registration-form")
    assert form["action"] == event.url + "register/"
    for text in ("Your name", "Email", "Jurisdiction or organisation", "I am"):
        assert label(form, text), text
    assert form.select_one(".hp-field input[name=website]")


def test_capacity_full_means_waitlist(client, event):
    for n in range(3):
        post(client, event.url, email=f"m{n}@example.org")
    assert list(Registration.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]
    waitlisted = emails_to("m2@example.org")[0]
    assert "waitlist" in waitlisted.subject.lower()
    assert event.meeting_url not in waitlisted.body
    assert not waitlisted.attachments


def test_requires_approval_means_pending_without_the_link(client, primers):
    event = EventPageFactory(parent=primers, requires_approval=True)
    response = post(client, event.url)
    assert "awaiting approval" in soup(response).get_text().lower()
    assert Registration.objects.get().status == Status.PENDING
    message = emails_to("jenn@example.org")[0]
    assert "Registration received" in message.subject and event.meeting_url not in message.body


def test_registering_twice_sends_a_fresh_email_not_a_second_row(client, event):
    post(client, event.url)
    response = post(client, event.url, email="JENN@example.org ")
    assert Registration.objects.count() == 1
    assert "already registered" in soup(response).get_text()
    assert len(emails_to("jenn@example.org")) == 2


def test_cancelling_promotes_the_first_on_the_waitlist_and_tells_them(client, event, run):
    for n in range(4):
        post(client, event.url, email=f"m{n}@example.org")
    first = Registration.objects.get(email="m0@example.org")
    mail.outbox.clear()
    run(rules.cancel_by_member, first)
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "m0@example.org": Status.CANCELLED,
        "m1@example.org": Status.CONFIRMED,
        "m2@example.org": Status.CONFIRMED,  # waited longest
        "m3@example.org": Status.WAITLISTED,
    }
    promoted = emails_to("m2@example.org")[0]
    assert promoted.subject == "A seat opened up: Housing Justice"
    assert event.meeting_url in promoted.body
    assert "Cancelled" in emails_to("m0@example.org")[0].subject


def test_registration_closes_at_the_deadline_and_at_the_start(client, primers):
    now = timezone.now()
    closed = EventPageFactory(parent=primers, registration_closes=now - datetime.timedelta(minutes=1))
    response = post(client, closed.url)
    assert response.status_code == 409
    assert "Registration for this session has closed" in soup(response).select_one(".error-summary").get_text()
    started = EventPageFactory(
        parent=primers, start=now - datetime.timedelta(minutes=5), end=now + datetime.timedelta(minutes=55)
    )
    assert post(client, started.url).status_code == 409
    past = EventPageFactory(
        parent=primers, start=now - datetime.timedelta(days=2), end=now - datetime.timedelta(days=2, hours=-1)
    )
    response = post(client, past.url)
    assert response.status_code == 409
    assert "already taken place" in response.content.decode()
    assert not Registration.objects.exists()
    # and the page says so instead of offering the form
    assert not soup(client.get(closed.url)).select_one("form.registration-form")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"name": "x" * 10_000}, "name", "at most 200 characters"),
        ({"organisation": "y" * 10_000}, "organisation", "at most 200 characters"),
        ({"role": "emperor"}, "role", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_next_to_the_field_and_a_400(client, event, changes, field, message):
    response = client.post(event.url + "register/", {**form_data(), **changes})
    assert response.status_code == 400
    field_block = soup(response).find(attrs={"name": field}).find_parent(class_="form-field")
    assert message in field_block.select_one(".errorlist").get_text()
    assert not Registration.objects.exists()


def test_member_input_is_escaped_on_pages_and_in_emails(client, event):
    post(client, event.url, name="<script>alert(1)</script>\nBcc: x@example.org")
    registration = Registration.objects.get()
    assert registration.name == "<script>alert(1)</script> Bcc: x@example.org"
    message = emails_to("jenn@example.org")[0]
    assert "<script>" not in message.alternatives[0][0]
    assert "\n" not in message.subject and message.bcc == []


def test_suspected_spam_is_kept_with_its_reason_and_gets_no_email(client, event, run):
    response = client.post(event.url + "register/", form_data(website="http://spam.example"), follow=True)
    assert response.status_code == 200  # a bot learns nothing
    assert "emailed" not in soup(response).get_text()  # but is not told it was emailed
    registration = Registration.objects.get()
    assert registration.status == Status.SPAM
    assert registration.spam_reason == "Filled in the hidden honeypot field"
    assert mail.outbox == []
    run(apply_transition, registration, "restore", actor=None)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED and registration.spam_reason == ""
    assert emails_to("jenn@example.org")


def test_the_rate_limit_answers_429(client, event, settings):
    settings.FORM_RATE_LIMIT = "2/m"
    from django.core.cache import cache

    cache.clear()
    with time_machine.travel(timezone.now(), tick=False):  # one window: a minute's edge must not reset the count
        codes = [post(client, event.url, email=f"r{n}@example.org").status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert Registration.objects.count() == 2


def test_a_mail_outage_loses_nothing(client, event, monkeypatch):
    import smtplib

    def down(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "mail server down")

    monkeypatch.setattr("inbox.emails.send_now", down)
    response = post(client, event.url)
    assert response.status_code == 200
    assert "You're confirmed" in response.content.decode()
    assert Registration.objects.get().status == Status.CONFIRMED
    email = OutboundEmail.objects.get(purpose="registration.confirmed")
    assert email.status == OutboundEmail.Status.FAILED and "mail server down" in email.last_error
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        call_command("retry_emails")  # a cron job, once the backoff has passed: enqueues outside any request
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert emails_to("jenn@example.org")


def test_manage_link_shows_status_cancels_and_offers_the_calendar(client, event):
    post(client, event.url)
    url = re.search(r"https?://\S+/registrations/manage/\S+/", mail.outbox[0].body).group()
    assert url.startswith(Site.objects.get(is_default_site=True).root_url)  # the site's own address
    path = re.search(r"/registrations/manage/\S+/", url).group()
    page = soup(client.get(path))
    assert "Confirmed" in page.select_one(".status").get_text()
    # Their own calendar entry, with the meeting link: the signed address, never the public file.
    assert page.find("a", string=re.compile("Add to calendar"))["href"] == path + "calendar.ics"
    assert not page.select("form.cancel-form")  # cancelling asks first
    confirm = soup(client.get(page.find("a", string=re.compile("Cancel my registration"))["href"]))
    assert "Cancel your registration?" in confirm.get_text()
    assert "waitlist" in confirm.get_text()  # this session has a capacity
    response = client.post(path, {"action": "cancel"}, follow=True)
    assert response.redirect_chain == [(path + "?cancelled=1", 303)]
    after = soup(response)
    assert "Your registration is cancelled" in after.get_text()
    assert after.find("a", string="Register again")["href"] == event.url + "#register"
    assert not after.find("a", string=re.compile("Add to calendar"))
    assert Registration.objects.get().status == Status.CANCELLED
    assert client.get(path.replace("/manage/", "/manage/x")).status_code == 404


def at(zone, day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def test_reminder_goes_the_day_before_in_the_events_own_zone_once(client, primers, run):
    day = (timezone.now() + datetime.timedelta(days=10)).date()
    start = at("America/Los_Angeles", day, 9)  # 9am in Los Angeles (noon in New York)
    event = EventPageFactory(
        parent=primers,
        title="Housing Justice",
        timezone="America/Los_Angeles",
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    post(client, event.url)
    mail.outbox.clear()
    eve = day - datetime.timedelta(days=1)
    with time_machine.travel(at("America/Los_Angeles", eve, 0, 0) - datetime.timedelta(minutes=30), tick=False):
        run(call_command, "send_event_reminders")  # 11:30pm two days before in LA: too early
    assert mail.outbox == []
    with time_machine.travel(at("America/Los_Angeles", eve, 22), tick=False):  # already "today" in New York
        run(call_command, "send_event_reminders")
        run(call_command, "send_event_reminders")
    [reminder] = mail.outbox
    assert reminder.subject == "Tomorrow: Housing Justice"  # true where it happens
    assert event.meeting_url in reminder.body and "is tomorrow" in reminder.body


def test_no_reminder_on_the_day_itself_with_a_false_tomorrow(client, primers, run):
    day = (timezone.now() + datetime.timedelta(days=10)).date()
    start = at("America/New_York", day, 0, 30)  # half past midnight
    event = EventPageFactory(parent=primers, title="Late", start=start, end=start + datetime.timedelta(hours=1))
    post(client, event.url)
    mail.outbox.clear()
    with time_machine.travel(start - datetime.timedelta(minutes=20), tick=False):  # same day, 20 minutes before
        run(call_command, "send_event_reminders")
    assert mail.outbox == []
    with time_machine.travel(start - datetime.timedelta(hours=20), tick=False):  # the day before
        run(call_command, "send_event_reminders")
    assert [m.subject for m in mail.outbox] == ["Tomorrow: Late"]


def test_a_published_time_change_tells_confirmed_registrants_with_a_new_calendar_file(client, event, run):
    post(client, event.url)
    post(client, event.url, email="second@example.org")
    post(client, event.url, email="third@example.org")  # waitlisted (capacity 2): no seat to change
    mail.outbox.clear()
    event.refresh_from_db()
    event.start += datetime.timedelta(days=1)
    event.end += datetime.timedelta(days=1)
    run(event.save_revision)  # a draft: nobody is told
    assert mail.outbox == []
    run(lambda: event.save_revision().publish())
    assert sorted(m.to[0] for m in mail.outbox) == ["jenn@example.org", "second@example.org", "third@example.org"]
    message = emails_to("jenn@example.org")[0]
    assert message.subject == "New time: Housing Justice"
    calendar = Calendar.from_ical(message.attachments[0][1])
    [vevent] = calendar.walk("VEVENT")
    # Higher than the entry the confirmation gave them (the session's 0).
    assert int(vevent.get("SEQUENCE")) == 1 and vevent.decoded("DTSTART") == event.start
    [waiting] = emails_to("third@example.org")  # told of the new time: no seat, so no link and no calendar entry
    assert "still on the waitlist" in waiting.body and event.meeting_url not in waiting.body
    assert waiting.attachments == []


def test_the_cancellation_carries_a_calendar_cancel(client, event):
    post(client, event.url)
    path = re.search(r"/registrations/manage/\S+/", mail.outbox[0].body).group()
    mail.outbox.clear()
    client.post(path, {"action": "cancel"})
    [message] = mail.outbox
    name, content, mimetype = message.attachments[0]
    calendar = Calendar.from_ical(content)
    assert calendar.get("METHOD") == "CANCEL"
    [vevent] = calendar.walk("VEVENT")
    assert vevent.get("STATUS") == "CANCELLED" and "Housing Justice" in vevent.get("SUMMARY")


def test_the_zoom_line_only_when_there_is_a_link(client, primers):
    in_person = EventPageFactory(parent=primers, title="Town hall", meeting_url="", location_name="City Hall")
    post(client, in_person.url)
    [message] = mail.outbox
    assert "Zoom" not in message.body and "Join" not in message.alternatives[0][0]


def test_extra_questions_from_the_series_are_asked_and_kept(client, primers, event):
    SeriesFormField.objects.create(page=primers, label="Accessibility needs", field_type="multiline", required=False)
    html = soup(client.get(event.url))
    assert label(html, "Accessibility needs")
    post(client, event.url, accessibility_needs="Captions please")
    assert Registration.objects.get().form_data["accessibility_needs"] == "Captions please"
    EventFormField.objects.create(page=event, label="Your question for the panel", field_type="singleline")
    html = soup(client.get(event.url))
    assert label(html, "Your question for the panel")
    assert not label(html, "Accessibility needs")


def test_the_series_form_registers_for_several_sessions_at_once(client, primers):
    a = EventPageFactory(parent=primers, title="Community Safety", start=timezone.now() + datetime.timedelta(days=3))
    b = EventPageFactory(
        parent=primers, title="Workers' Rights", start=timezone.now() + datetime.timedelta(days=10), capacity=0
    )
    c = EventPageFactory(parent=primers, title="Media Strategies", start=timezone.now() + datetime.timedelta(days=20))
    closed = EventPageFactory(
        parent=primers, title="Closed one", registration_closes=timezone.now() - datetime.timedelta(hours=1)
    )
    page = soup(client.get(primers.url))
    choices = [label.get_text(" ", strip=True) for label in page.select("form.registration-form .choice")]
    session_choices = [text for text in choices if ":" in text]
    assert [text.split(": ", 1)[1] for text in session_choices] == [
        "Community Safety",
        "Workers' Rights (full: you'd be number 1 on the waitlist)",  # said before anyone sends the form
        "Media Strategies",
    ]
    assert not any("Closed one" in text for text in choices)
    response = client.post(primers.url + "register/", {**form_data(), "sessions": [a.pk, b.pk, c.pk]}, follow=True)
    assert response.status_code == 200
    results = soup(response).select(".registration-result")
    assert len(results) == 3
    statuses = dict(Registration.objects.values_list("event__title", "status"))
    assert statuses == {
        "Community Safety": "confirmed",
        "Workers' Rights": "waitlisted",
        "Media Strategies": "confirmed",
    }
    assert len(emails_to("jenn@example.org")) == 3
    assert closed.registrations.count() == 0


def test_the_series_form_needs_at_least_one_session(client, primers):
    EventPageFactory(parent=primers)
    response = client.post(primers.url + "register/", form_data())
    assert response.status_code == 400
    assert "Choose at least one session." in response.content.decode()


def test_a_too_fast_post_shows_the_form_again_with_a_note_and_the_second_post_registers(client, event):
    token = make_token()  # autofill: sent the moment the form was shown
    response = client.post(event.url + "register/", {**form_data(), "form_token": token})
    assert response.status_code == 400
    page = soup(response)
    assert TOO_FAST_NOTE in page.select_one(".error-summary").get_text()
    assert page.find("input", attrs={"name": "email"})["value"] == "jenn@example.org"  # nothing to retype
    assert not Registration.objects.exists() and mail.outbox == []
    later = time.time() + 5
    with time_machine.travel(later, tick=False):
        again = client.post(event.url + "register/", {**form_data(), "form_token": token}, follow=True)
    assert "You're confirmed" in soup(again).get_text()
    assert Registration.objects.get().status == Status.CONFIRMED


def test_the_confirmation_page_survives_a_refresh_and_points_to_what_comes_next(client, event, primers):
    other = EventPageFactory(parent=primers, title="Police Accountability")
    response = post(client, event.url)
    thanks_url = response.redirect_chain[-1][0]
    refreshed = client.get(thanks_url)  # a refresh is a GET: no second registration, no second email
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1
    page = soup(refreshed)
    assert "You're confirmed" in page.get_text()
    registration = Registration.objects.get()
    own_calendar = reverse("registration_calendar", args=[manage_signature(registration)])
    assert page.find("a", string=re.compile("Add to calendar"))["href"] == own_calendar
    assert "private link" in page.get_text()
    assert [a.get_text() for a in page.select(".more-sessions a")] == ["Police Accountability"]
    assert other.url in [a["href"] for a in page.select(".more-sessions a")]
    assert "no-store" in refreshed["Cache-Control"]
    assert client.get(primers.url + "register/thanks/")["Location"] == primers.url  # nothing to confirm there


def test_signing_up_again_resends_at_most_once_an_hour(client, event):
    post(client, event.url)
    second = post(client, event.url)
    assert "sent your confirmation email again" in soup(second).get_text()
    third = post(client, event.url)
    assert "sent your confirmation email again" not in soup(third).get_text()
    assert len(emails_to("jenn@example.org")) == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        post(client, event.url)
    assert len(emails_to("jenn@example.org")) == 3


def test_no_waitlist_wording_on_a_session_without_a_capacity(client, primers):
    open_event = EventPageFactory(parent=primers, title="Open house", capacity=None)
    post(client, open_event.url)
    path = re.search(r"/registrations/manage/\S+/", mail.outbox[0].body).group()
    assert "waitlist" not in soup(client.get(path)).get_text().lower()
    assert "waitlist" not in soup(client.get(path + "?cancel=1")).get_text().lower()
    after = client.post(path, {"action": "cancel"}, follow=True)
    assert "waitlist" not in soup(after).get_text().lower()


def test_a_bad_link_says_so_and_offers_to_email_the_link_with_the_same_answer_for_anyone(client, event, settings):
    post(client, event.url)
    mail.outbox.clear()
    bad = client.get("/registrations/manage/not-a-real-link/")
    assert bad.status_code == 404
    page = soup(bad)
    assert "This link doesn't work" in page.select_one("h1").get_text()
    form = page.select_one("form.link-request-form")
    known = soup(client.post(form["action"], {"email": "JENN@example.org"})).select_one(".notice").get_text()
    unknown = soup(client.post(form["action"], {"email": "nobody@example.org"})).select_one(".notice").get_text()
    assert known.replace("jenn@example.org", "X") == unknown.replace("nobody@example.org", "X")
    [message] = mail.outbox
    assert message.to == ["jenn@example.org"] and "Housing Justice" in message.body
    fresh = re.search(r"/registrations/manage/\S+/", message.body).group()
    assert client.get(fresh).status_code == 200
    client.post(form["action"], {"email": "jenn@example.org"})
    assert len(mail.outbox) == 1  # at most one such email per address every ten minutes
    assert client.post(form["action"], {"email": "not an address"}).status_code == 400


def test_email_me_my_link_is_rate_limited(client, event, settings):
    from django.core.cache import cache

    cache.clear()
    settings.FORM_RATE_LIMIT = "2/m"
    for _ in range(2):
        assert client.post("/registrations/manage/", {"email": "a@example.org"}).status_code == 200
    limited = client.post("/registrations/manage/", {"email": "a@example.org"})
    assert limited.status_code == 429


def test_a_training_without_a_meeting_link_promises_none(client, primers):
    in_person = EventPageFactory(parent=primers, title="Town hall", meeting_url="", location_name="City Hall")
    note = soup(client.get(in_person.url)).select_one("form.registration-form .form-note").get_text()
    assert "Zoom" not in note
    result = soup(post(client, in_person.url)).select_one(".registration-result").get_text(" ", strip=True)
    assert "You're confirmed" in result and "Zoom" not in result

    online = EventPageFactory(parent=primers, title="Webinar")
    assert online.meeting_url
    note = soup(client.get(online.url)).select_one("form.registration-form .form-note").get_text()
    assert "their own Zoom link" in note
    result = soup(post(client, online.url)).select_one(".registration-result").get_text(" ", strip=True)
    assert "Your Zoom link is in the confirmation email" in result


def test_a_private_link_expires_when_its_session_ends_with_a_page_that_says_so(client, event):
    post(client, event.url)
    path = re.search(r"/registrations/manage/\S+/", mail.outbox[0].body).group()
    assert client.get(path).status_code == 200
    assert client.get(path + "calendar.ics").status_code == 200
    with time_machine.travel(event.end + datetime.timedelta(minutes=1), tick=False):
        response = client.get(path)
        assert response.status_code == 410
        page = soup(response)
        assert "This link has expired" in page.get_text() and "Housing Justice" in page.get_text()
        assert page.find("button", string="Email me my links")
        assert client.get(path + "calendar.ics").status_code == 410
        assert client.post(path, {"action": "cancel"}).status_code == 410
    assert Registration.objects.get().status == Status.CONFIRMED
