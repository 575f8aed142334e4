"""Capacity holds under a burst of simultaneous registrations (PostgreSQL row locks)."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from events.factories import EventPageFactory
from events.registration.models import Registration
from home.spam import make_token

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so it cannot show the row lock at work",
    ),
]


def test_fifty_simultaneous_registrations_for_ten_seats(primers, settings):
    settings.FORM_RATE_LIMIT = None
    event = EventPageFactory(parent=primers, title="Burst", capacity=10)
    url = event.url + "register/"
    start = threading.Barrier(50)
    codes, errors = [], []

    def register(n):
        try:
            client = Client()
            data = {
                "name": f"Member {n}",
                "email": f"member{n}@example.org",
                "role": "staff",
                "form_token": make_token(time.time() - 30),
            }
            start.wait(timeout=30)
            codes.append(client.post(url, data).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert codes == [200] * 50
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 40
