"""Capacity holds under a burst of simultaneous registrations: PostgreSQL row locks, SQLite's IMMEDIATE writer lock.

On SQLite (the embedded default) the same burst must neither overbook nor
answer 500 with "database is locked" (settings: ``transaction_mode`` IMMEDIATE
and a timeout).
"""

import time

import pytest
from django.db import connection
from django.test import Client

from events.factories import EventPageFactory
from events.registration.models import Registration
from inbox.spam import make_token
from tests.concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PEOPLE = 50 if connection.vendor == "postgresql" else 20


def test_simultaneous_registrations_never_overbook_nor_fail(primers, settings):
    settings.FORM_RATE_LIMIT = None
    event = EventPageFactory(parent=primers, title="Burst", capacity=10)
    url = event.url + "register/"

    def prepare(n):
        data = {
            "name": f"Member {n}",
            "email": f"member{n}@example.org",
            "role": "staff",
            "form_token": make_token(time.time() - 30),
        }
        return Client(), data

    def register(prepared):
        client, data = prepared
        return client.post(url, data).status_code

    codes, errors = run_together(PEOPLE, register, prepare)
    assert errors == []
    assert codes == [303] * PEOPLE  # each to its confirmation page, none a 500
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == PEOPLE - 10


def test_sqlite_takes_the_write_lock_at_the_start_and_waits_for_it():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
