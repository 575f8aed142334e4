"""The "get in touch" form: valid, invalid, spam, rate limit, emails and the member's private link."""

import html

import pytest
from django.core import mail
from django.core.cache import cache

from collaborative.interest import CollaborativeInterest
from home import roles
from home.models import SiteSettings
from inbox.models import OutboundEmail
from tests.conftest import staff
from tests.html import soup

from .conftest import answers

pytestmark = pytest.mark.django_db
Status = CollaborativeInterest.Status


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORM_RATE_LIMIT = None


@pytest.fixture(autouse=True)
def lead(home_page):
    """A Communications lead (the group holding the inbox's permission); the site's contact address is the Help
    Desk's mailbox, which must never get these alerts."""
    settings = SiteSettings.for_site(home_page.get_site())
    settings.contact_email = "team@localprogress.example"
    settings.save()
    return staff("lead-lee", roles.COMMUNICATIONS_LEADS)


def send(client, page, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(page.url, answers(**extra))


def test_the_form_has_real_labels_and_links_to_the_privacy_page(client, interest_page, home_page):
    from home.factories import StandardPageFactory

    privacy = StandardPageFactory(parent=home_page, title="Privacy", slug="privacy")
    settings = SiteSettings.for_site(home_page.get_site())
    settings.privacy_page = privacy
    settings.save()
    page = soup(client.get(interest_page.url))
    form = page.select_one("form.registration-form")
    for name in ("name", "email", "jurisdiction", "leadership_position", "message"):
        assert form.find("label", attrs={"for": f"id_{name}"}) is not None, name
    assert form.find("legend").get_text(strip=True).startswith("I am")
    assert form.find("a", href="/privacy/") is not None
    footer = page.select_one("footer")
    assert footer.find("a", href="/privacy/") is not None


def test_a_member_raises_their_hand(client, interest_page, lead, django_capture_on_commit_callbacks):
    response = send(client, interest_page, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    submission = CollaborativeInterest.objects.get()
    assert submission.name == "Jenn Weaver"
    assert submission.status == Status.NEW and submission.spam_reason == ""
    assert submission.form_data["leadership_position"] == "state_committee"
    assert submission.form_data["jurisdiction"] == "Hillsborough, NC"
    assert "form_token" not in submission.form_data and "website" not in submission.form_data
    assert submission.page_id == interest_page.pk

    thanks = client.get(response["Location"])
    assert "we've received your message" in thanks.content.decode()

    member, staff = sorted(mail.outbox, key=lambda m: m.to != ["jenn@example.org"])
    assert member.to == ["jenn@example.org"]
    assert staff.to == [lead.email]  # the people who can act, not the Help Desk's mailbox
    assert "Jenn Weaver" in staff.subject
    assert "State organizing committee" in staff.body
    inbox_link = next(word for word in staff.body.split() if "/admin/" in word)
    client.force_login(lead)
    opened = client.get(inbox_link.split("testserver", 1)[-1].split("localhost", 1)[-1])
    assert opened.status_code == 200 and "Jenn Weaver" in opened.text
    assert "State organizing committee" in opened.text and "state_committee" not in opened.text
    client.logout()
    link = next(word for word in member.body.split() if "/sent/" in word)
    path = link.split("testserver", 1)[-1].split("localhost", 1)[-1]
    path = path[path.index("/leadership-collaborative/") :]
    mine = client.get(path)
    assert mine.status_code == 200
    assert "I'd like to help plan the next convening." in html.unescape(mine.content.decode())
    assert mine["Cache-Control"] == "private, no-store"


def test_a_tampered_private_link_is_not_found(client, interest_page, django_capture_on_commit_callbacks):
    send(client, interest_page, django_capture_on_commit_callbacks)
    submission = CollaborativeInterest.objects.get()
    good = submission.private_url()
    assert client.get(good).status_code == 200
    assert client.get(good.replace("/sent/", "/sent/x")).status_code == 404
    assert client.get(interest_page.url + "sent/123/").status_code == 404
    assert client.get(interest_page.url + "sent/²-abc/").status_code == 404  # a digit int() can't read


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address you can receive mail at"),
        ("name", "", "This field is required."),
        ("jurisdiction", "   ", "This field is required."),
        ("leadership_position", "president-for-life", "Select a valid choice."),
        ("role", "", "This field is required."),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_a_400(client, interest_page, field, value, message):
    response = client.post(interest_page.url, answers(**{field: value}))
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".form-errors[role=alert]") is not None
    field_box = page.find(attrs={"name": field}).find_parent(class_="form-field")
    assert message in field_box.get_text()
    assert CollaborativeInterest.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_spam_is_kept_with_its_reason_and_sends_no_email(client, interest_page, django_capture_on_commit_callbacks):
    response = send(client, interest_page, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response.status_code == 302
    submission = CollaborativeInterest.objects.get()
    assert submission.status == Status.SPAM
    assert "honeypot" in submission.spam_reason
    assert mail.outbox == []
    # The page does not claim it reached the team.
    thanks = client.get(response["Location"]).content.decode()
    assert "held it until the team checks it" in thanks


def test_a_missing_timestamp_is_suspected_spam(client, interest_page, django_capture_on_commit_callbacks):
    send(client, interest_page, django_capture_on_commit_callbacks, form_token="")
    assert CollaborativeInterest.objects.get().status == Status.SPAM


def test_the_rate_limit_answers_429(client, interest_page, settings, django_capture_on_commit_callbacks):
    settings.FORM_RATE_LIMIT = "2/m"
    cache.clear()
    codes = [
        send(client, interest_page, django_capture_on_commit_callbacks, email=f"m{n}@example.org").status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert CollaborativeInterest.objects.count() == 2


def test_a_mail_outage_loses_nothing(client, interest_page, monkeypatch, django_capture_on_commit_callbacks):
    import smtplib

    def down(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "mail server down")

    monkeypatch.setattr("inbox.emails.send_now", down)
    response = send(client, interest_page, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert CollaborativeInterest.objects.count() == 1
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.FAILED}
