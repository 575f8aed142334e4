"""The Help Desk page, its form, the submit flow, emails, the thank-you page, suggestions and the member's link."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailTestUtils

from helpdesk import cases
from helpdesk.models import HelpDeskFormField, HelpDeskPage, HelpDeskRequest, HelpDeskStep, RequestActivity, SupportType
from inbox.models import OutboundEmail
from tests.html import soup

from .conftest import intake

pytestmark = pytest.mark.django_db
Status = HelpDeskRequest.Status


def member_link(message):
    return re.search(r"https?://\S+/helpdesk/request/\S+/", message.body).group()


def test_the_page_shows_the_seed_content_and_the_form(client, help_desk):
    help_desk.steps = [HelpDeskStep(text="Send a request with your timeline.")]
    help_desk.support_types = [SupportType(heading="Policy", examples="Policy review and analysis\nOne-pager")]
    help_desk.save_revision().publish()
    response = client.get("/help-desk/")
    assert response.status_code == 200
    html = soup(response)
    assert html.find("h1").get_text() == "Help Desk"
    assert "Send a request with your timeline." in html.find("ol", class_="helpdesk-steps").get_text()
    assert [li.get_text() for li in html.select(".helpdesk-support__type li")] == [
        "Policy review and analysis",
        "One-pager",
    ]
    for name in ("name", "email", "role", "office", "jurisdiction", "category", "issue_area", "question", "details"):
        assert html.find(attrs={"name": name}) is not None, name
    assert html.find("input", attrs={"name": "needed_by", "type": "date"}) is not None
    assert "What we keep, and for how long" in response.text
    assert "2 years after your request is closed" in response.text


def test_the_help_desk_page_fits_the_page_tree():
    from home.models import HomePage

    assert HelpDeskPage.parent_page_types == ["home.HomePage"]
    assert "helpdesk.HelpDeskPage" in HomePage.subpage_types


def test_submit_saves_first_then_redirects_to_the_thank_you_page_with_the_reference(client, help_desk, staff):
    year = timezone.localdate().year
    response = client.post("/help-desk/", intake())
    assert response.status_code == 302
    request_obj = HelpDeskRequest.objects.get()
    assert request_obj.reference == f"HD-{year}-0001"
    assert request_obj.email == "jenn@example.org"
    assert request_obj.status == Status.NEW
    assert request_obj.page_id == help_desk.pk
    assert request_obj.form_data["details"].startswith("Our council votes in March")
    assert response["Location"].startswith("/helpdesk/thanks/")

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert f"HD-{year}-0001" in thanks.text
    assert "What happens next" in thanks.text
    assert "An Impact Lab staff person will review your request." in thanks.text
    assert "no-store" in thanks["Cache-Control"] or "max-age=0" in thanks["Cache-Control"]

    client.post("/help-desk/", intake(email="other@example.org"))
    assert HelpDeskRequest.objects.order_by("pk").last().reference == f"HD-{year}-0002"
    # The thread starts with the member's request.
    assert request_obj.thread().first().kind == RequestActivity.Kind.SUBMITTED
    # It is the page's form submission: the page's submissions address in Wagtail's admin leads staff
    # to the Help Desk inbox, which lists it.
    client.force_login(staff)
    listing = client.get(reverse("wagtailforms:list_submissions", args=[help_desk.pk]), follow=True)
    assert listing.redirect_chain and "/admin/helpdesk/" in listing.redirect_chain[-1][0]
    assert "Examples of just-cause eviction ordinances?" in listing.text


def test_a_double_click_a_refresh_or_a_replay_files_one_request(client, help_desk, staff, settings):
    """The same post again (a double-click, the browser's "resend", a replay) is the request already filed: the
    same thank-you page, one reference, one acknowledgement. A different question, or the same one after
    HELPDESK_RESUBMIT_MINUTES, is a new request."""
    first = client.post("/help-desk/", intake())
    again = client.post("/help-desk/", intake())
    replayed = client.post("/help-desk/", intake(email="JENN@example.org"))  # the address as typed
    assert first.status_code == again.status_code == replayed.status_code == 302

    def thanked_for(response):  # the thank-you link is signed with the time: compare what it names
        return cases.request_for_signature(response["Location"].rstrip("/").rsplit("/", 1)[-1])[0]

    assert thanked_for(first) == thanked_for(again) == thanked_for(replayed) is not None
    assert HelpDeskRequest.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == ["jenn@example.org"]]) == 1
    client.post("/help-desk/", intake(question="And what about rent stabilisation?"))
    assert HelpDeskRequest.objects.count() == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=settings.HELPDESK_RESUBMIT_MINUTES + 1)):
        later = client.post("/help-desk/", intake())
    assert thanked_for(later) != thanked_for(first) and HelpDeskRequest.objects.count() == 3


def test_acknowledgement_and_staff_notification(client, help_desk, staff):
    client.post("/help-desk/", intake())
    request_obj = HelpDeskRequest.objects.get()
    [ack] = [m for m in mail.outbox if "jenn@example.org" in m.to]
    assert request_obj.reference in ack.subject
    assert request_obj.reference in ack.body
    assert "Follow your request" in ack.body
    assert ack.alternatives and request_obj.reference in ack.alternatives[0][0]
    [note] = [m for m in mail.outbox if staff.email in m.to]
    assert note.reply_to == ["jenn@example.org"]
    assert request_obj.reference in note.subject
    assert "Our council votes in March" in note.body
    assert "/admin/" in note.body
    assert OutboundEmail.objects.filter(related_key=f"helpdesk.helpdeskrequest:{request_obj.pk}").count() == 2


def test_staff_notification_goes_to_the_configured_addresses(client, help_desk, staff, settings):
    settings.HELPDESK_NOTIFY_EMAILS = ["desk@lp.example"]
    client.post("/help-desk/", intake())
    assert [m.to for m in mail.outbox if "desk@lp.example" in m.to] == [["desk@lp.example"]]
    assert not [m for m in mail.outbox if staff.email in m.to]


@time_machine.travel(datetime.datetime(2026, 3, 6, 15, 0, tzinfo=datetime.UTC))  # a Friday
def test_due_date_is_the_timeline_or_business_days(client, help_desk, settings):
    settings.HELPDESK_DUE_BUSINESS_DAYS = 5
    client.post("/help-desk/", intake())
    assert HelpDeskRequest.objects.get().due_date == datetime.date(2026, 3, 13)  # next Friday, weekend skipped
    client.post("/help-desk/", intake(email="b@example.org", needed_by="2026-03-09"))
    assert HelpDeskRequest.objects.get(email="b@example.org").due_date == datetime.date(2026, 3, 9)


@time_machine.travel(datetime.datetime(2026, 12, 31, 23, 0, tzinfo=datetime.UTC))
def test_references_restart_each_year(client, help_desk):
    client.post("/help-desk/", intake())
    with time_machine.travel(datetime.datetime(2027, 1, 2, 15, 0, tzinfo=datetime.UTC)):
        client.post("/help-desk/", intake(email="b@example.org"))
    refs = list(HelpDeskRequest.objects.order_by("pk").values_list("reference", flat=True))
    assert refs == ["HD-2026-0001", "HD-2027-0001"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"details": "   "}, "details", "Please tell us the details of your request"),
        ({"needed_by": "2020-01-01"}, "needed_by", "This date has passed"),
        ({"needed_by": "next week"}, "needed_by", "Enter a date like"),
        ({"details": "x" * 5001}, "details", "at most 5000 characters"),
        ({"question": "q" * 201}, "question", "at most 200 characters"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"category": "astrology"}, "category", "Select a valid choice"),
        ({"issue_area": "99999"}, "issue_area", "Select a valid choice"),
        ({"preferred_contact": "phone"}, "phone", "Add a phone number"),
    ],
)
def test_bad_input_is_refused_beside_the_field_with_a_400(client, help_desk, changes, field, message):
    response = client.post("/help-desk/", intake(**changes))
    assert response.status_code == 400
    html = soup(response)
    errors = html.find(id=f"id_{field}_error") or html.find(id=f"id_{field}_errors")
    assert errors is not None and message in errors.get_text()
    assert "Your request was not sent" in response.text
    assert HelpDeskRequest.objects.count() == 0
    assert mail.outbox == []


def test_a_too_fast_post_is_shown_again_with_a_note_and_nothing_saved(client, help_desk):
    import time

    from inbox.spam import make_token

    response = client.post("/help-desk/", intake(form_token=make_token(time.time())))
    assert response.status_code == 400
    assert soup(response).find(class_="form-errors").get_text().strip()
    assert HelpDeskRequest.objects.count() == 0


def test_rate_limit_answers_429_and_saves_nothing(client, help_desk, settings):
    settings.FORM_RATE_LIMIT = "1/m"
    assert client.post("/help-desk/", intake()).status_code == 302
    response = client.post("/help-desk/", intake(email="b@example.org"))
    assert response.status_code == 429
    assert "several times in a short while" in response.text
    assert HelpDeskRequest.objects.count() == 1


def test_spam_is_kept_with_its_reason_gets_no_email_and_an_honest_page(client, help_desk, staff):
    response = client.post("/help-desk/", intake(website="http://spam.example"))
    assert response.status_code == 302
    request_obj = HelpDeskRequest.objects.get()
    assert request_obj.status == Status.SPAM
    assert "honeypot" in request_obj.spam_reason
    assert mail.outbox == []
    thanks = client.get(response["Location"])
    assert "you won't get an email about it yet" in thanks.text
    assert "We have emailed a confirmation" not in thanks.text


def test_extra_questions_from_the_form_builder_are_asked_and_kept(client, help_desk):
    HelpDeskFormField.objects.create(page=help_desk, label="Which committee?", field_type="singleline", required=True)
    html = soup(client.get("/help-desk/"))
    assert html.find(attrs={"name": "which_committee"}) is not None
    assert client.post("/help-desk/", intake()).status_code == 400
    assert client.post("/help-desk/", intake(which_committee="Housing")).status_code == 302
    request_obj = HelpDeskRequest.objects.get()
    assert request_obj.form_data["which_committee"] == "Housing"
    assert ("Which committee?", "Housing") in request_obj.answers()


# The library answers first ------------------------------------------------------------


def test_suggestions_as_the_member_types(client, help_desk, eviction_resource, housing):
    suggest = "/helpdesk/suggestions/"
    response = client.post(suggest, {"q": "renters facing eviction", "issue": "housing"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    results = response.json()["results"]
    assert [r["title"] for r in results] == ["Just-Cause Eviction Ordinance"]
    assert results[0]["url"] == eviction_resource.url
    assert client.post(suggest, {"q": "the and of"}).json()["results"] == []
    # Punctuation and junk never break the search.
    assert client.post(suggest, {"q": '"(eviction* OR'}).status_code == 200
    # A "digit" int() can't read (superscript two) is no issue id; a NUL is no text (PostgreSQL refuses it).
    assert client.post(suggest, {"q": "eviction", "issue_id": "²"}).status_code == 200
    assert client.post(suggest, {"q": "evic\x00tion", "issue": "hous\x00ing"}).status_code == 200
    assert client.post(suggest, {"q": "eviction " * 5000}).status_code == 200
    # The question never travels in a URL: a GET is refused, whatever it carries.
    assert client.get(suggest, {"q": "renters facing eviction"}).status_code == 405
    assert client.get(suggest).status_code == 405
    html = soup(client.get("/help-desk/"))
    assert html.find("form", class_="helpdesk-form")["data-suggest-url"] == "/helpdesk/suggestions/"


def test_at_most_three_suggestions_issue_area_first(help_desk, library, housing):
    from library.factories import ResourcePageFactory
    from taxonomy.factories import IssueAreaFactory

    labour = IssueAreaFactory(slug="workers", name="Workers")
    for n in range(3):
        ResourcePageFactory(parent=library, title=f"Eviction guide {n}", summary="eviction", issue_areas=[labour])
    housing_one = ResourcePageFactory(
        parent=library, title="Eviction housing", summary="eviction", issue_areas=[housing]
    )
    found = cases.suggest_resources("eviction", housing)
    assert len(found) == 3
    assert found[0]["title"] == housing_one.title


def test_thank_you_page_and_acknowledgement_suggest_resources_without_javascript(client, help_desk, eviction_resource):
    response = client.post("/help-desk/", intake(issue_area=str(eviction_resource.issue_areas.first().pk)))
    thanks = client.get(response["Location"])
    assert "Just-Cause Eviction Ordinance" in thanks.text
    [ack] = [m for m in mail.outbox if "jenn@example.org" in m.to]
    assert "Just-Cause Eviction Ordinance: http://testserver/resources/just-cause-eviction/" in ack.body


# The member's private link ----------------------------------------------------------------


def test_member_link_shows_status_and_replies_but_not_internal_notes(client, help_desk, staff):
    client.post("/help-desk/", intake())
    request_obj = HelpDeskRequest.objects.get()
    RequestActivity.objects.create(request=request_obj, kind="note", author=staff, text="Internal: check with legal")
    RequestActivity.objects.create(request=request_obj, kind="reply", author=staff, text="Here are three examples.")
    url = member_link([m for m in mail.outbox if "jenn@example.org" in m.to][0])
    response = client.get(url)
    assert response.status_code == 200
    assert "Status: <strong" in response.text and "Received" in response.text
    assert "Here are three examples." in response.text
    # The member's words, not the inbox's, and times a reader can place: with their zone, and a datetime
    # attribute without microseconds (vnu refuses them).
    html = soup(response)
    metas = [p.get_text(" ", strip=True) for p in html.select(".helpdesk-thread__meta")]
    assert any("Our reply" in meta for meta in metas) and not any("to the member" in meta for meta in metas)
    assert all(re.search(r"\d{1,2}:\d\d [ap]\.m\. [A-Z]{3,4}", meta) for meta in metas), metas
    stamps = [t["datetime"] for t in html.select(".helpdesk-thread__meta time")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp) for stamp in stamps), stamps
    request_obj.status = Status.WAITING_ON_MEMBER
    request_obj.save()
    assert "We&#x27;ve asked you something" in client.get(url).text
    assert "Internal: check with legal" not in response.text
    assert "noindex" in response.text


def test_member_adds_details_back_in_progress_staff_told(client, help_desk, staff):
    client.post("/help-desk/", intake())
    request_obj = HelpDeskRequest.objects.get()
    request_obj.status = Status.WAITING_ON_MEMBER
    request_obj.assignee = staff
    request_obj.save()
    url = member_link([m for m in mail.outbox if "jenn@example.org" in m.to][0])
    mail.outbox.clear()
    response = client.post(url, {"text": "The vote moved to April 2."})
    assert response.status_code == 302
    request_obj.refresh_from_db()
    assert request_obj.status == Status.IN_PROGRESS
    last = request_obj.thread().filter(kind="member_update").get()
    assert last.text == "The vote moved to April 2." and last.author is None
    [note] = mail.outbox
    assert note.to == [staff.email] and note.reply_to == ["jenn@example.org"]
    assert "The vote moved to April 2." in note.body
    page = client.get(response["Location"])
    assert "your details were added" in page.text
    assert "The vote moved to April 2." in page.text


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CONNECTED, Status.CLOSED, Status.WAITING_ON_MEMBER])
def test_a_follow_up_reopens_the_case_marks_it_and_counts_until_staff_reply(client, help_desk, staff, status):
    """A member's words never land in a case no queue shows: resolved, connected, closed or waiting, it is back
    in progress, marked "Member replied" in the list and counted on the dashboard until staff answer."""
    from helpdesk.inbox import help_desk_admin
    from inbox.transitions import apply_transition

    client.post("/help-desk/", intake())
    request_obj = HelpDeskRequest.objects.get()
    request_obj.status = status
    request_obj.save()
    url = member_link([m for m in mail.outbox if "jenn@example.org" in m.to][0])
    mail.outbox.clear()
    assert client.post(url, {"text": "It passed, but the landlords are suing."}).status_code == 302
    request_obj.refresh_from_db()
    assert request_obj.status == Status.IN_PROGRESS and request_obj.member_replied_at is not None
    [told] = mail.outbox  # nobody assigned: the Help Desk staff
    assert told.to == [staff.email] and "the landlords are suing" in told.body
    counts = {item["label"]: item["count"] for item in help_desk_admin.dashboard_counts(staff)}
    assert counts["Member replied"] == 1
    client.force_login(staff)
    listing = client.get("/admin/helpdesk/helpdeskrequest/?replied=yes")
    assert "Member replied" in listing.text and request_obj.reference in listing.text
    apply_transition(request_obj, "reply", actor=staff, message="We'll find you a litigator.")
    request_obj.refresh_from_db()
    assert request_obj.member_replied_at is None
    assert {i["label"]: i["count"] for i in help_desk_admin.dashboard_counts(staff)}["Member replied"] == 0
    assert request_obj.reference not in client.get("/admin/helpdesk/helpdeskrequest/?replied=yes").text


def test_member_update_bad_input(client, help_desk):
    client.post("/help-desk/", intake())
    url = member_link(mail.outbox[0])
    assert client.post(url, {"text": "   "}).status_code == 400
    response = client.post(url, {"text": "y" * 5001})
    assert response.status_code == 400
    assert "at most 5000 characters" in response.text
    assert HelpDeskRequest.objects.get().activities.count() == 1


def test_a_bad_link_says_so(client, help_desk):
    response = client.get("/helpdesk/request/not-a-real-link/")
    assert response.status_code == 404
    assert "This link doesn't work" in response.text


def test_an_expired_link_says_so(client, help_desk, settings):
    settings.HELPDESK_LINK_MAX_AGE_DAYS = 30
    client.post("/help-desk/", intake())
    url = member_link(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = client.get(url)
    assert response.status_code == 410
    assert "This link has expired" in response.text


class TestAdminPageEditing(WagtailTestUtils):
    def test_the_page_can_be_edited_in_the_admin(self, client, help_desk, superuser):
        client.force_login(superuser)
        response = client.get(f"/admin/pages/{help_desk.pk}/edit/")
        assert response.status_code == 200
        assert "Extra question" in response.text


def test_the_empty_forms_fields_are_shared_but_never_a_visitors_answers_or_token(client, help_desk, settings):
    """The fields of an empty form are a fragment (home/shell.py), kept for everyone: a refused post shows
    that person's answers and errors, the next visitor an empty form, each with their own timestamp token."""
    settings.PAGE_CACHE_SECONDS = 0  # every request renders
    first = soup(client.get("/help-desk/"))
    refused = client.post("/help-desk/", intake(details="My own words", email="not-an-email"))
    assert refused.status_code == 400
    assert "My own words" in refused.text and soup(refused).find(id="id_email_error") is not None
    later = soup(client.get("/help-desk/"))
    assert "My own words" not in str(later)
    assert later.find(id="id_email_error") is None
    assert later.find(id="id_details").get_text().strip() == ""
    assert str(later.find(id="id_details")) == str(first.find(id="id_details"))
    tokens = {html.find("input", attrs={"name": "form_token"})["value"] for html in (first, later)}
    assert len(tokens) == 2  # each visitor's own, outside the shared fields
