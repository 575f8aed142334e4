"""Email services post inbound mail to /anymail/<service>/inbound/ (django-anymail) in their own formats; each
reaches the Help Desk through the same function as the mailbox. Off (404) without ANYMAIL_WEBHOOK_SECRET."""

import base64
import hashlib
import hmac
import io
import json
import time

import pytest
from django.core import mail

from helpdesk import mail_thread
from helpdesk.models import HelpDeskRequest, InboundEmail, RequestActivity

from .test_email_in import dana_case, sample

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
AUTH = "Basic " + base64.b64encode(b"postmark:s3cret-hook").decode()


@pytest.fixture(autouse=True)
def _services(settings):
    settings.HELPDESK_EMAIL = "helpdesk@localprogress.org"
    settings.DEFAULT_FROM_EMAIL = "no-reply@localprogress.org"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "postmark:s3cret-hook"}


@pytest.fixture
def case(help_desk):
    return dana_case(help_desk, HelpDeskRequest.Status.WAITING_ON_MEMBER)


def postmark_payload(case):
    """Postmark's inbound JSON (without "include raw email"), as its docs and its test button send it."""
    return {
        "FromName": "Dana Whitfield",
        "MessageStream": "inbound",
        "From": "dana.whitfield@gmail.com",
        "FromFull": {"Email": "dana.whitfield@gmail.com", "Name": "Dana Whitfield", "MailboxHash": ""},
        "To": f'"Local Progress Impact Lab" <{mail_thread.reply_address(case)}>',
        "ToFull": [{"Email": mail_thread.reply_address(case), "Name": "Local Progress Impact Lab", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": mail_thread.reply_address(case),
        "Subject": f"Re: Right to counsel for tenants [{case.reference}]",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Tue, 8 Dec 2026 09:31:01 -0500",
        "TextBody": "About 1,200 filings a year.\n\nOn Tue, Dec 8, 2026 at 9:14 AM Local Progress <x@y> wrote:\n> Q?",
        "HtmlBody": "",
        "StrippedTextReply": "About 1,200 filings a year.",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<dana.whitfield@gmail.com>"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "X-Spam-Score", "Value": "-0.1"},
            {"Name": "Message-ID", "Value": "<CAJ3xq9B-postmark@mail.gmail.com>"},
            {"Name": "In-Reply-To", "Value": mail_thread.thread_id(case)},
        ],
        "Attachments": [
            {
                "Name": "filings.csv",
                "Content": base64.b64encode(b"year,filings\n2025,1200\n").decode(),
                "ContentType": "text/csv",
                "ContentLength": 23,
            }
        ],
    }


def test_postmark_posts_a_reply_that_joins_the_thread(client, case, run):
    response = run(
        client.post,
        "/anymail/postmark/inbound/",
        data=json.dumps(postmark_payload(case)),
        content_type="application/json",
        HTTP_AUTHORIZATION=AUTH,
    )
    assert response.status_code == 200
    record = InboundEmail.objects.get()
    assert (record.source, record.outcome, record.request) == ("postmark", Outcome.JOINED, case)
    entry = case.activities.get(kind=RequestActivity.Kind.MEMBER_UPDATE)
    assert entry.text == "About 1,200 filings a year."
    assert [a.filename for a in entry.attachments.all()] == ["filings.csv"]

    again = client.post(
        "/anymail/postmark/inbound/",
        data=json.dumps(postmark_payload(case)),
        content_type="application/json",
        HTTP_AUTHORIZATION=AUTH,
    )
    assert again.status_code == 200 and InboundEmail.objects.count() == 1  # Postmark's retry adds nothing


def test_without_the_secret_a_post_is_refused_and_nothing_is_kept(client, case):
    response = client.post(
        "/anymail/postmark/inbound/", data=json.dumps(postmark_payload(case)), content_type="application/json"
    )
    assert response.status_code == 400
    wrong = client.post(
        "/anymail/postmark/inbound/",
        data=json.dumps(postmark_payload(case)),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"postmark:guess").decode(),
    )
    assert wrong.status_code == 400 and InboundEmail.objects.count() == 0


def test_off_without_anymail_webhook_secret(client, case, settings):
    settings.ANYMAIL = {}
    response = client.post(
        "/anymail/postmark/inbound/",
        data=json.dumps(postmark_payload(case)),
        content_type="application/json",
        HTTP_AUTHORIZATION=AUTH,
    )
    assert response.status_code == 404 and InboundEmail.objects.count() == 0


def test_a_service_missing_its_own_key_answers_404_not_500(client, case):
    response = client.post("/anymail/mailgun/inbound_mime/", data={"body-mime": "x"}, HTTP_AUTHORIZATION=AUTH)
    assert response.status_code == 404
    assert client.post("/anymail/postmark/tracking/", data="{}", content_type="application/json").status_code == 404


def test_sendgrid_posts_the_raw_message_with_its_envelope(client, case, run):
    raw = sample("apple_mail_reply.eml", case)
    response = run(
        client.post,
        "/anymail/sendgrid/inbound/",
        data={
            "email": raw.decode(),
            "envelope": json.dumps({"to": [mail_thread.reply_address(case)], "from": "maria.santos@icloud.com"}),
            "charsets": json.dumps({"to": "UTF-8", "subject": "UTF-8", "from": "UTF-8"}),
            "spam_score": "0.2",
            "SPF": "pass",
        },
        HTTP_AUTHORIZATION=AUTH,
    )
    assert response.status_code == 200
    record = InboundEmail.objects.get()
    assert (record.source, record.outcome) == ("sendgrid", Outcome.JOINED)
    assert case.activities.get(kind="member_update").text == "Yes — it passed first reading on Monday, 7–2.\n\nMaría"


def test_mailgun_posts_a_signed_new_question_that_opens_a_request(client, help_desk, settings, run):
    settings.ANYMAIL = {**settings.ANYMAIL, "MAILGUN_WEBHOOK_SIGNING_KEY": "key-mailgun-test"}
    raw = (
        b"From: Jordan Vega <jordan@example.org>\r\nTo: helpdesk@localprogress.org\r\nSubject: Fare-free transit\r\n"
        b"Message-ID: <mg-1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Has any city measured ridership after going fare-free?\r\n"
    )
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(b"key-mailgun-test", (timestamp + token).encode(), hashlib.sha256).hexdigest()
    response = run(
        client.post,
        "/anymail/mailgun/inbound_mime/",
        data={
            "recipient": "helpdesk@localprogress.org",
            "sender": "jordan@example.org",
            "body-mime": raw.decode(),
            "timestamp": timestamp,
            "token": token,
            "signature": signature,
        },
        HTTP_AUTHORIZATION=AUTH,
    )
    assert response.status_code == 200
    record = InboundEmail.objects.get()
    assert (record.source, record.outcome) == ("mailgun", Outcome.OPENED)
    assert record.request.question == "Fare-free transit" and record.request.channel == "email"
    assert [m.to for m in mail.outbox if record.request.reference in m.subject] == [["jordan@example.org"]]

    forged = client.post(
        "/anymail/mailgun/inbound_mime/",
        data={"body-mime": raw.decode(), "timestamp": timestamp, "token": token, "signature": "0" * 64},
        HTTP_AUTHORIZATION=AUTH,
    )
    assert forged.status_code == 400


def test_a_whole_email_with_a_large_attachment_gets_through_and_the_file_is_refused(client, case, run):
    """Postmark posts the email, attachments inside the JSON: far over Django's 2.5 MB, it is read (the webhook
    has its basic auth), the words join, the file is refused by the Help Desk's own limit, the member is told.
    (12 MB here, to keep the suite quick; test_email_in reads a 30 MB one.)"""
    payload = postmark_payload(case)
    payload["Attachments"] = [
        {
            "Name": "docket.pdf",
            "Content": base64.b64encode(b"%PDF-1.4" + b"0" * (12 * 1024 * 1024)).decode(),
            "ContentType": "application/pdf",
            "ContentLength": 12 * 1024 * 1024 + 8,
        }
    ]
    body = json.dumps(payload)
    assert len(body) > 16 * 1024 * 1024
    unauthorised = client.post("/anymail/postmark/inbound/", data=body, content_type="application/json")
    assert unauthorised.status_code == 413  # refused before the body is read

    response = run(
        client.post, "/anymail/postmark/inbound/", data=body, content_type="application/json", HTTP_AUTHORIZATION=AUTH
    )
    assert response.status_code == 200
    entry = case.activities.get(kind=RequestActivity.Kind.MEMBER_UPDATE)
    assert entry.text == "About 1,200 filings a year."
    assert entry.data["refused"] == ["docket.pdf: 12 MB, over the 10 MB limit"]
    assert [m for m in mail.outbox if m.to == [case.email] and "could not keep" in m.subject]


def test_a_large_body_anywhere_else_gets_413(client, help_desk, staff):
    big = "x" * (3 * 1024 * 1024)
    assert client.post("/help-desk/", {"details": big}).status_code == 413
    assert client.post("/admin/login/", {"username": big}).status_code == 413
    client.force_login(staff)  # staff upload files in the admin: not refused here (Wagtail checks its own limits)
    upload = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": io.BytesIO(big.encode())},
    )
    assert upload.status_code != 413
