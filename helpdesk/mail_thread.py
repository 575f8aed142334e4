"""How the Help Desk's emails to a member thread and where the member's answers go.

- Every email to the member about a request names one thread: the acknowledgement's Message-ID is the
  request's own (``<helpdesk.HD-2026-0042@domain>``) and every later email carries it in ``In-Reply-To``
  and ``References``, so Gmail, Outlook and Apple Mail show one conversation.
- With ``HELPDESK_EMAIL`` set (the Help Desk's mailbox, e.g. ``helpdesk@localprogress.org``), they carry a
  Reply-To of the form ``helpdesk+HD-2026-0042.3f9a1c0b7e@localprogress.org``: the member's Reply button
  reaches the Help Desk's mailbox (mail servers deliver ``+`` addresses to the box before it), and the
  signature lets :func:`request_for_reply_address` tell a real reply address from a forged one. Unset,
  nothing changes (the site's sending address, no Reply-To).
- Mail the site sends by itself (the acknowledgement, the closing note) says so (``Auto-Submitted:
  auto-generated``, RFC 3834), so a member's auto-responder does not answer it.
"""

import re
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import constant_time_compare, salted_hmac

from inbox.emails import sending_domain

from .models import HelpDeskRequest

SALT = "lpsite.helpdesk.reply-address"
SIGNATURE_LENGTH = 10
AUTO = {"Auto-Submitted": "auto-generated"}


def _mailbox():
    """(local part, domain) of HELPDESK_EMAIL, or None when unset or not an address."""
    address = parseaddr(getattr(settings, "HELPDESK_EMAIL", "") or "")[1]
    try:
        validate_email(address)
    except ValidationError:
        return None
    local, _at, domain = address.rpartition("@")
    return local, domain


def _signature(reference):
    return salted_hmac(SALT, reference.upper()).hexdigest()[:SIGNATURE_LENGTH]


def _domain():
    mailbox = _mailbox()
    return mailbox[1] if mailbox else sending_domain()


def thread_id(request_obj):
    """The Message-ID every email about ``request_obj`` threads under (the acknowledgement's own)."""
    return f"<helpdesk.{request_obj.reference}@{_domain()}>"


def reply_address(request_obj):
    """``helpdesk+HD-2026-0042.<signature>@domain``, or None without HELPDESK_EMAIL."""
    mailbox = _mailbox()
    if mailbox is None or not request_obj.reference:
        return None
    local, domain = mailbox
    return f"{local}+{request_obj.reference}.{_signature(request_obj.reference)}@{domain}"


REPLY_ADDRESS = re.compile(
    r"^(?P<local>[^+@\s]+)\+(?P<reference>HD-\d{4}-\d{4,})\.(?P<signature>[0-9a-f]+)@(?P<domain>\S+)$", re.I
)


def is_reply_address(address):
    """Whether ``address`` is shaped like one of the Help Desk's reply addresses (``local+…@domain`` of
    HELPDESK_EMAIL), genuine or not."""
    mailbox = _mailbox()
    local, _at, domain = (address or "").lower().rpartition("@")
    return bool(mailbox and domain == mailbox[1].lower() and local.startswith(mailbox[0].lower() + "+"))


def own_addresses():
    """Addresses the site sends from: mail from one of them is the site's own, come back (a loop)."""
    found = {parseaddr(value or "")[1].lower() for value in (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL)}
    mailbox = _mailbox()
    if mailbox:
        found.add("@".join(mailbox).lower())
    return {address for address in found if address}


THREAD_ID = re.compile(r"^<helpdesk\.(?P<reference>HD-\d{4}-\d{4,})@(?P<domain>[^>]+)>$", re.I)


def reference_in_thread(message_ids):
    """The reference of the first of ``message_ids`` that is one of our threads' (``<helpdesk.REF@domain>``)."""
    for message_id in message_ids:
        match = THREAD_ID.match(message_id)
        if match and match["domain"].lower() == _domain().lower():
            return match["reference"].upper()
    return None


def request_for_reply_address(address):
    """The request a reply address names, if its signature is ours and the mailbox is HELPDESK_EMAIL; else None
    (a forged, stale or mistyped address adds nothing to any thread)."""
    mailbox = _mailbox()
    match = REPLY_ADDRESS.match(parseaddr(address or "")[1])
    if mailbox is None or match is None:
        return None
    if match["local"].lower() != mailbox[0].lower() or match["domain"].lower() != mailbox[1].lower():
        return None
    reference = match["reference"].upper()
    if not constant_time_compare(match["signature"].lower(), _signature(reference)):
        return None
    return HelpDeskRequest.objects.filter(reference=reference).first()


def to_member(request_obj, *, first=False, automatic=False):
    """``queue_email`` keyword arguments for an email to the member: its threading headers (the request's own
    Message-ID for the first, In-Reply-To/References after), Auto-Submitted for automatic mail, and the signed
    Reply-To when HELPDESK_EMAIL is set."""
    root = thread_id(request_obj)
    headers = {"Message-ID": root} if first else {"In-Reply-To": root, "References": root}
    if automatic:
        headers.update(AUTO)
    address = reply_address(request_obj)
    return {"headers": headers, "reply_to": [address] if address else []}
