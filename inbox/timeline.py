"""A member timeline's entry and address (the view is ``inbox/members.py``): apart, so that the inbox admin,
which every inbox's entries come from, can use them without importing the view."""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils.http import urlencode


@dataclass
class Entry:
    when: datetime
    inbox: str  # "Help Desk", "Registrations", "Email sent"
    title: str
    status: str = ""
    url: str = ""
    details: list = field(default_factory=list)  # short lines: "Attended", "Resource: …"


def timeline_url(email):
    return reverse("inbox_member") + "?" + urlencode({"email": email})
