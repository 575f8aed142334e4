"""A member's data request: everything about one address, exported (JSON) or erased.

- :func:`export` gathers every row each inbox holds about the address (its history, a Help Desk request's
  thread, attachments and emails received) and every email the site kept that names it, as JSON.
- :func:`erase` anonymises them under the Help Desk purge's rules (helpdesk/privacy.py): each row keeps its shape
  (status, dates, the session, the thread's steps) and loses the member's details and words; the emails lose
  their recipients, subject and text. After it the address is in no table (tests/inbox/test_member_data.py).

``manage.py member_data <email> --export file.json | --erase``, and for superusers the same two buttons on the
member's timeline (Admin → Inbox → Members), each logged in Wagtail's audit log with a digest of the address,
never the address itself (docs/security.md, "A member's data request").
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import OutboundEmail
from .registry import INBOXES

REMOVED = "(removed at the member's request)"


def normalise(email):
    return (email or "").strip().lower()


def digest(email):
    """A stand-in for the address in logs: the same address gives the same digest, which tells nothing."""
    return salted_hmac("lpsite.member-data", normalise(email)).hexdigest()[:16]


def emails_about(email):
    """Emails the site kept that were sent to the address or name it (a staff notice quoting it)."""
    quoted = f'"{email}"'
    return OutboundEmail.objects.filter(
        Q(to__icontains=quoted)
        | Q(cc__icontains=quoted)
        | Q(bcc__icontains=quoted)
        | Q(reply_to__icontains=quoted)
        | Q(subject__icontains=email)
        | Q(text_body__icontains=email)
        | Q(html_body__icontains=email)
    )


def export(email):
    email = normalise(email)
    return {
        "email": email,
        "exported_at": timezone.now(),
        "inboxes": {model_admin.get_menu_label(): model_admin.member_export(email) for model_admin in INBOXES},
        "emails_sent": [
            {
                "created_at": message.created_at,
                "sent_at": message.sent_at,
                "to": message.to,
                "subject": message.subject,
                "purpose": message.purpose,
                "status": message.status,
                "text": message.text_body,
            }
            for message in emails_about(email).order_by("created_at", "pk")
        ],
    }


def export_json(email):
    return json.dumps(export(email), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


@transaction.atomic
def erase(email):
    """Anonymise everything about ``email``; returns {what: how many}."""
    email = normalise(email)
    counts = {model_admin.get_menu_label(): model_admin.member_erase(email) for model_admin in INBOXES}
    counts["Emails"] = emails_about(email).update(
        to=[], cc=[], bcc=[], reply_to=[], subject=REMOVED, text_body="", html_body="", attachments=[], headers={}
    )
    return counts
