"""Emails to a member about a request form one thread in their mail client, say when they are automatic, and
(with HELPDESK_EMAIL) carry a signed Reply-To that reaches the Help Desk (helpdesk/mail_thread.py)."""

import pytest
from django.core import mail

from helpdesk import mail_thread
from helpdesk.models import HelpDeskRequest
from inbox.emails import queue_email
from inbox.transitions import apply_transition

from .conftest import intake

pytestmark = pytest.mark.django_db


def to_member(address="jenn@example.org"):
    return [m for m in mail.outbox if m.to == [address]]


def test_the_acknowledgement_starts_the_thread_replies_join_it_and_reach_the_help_desk(
    client, help_desk, staff, settings, run
):
    settings.HELPDESK_EMAIL = "Help Desk <helpdesk@lp.example>"
    client.post("/help-desk/", intake())
    case = HelpDeskRequest.objects.get()
    [ack] = to_member()
    root = f"<helpdesk.{case.reference}@lp.example>"
    address = ack.reply_to[0]
    assert ack.extra_headers["Message-ID"] == root
    assert ack.extra_headers["Auto-Submitted"] == "auto-generated"  # no auto-responder answers it
    assert address.startswith(f"helpdesk+{case.reference}.") and address.endswith("@lp.example")
    assert mail_thread.request_for_reply_address(address) == case
    assert mail_thread.request_for_reply_address(f"Jenn <{address.upper()}>") == case  # as a client may write it
    # The email says so: the Reply button works (the site's contact address is not where answers go).
    assert "Or reply to this email: your answer joins your request." in ack.body
    html = ack.alternatives[0][0]
    assert f"Reply to this email to add to your request {case.reference}" in html and "Questions? Write" not in html

    mail.outbox.clear()
    run(apply_transition, case, "reply", actor=staff, message="Here are three ordinances.")
    [reply] = to_member()
    assert reply.extra_headers["In-Reply-To"] == root and reply.extra_headers["References"] == root
    assert "Auto-Submitted" not in reply.extra_headers  # a person wrote it
    assert reply.reply_to == [address]
    assert reply.extra_headers["Message-ID"] != root  # its own, on the site's domain


@pytest.mark.parametrize(
    "forged",
    [
        "helpdesk+HD-2026-0001.0000000000@lp.example",  # a made-up signature
        "other+{ref}.{sig}@lp.example",  # another mailbox
        "helpdesk+{ref}.{sig}@elsewhere.example",  # another domain
        "helpdesk+HD-2026-9999.{sig}@lp.example",  # another request, the signature of this one
        "helpdesk@lp.example",  # the plain address
        "not an address",
    ],
)
def test_a_forged_or_mistyped_reply_address_names_no_request(client, help_desk, settings, forged):
    settings.HELPDESK_EMAIL = "helpdesk@lp.example"
    client.post("/help-desk/", intake())
    case = HelpDeskRequest.objects.get()
    signature = mail_thread.reply_address(case).split(".")[-2].split("@")[0]
    assert mail_thread.request_for_reply_address(forged.format(ref=case.reference, sig=signature)) is None


def test_without_a_help_desk_mailbox_nothing_changes_but_the_thread(client, help_desk, settings):
    settings.HELPDESK_EMAIL = ""
    client.post("/help-desk/", intake())
    case = HelpDeskRequest.objects.get()
    [ack] = to_member()
    assert ack.reply_to == []
    assert "reply to this email" not in ack.body.lower()
    assert ack.extra_headers["Message-ID"].startswith(f"<helpdesk.{case.reference}@")
    assert mail_thread.reply_address(case) is None and mail_thread.request_for_reply_address("x@y.example") is None


def test_a_header_with_a_line_break_is_refused_before_anything_is_queued():
    with pytest.raises(ValueError, match="line break"):
        queue_email(["jenn@example.org"], "helpdesk/closed", {}, headers={"In-Reply-To": "<a@b>\r\nBcc: x@y.example"})
