"""Email into the Help Desk (helpdesk/inbound.py): members' replies join their request's thread, new mail opens a
request, and nothing untrusted or automatic reopens, opens or answers anything. The samples are replies as
Gmail, Outlook, Apple Mail and iOS Mail write them (tests/helpdesk/mail/)."""

from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core import mail

from helpdesk import inbound, mail_thread
from helpdesk.models import HelpDeskRequest, InboundEmail, RequestActivity, RequestAttachment
from inbox.models import OutboundEmail
from inbox.transitions import apply_transition

from .conftest import make_user

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "mail"
Status = HelpDeskRequest.Status
Outcome = InboundEmail.Outcome


@pytest.fixture(autouse=True)
def _mailbox(settings):
    settings.HELPDESK_EMAIL = "Local Progress Help Desk <helpdesk@localprogress.org>"
    settings.DEFAULT_FROM_EMAIL = "Local Progress Impact Lab <no-reply@localprogress.org>"
    settings.SERVER_EMAIL = settings.DEFAULT_FROM_EMAIL
    settings.HELPDESK_EMAIL_RATE = "5/h"


@pytest.fixture
def case(help_desk, staff, run):
    """A request waiting on the member, assigned to Hana, who asked a question."""
    obj = HelpDeskRequest.objects.create(
        page=help_desk,
        name="Dana Whitfield",
        email="dana.whitfield@gmail.com",
        role="staff",
        category="policy",
        question="Right to counsel for tenants",
        details="Which cities fund counsel in eviction cases?",
        status=Status.IN_PROGRESS,
        assignee=staff,
        form_data={},
    )
    run(apply_transition, obj, "reply", actor=staff, message="Can you tell us the expected number of filings?")
    run(apply_transition, obj, "wait", actor=staff)
    obj.refresh_from_db()
    assert obj.status == Status.WAITING_ON_MEMBER and obj.member_replied_at is None
    mail.outbox.clear()
    return obj


def dana_case(page, status):
    """Dana's request about right to counsel, in ``status``: the one the sample replies answer."""
    return HelpDeskRequest.objects.create(
        page=page,
        name="Dana Whitfield",
        email="dana.whitfield@gmail.com",
        role="staff",
        category="policy",
        question="Right to counsel for tenants",
        details="Which cities fund counsel?",
        status=status,
        form_data={},
    )


def sample(name, request_obj, *, sender=None):
    raw = (SAMPLES / name).read_bytes()
    raw = raw.replace(b"{{REFERENCE}}", request_obj.reference.encode())
    raw = raw.replace(b"{{REPLY_TO}}", mail_thread.reply_address(request_obj).encode())
    if sender:
        raw = raw.replace(b"dana.whitfield@gmail.com", sender.encode())
    return raw


def email(
    *,
    sender="Jordan Vega <jordan@example.org>",
    to="helpdesk@localprogress.org",
    subject="A question",
    body="Does anyone have a model tenant right-to-counsel ordinance?",
    headers=None,
    message_id=None,
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<{abs(hash((sender, subject, body)))}@example.org>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def member_entries(request_obj):
    return list(request_obj.activities.filter(kind=RequestActivity.Kind.MEMBER_UPDATE))


# Replies from real mail programs -------------------------------------------------------------------------------

WORDS = {
    "gmail_reply.eml": (
        "Hi,\n\nWe expect about 1,200 eviction filings a year — the clerk's office gave us the 2025 numbers.\n\n"
        "Could you send the Baltimore ordinance too?"
    ),
    "outlook_reply.eml": (
        "Good morning,\n\nAttached is the clerk’s summary: about 1,200 filings a year.\n\nThanks,\nDana\n\n"
        "Dana Whitfield | Chief of Staff\nOffice of Councilmember Lee | City of Durham\n"
        "101 City Hall Plaza, Durham, NC 27701"
    ),
    "apple_mail_reply.eml": "Yes — it passed first reading on Monday, 7–2.\n\nMaría",
    "iphone_reply.eml": "The vote is on the 14th. Can we talk before then?",
    "outlook_html_only.eml": "Our council voted 9–2 last night. Señora Ruiz sponsored it.\n\nJames",
}


@pytest.mark.parametrize("name", sorted(WORDS))
def test_a_reply_from_each_mail_program_joins_the_thread_with_only_the_new_words(name, case, run):
    raw = sample(name, case)
    record = run(inbound.receive, raw, source="imap")

    assert record.outcome == Outcome.JOINED and record.request == case
    [entry] = member_entries(case)
    assert entry.text == WORDS[name]  # no quoted thread, no "-- " signature, no "Sent from my iPhone"
    assert entry.data["via"] == "email"
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS  # it was waiting on the member
    assert case.member_replied_at == entry.created_at
    # Hana (the assignee) hears of it, with the words, and nobody else is emailed.
    [notice] = mail.outbox
    assert notice.to == ["hana@lp.example"]
    assert "replied by email" in notice.subject and WORDS[name].splitlines()[0] in notice.body
    assert record.raw.read() == raw  # kept as received


def test_the_attachment_is_kept_privately_and_only_help_desk_staff_download_it(case, run, client, staff):
    run(inbound.receive, sample("outlook_reply.eml", case), source="imap")
    [notice] = mail.outbox
    assert "Attached (on the case's page): Eviction filings 2025.pdf" in notice.body
    [attachment] = RequestAttachment.objects.filter(request=case)
    assert attachment.filename == "Eviction filings 2025.pdf" and attachment.content_type == "application/pdf"
    assert attachment.activity == member_entries(case)[0]
    assert "media" not in attachment.file.storage.location.split("/")[-1]
    url = f"/admin/helpdesk/attachment/{attachment.pk}/"

    assert client.get(url)["Location"].startswith("/admin/login/")
    editor = make_user("ed", "Editors")
    client.force_login(editor)
    assert client.get(url)["Location"] == "/admin/"  # Wagtail's answer to a permission denied
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")

    page = client.get(f"/admin/helpdesk/helpdeskrequest/inspect/{case.pk}/")
    assert "Eviction filings 2025.pdf" in page.content.decode() and url in page.content.decode()
    assert "by email" in page.content.decode()


def test_a_resolved_case_reopens_and_unassigned_the_help_desk_staff_hear(case, run, staff):
    colleague = make_user("omar", "Help Desk staff")
    HelpDeskRequest.objects.filter(pk=case.pk).update(status=Status.RESOLVED, assignee=None)
    run(inbound.receive, sample("iphone_reply.eml", case), source="imap")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    [notice] = mail.outbox
    assert sorted(notice.to) == sorted([staff.email, colleague.email])


def test_a_forged_reply_address_adds_nothing_and_is_kept_as_spam(case, run):
    raw = sample("gmail_reply.eml", case).replace(
        mail_thread.reply_address(case).encode(), f"helpdesk+{case.reference}.0000000000@localprogress.org".encode()
    )
    record = run(inbound.receive, raw, source="imap")
    assert record.outcome == Outcome.SPAM and "never gave out" in record.reason
    assert member_entries(case) == []
    case.refresh_from_db()
    assert case.status == Status.WAITING_ON_MEMBER
    kept = record.request
    assert kept != case and kept.status == Status.SPAM and kept.spam_reason == record.reason
    assert mail.outbox == []  # nobody is told


def test_a_threaded_reply_joins_only_from_the_request_s_own_address(case, run):
    headers = {"In-Reply-To": mail_thread.thread_id(case), "References": mail_thread.thread_id(case)}
    record = run(
        inbound.receive, email(sender="dana.whitfield@gmail.com", headers=headers).as_bytes(), source="postmark"
    )
    assert record.outcome == Outcome.JOINED and record.request == case
    stranger = run(inbound.receive, email(sender="eve@example.net", headers=headers).as_bytes(), source="imap")
    assert stranger.outcome == Outcome.OPENED and stranger.request != case  # a Message-ID is no secret


def test_a_new_email_opens_a_request_acknowledged_with_its_reference_and_link(help_desk, staff, run):
    record = run(inbound.receive, email(subject="Fwd: Tenant counsel?").as_bytes(), source="imap")
    assert record.outcome == Outcome.OPENED
    new = record.request
    assert new.channel == HelpDeskRequest.Channel.EMAIL and new.status == Status.NEW
    assert (new.name, new.email, new.question) == ("Jordan Vega", "jordan@example.org", "Tenant counsel?")
    assert new.details == "Does anyone have a model tenant right-to-counsel ordinance?"
    [ack] = [m for m in mail.outbox if m.to == ["jordan@example.org"]]
    assert new.reference in ack.subject and "/helpdesk/request/" in ack.body
    assert ack.extra_headers["Auto-Submitted"] == "auto-generated"
    assert ack.reply_to == [mail_thread.reply_address(new)]
    assert [m for m in mail.outbox if m.to == [staff.email]]  # staff hear of a new request


def test_too_many_new_requests_from_one_address_are_kept_as_spam_unanswered(help_desk, run):
    outcomes = [
        run(inbound.receive, email(subject=f"Question {n}").as_bytes(), source="imap").outcome for n in range(7)
    ]
    assert outcomes == [Outcome.OPENED] * 5 + [Outcome.SPAM] * 2
    assert len([m for m in mail.outbox if m.to == ["jordan@example.org"]]) == 5
    assert "HELPDESK_EMAIL_RATE" not in InboundEmail.objects.filter(outcome=Outcome.SPAM).first().reason


def test_mail_the_server_or_service_calls_spam_is_kept_as_spam(help_desk, run):
    flagged = run(inbound.receive, email(headers={"X-Spam-Flag": "YES"}).as_bytes(), source="imap")
    assert flagged.outcome == Outcome.SPAM and "X-Spam-Flag" in flagged.reason
    verdict = run(
        inbound.receive,
        email(subject="other").as_bytes(),
        source="mailgun",
        spam_verdict="The email service flagged it as spam",
    )
    assert verdict.outcome == Outcome.SPAM and verdict.request.status == Status.SPAM
    assert mail.outbox == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
    ],
)
def test_automatic_mail_never_reopens_opens_or_answers(headers, case, run):
    to = mail_thread.reply_address(case)
    record = run(
        inbound.receive,
        email(sender="dana.whitfield@gmail.com", to=to, subject="Out of office", headers=headers).as_bytes(),
        source="imap",
    )
    assert record.outcome == Outcome.AUTOMATIC and record.request is None
    case.refresh_from_db()
    assert case.status == Status.WAITING_ON_MEMBER and member_entries(case) == []
    assert mail.outbox == [] and HelpDeskRequest.objects.count() == 1


def test_a_bounce_is_ignored(help_desk, run):
    raw = (
        b"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\nTo: helpdesk@localprogress.org\r\n"
        b"Subject: Delivery Status Notification (Failure)\r\nMessage-ID: <bounce-1@mx.google.com>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nAddress not found\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; googlemail.com\r\n\r\n--b--\r\n"
    )
    record = run(inbound.receive, raw, source="imap")
    assert record.outcome == Outcome.AUTOMATIC and HelpDeskRequest.objects.count() == 0 and mail.outbox == []


def test_mail_from_the_site_itself_is_a_loop_and_ignored(help_desk, run):
    for sender in ("no-reply@localprogress.org", "helpdesk@localprogress.org"):
        record = run(inbound.receive, email(sender=sender, subject=sender).as_bytes(), source="imap")
        assert record.outcome == Outcome.LOOP
    assert HelpDeskRequest.objects.count() == 0 and mail.outbox == []


def test_the_same_message_twice_is_received_once(case, run):
    raw = sample("apple_mail_reply.eml", case)
    first = run(inbound.receive, raw, source="postmark")
    again = run(inbound.receive, raw, source="imap")
    assert again.pk == first.pk and InboundEmail.objects.count() == 1
    assert len(member_entries(case)) == 1 and len(mail.outbox) == 1


# Bad input: a clear outcome, never an exception or a lost message ----------------------------------------------


def test_a_30_mb_attachment_is_refused_the_words_join_and_the_member_is_told(case, run, settings):
    message = email(
        sender="dana.whitfield@gmail.com",
        to=mail_thread.reply_address(case),
        subject="Re: filings",
        body="Here is the whole docket.",
    )
    message.add_attachment(
        b"%PDF-1.4" + b"0" * (30 * 1024 * 1024), maintype="application", subtype="pdf", filename="docket.pdf"
    )
    message.add_attachment(b"MZ\x90", maintype="application", subtype="octet-stream", filename="setup.exe")
    record = run(inbound.receive, message.as_bytes(), source="imap")

    assert record.outcome == Outcome.JOINED
    [entry] = member_entries(case)
    assert entry.text == "Here is the whole docket."
    assert entry.data["refused"] == [
        "docket.pdf: 30 MB, over the 10 MB limit",
        "setup.exe: a type the Help Desk does not accept",
    ]
    assert RequestAttachment.objects.count() == 0
    [told] = [m for m in mail.outbox if m.to == [case.email]]
    assert "docket.pdf: 30 MB, over the 10 MB limit" in told.body and told.extra_headers["Auto-Submitted"]
    assert record.size > 30 * 1024 * 1024 and record.raw.size == record.size  # the email itself is kept


def test_malformed_mime_still_reaches_a_person(help_desk, run):
    raw = (
        b"From: Jordan Vega <jordan@example.org>\r\nTo: helpdesk@localprogress.org\r\nSubject: Broken\r\n"
        b"Message-ID: <broken@example.org>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n'
        b"--never-closed\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease call me about the ordinance.\r\n"
        b'--never-closed\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n'
        b'Content-Disposition: attachment; filename="x.pdf"\r\n\r\n%%%not base64%%%\r\n'
    )
    record = run(inbound.receive, raw, source="imap")
    assert record.outcome == Outcome.OPENED
    assert record.request.details.startswith("Please call me about the ordinance.")


def test_garbage_is_kept_as_unreadable(db, run):
    record = run(inbound.receive, b"\x00\xff\xfe garbage \r\n\r\n\x80\x81", source="imap")
    assert record.outcome == Outcome.UNREADABLE and record.raw.size > 0
    assert record.message_id.startswith("<sha256.")


def test_a_non_utf8_charset_is_read_and_an_unknown_one_keeps_the_words(help_desk, run):
    latin = (
        b"From: =?iso-8859-1?q?Se=F1ora_Ru=EDz?= <ruiz@example.org>\r\nTo: helpdesk@localprogress.org\r\n"
        b"Subject: =?iso-8859-1?q?Pregunta_sobre_la_ordenanza?=\r\nMessage-ID: <latin@example.org>\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ) + "¿Tienen un modelo de ordenanza? Gracias – Señora Ruíz".encode("cp1252")
    record = run(inbound.receive, latin, source="imap")
    assert record.request.name == "Señora Ruíz" and record.request.question == "Pregunta sobre la ordenanza"
    assert record.request.details == "¿Tienen un modelo de ordenanza? Gracias – Señora Ruíz"

    unknown = (
        b"From: jo@example.org\r\nTo: helpdesk@localprogress.org\r\nSubject: hi\r\nMessage-ID: <unk@example.org>\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nPlain words \xe2\x80\x94 and a dash\r\n"
    )
    record = run(inbound.receive, unknown, source="imap")
    assert record.request.details == "Plain words — and a dash"


def test_a_header_injection_in_the_subject_stays_one_line(help_desk, run):
    raw = (
        b"From: jo@example.org\r\nTo: helpdesk@localprogress.org\r\nMessage-ID: <inject@example.org>\r\n"
        b"Subject: =?utf-8?q?Hello=0D=0ABcc=3A_victim=40example=2Ecom=0D=0A=0D=0Abody?=\r\n\r\nHi\r\n"
    )
    record = run(inbound.receive, raw, source="imap")
    assert record.outcome == Outcome.OPENED
    assert "\n" not in record.request.question and "\r" not in record.request.question
    [ack] = [m for m in mail.outbox if m.to == ["jo@example.org"]]
    assert ack.bcc == [] and "victim" not in str(ack.message()["Bcc"] or "")
    assert OutboundEmail.objects.filter(to=["jo@example.org"]).count() == 1


def test_an_html_only_new_email_becomes_text(help_desk, run):
    message = EmailMessage()
    message["From"] = "jo@example.org"
    message["To"] = "helpdesk@localprogress.org"
    message["Subject"] = "HTML"
    message["Message-ID"] = "<html-only@example.org>"
    message.set_content("<p>First line</p><p>Second <b>bold</b> line<br>third</p><script>x()</script>", subtype="html")
    record = run(inbound.receive, message.as_bytes(), source="imap")
    assert record.request.details == "First line\n\nSecond bold line\nthird"


def test_an_email_to_a_purged_request_opens_a_new_one(case, run):
    from helpdesk.privacy import anonymise

    raw = sample("iphone_reply.eml", case)
    HelpDeskRequest.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    anonymise(HelpDeskRequest.objects.get(pk=case.pk))
    record = run(inbound.receive, raw, source="imap")
    assert record.outcome == Outcome.OPENED and record.request != case
    assert "personal data has been removed" in record.request.details


def test_the_member_page_shows_an_emailed_reply_as_theirs(case, run, client):
    run(inbound.receive, sample("outlook_reply.eml", case), source="imap")
    from helpdesk.cases import member_path

    page = client.get(member_path(case)).content.decode()
    assert "Attached is the clerk’s summary" in page and "Your email" in page
    assert "Eviction filings 2025.pdf" in page


def test_base64_attachment_round_trip(case, run):
    """What is kept is byte for byte what the member sent."""
    content = bytes(range(256)) * 100
    message = email(sender="dana.whitfield@gmail.com", to=mail_thread.reply_address(case), subject="Re: x")
    message.add_attachment(content, maintype="image", subtype="png", filename="chart.png")
    run(inbound.receive, message.as_bytes(), source="imap")
    [attachment] = RequestAttachment.objects.all()
    assert attachment.file.read() == content and attachment.size == len(content)


def test_the_purge_removes_emailed_files_and_messages(case, run, settings):
    import datetime

    from django.utils import timezone

    from helpdesk.privacy import purge

    settings.HELPDESK_RETENTION_DAYS = 30
    joined = run(inbound.receive, sample("outlook_reply.eml", case), source="imap")
    ignored = run(inbound.receive, email(headers={"Auto-Submitted": "auto-replied"}).as_bytes(), source="imap")
    [attachment] = RequestAttachment.objects.all()
    storage, names = attachment.file.storage, [attachment.file.name, joined.raw.name, ignored.raw.name]
    long_ago = timezone.now() - datetime.timedelta(days=31)
    HelpDeskRequest.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=long_ago)
    InboundEmail.objects.update(received_at=long_ago)

    assert purge() == [case.reference]
    assert RequestAttachment.objects.count() == 0
    assert not any(storage.exists(name) for name in names)
    for record in InboundEmail.objects.all():
        assert (record.sender, record.raw.name) == ("", "") and "Right to counsel" not in record.subject
    assert set(InboundEmail.objects.values_list("outcome", flat=True)) == {Outcome.JOINED, Outcome.AUTOMATIC}


def test_staff_find_every_email_received_in_settings_and_download_it(case, run, client, staff):
    raw = email(sender="dana.whitfield@gmail.com", subject="Out of office", headers={"Auto-Submitted": "auto-replied"})
    record = run(inbound.receive, raw.as_bytes(), source="imap")
    editor = make_user("ed", "Editors")
    client.force_login(editor)
    assert client.get("/admin/helpdesk/inboundemail/")["Location"] == "/admin/"

    client.force_login(staff)
    listing = client.get("/admin/helpdesk/inboundemail/").content.decode()
    assert "Out of office" in listing and "Automatic mail: ignored" in listing
    page = client.get(f"/admin/helpdesk/inboundemail/inspect/{record.pk}/").content.decode()
    assert "Auto-Submitted: auto-replied" in page
    download = client.get(f"/admin/helpdesk/inboundemail/raw/{record.pk}/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == raw.as_bytes()
