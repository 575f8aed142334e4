"""Reference numbers stay unique and sequential under concurrent submissions (PostgreSQL and SQLite).

Threads post the real form at the same instant, through the whole submit path
(spam defence, ``cases.submit``, the reference, the emails). On SQLite the test
database is a file with the production options (``transaction_mode`` IMMEDIATE,
a timeout: ``lpsite/settings``), so they meet SQLite's real write lock; on
PostgreSQL, the counter row's lock.
"""

import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from helpdesk.models import HelpDeskRequest
from inbox.models import OutboundEmail
from inbox.spam import make_token
from tests.concurrency import run_together

from .conftest import intake

THREADS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_submissions_get_distinct_sequential_references(help_desk):
    if connection.vendor == "sqlite":
        options = connection.settings_dict["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"  # the production setting, not a test-only one

    def prepare(n):
        return Client(), intake(email=f"member{n}@example.org", form_token=make_token(time.time() - 30))

    def submit(prepared):
        client, data = prepared
        return client.post("/help-desk/", data).status_code

    codes, errors = run_together(THREADS, submit, prepare)
    assert errors == []
    assert codes == [302] * THREADS  # each to its thank-you page, none a 500 ("database is locked")
    year = timezone.localdate().year
    references = sorted(HelpDeskRequest.objects.values_list("reference", flat=True))
    assert references == [f"HD-{year}-{n:04d}" for n in range(1, THREADS + 1)]
    assert HelpDeskRequest.objects.filter(status="new").count() == THREADS
    acknowledgements = OutboundEmail.objects.filter(purpose="acknowledgement").values_list("to", flat=True)
    assert sorted(to for [to] in acknowledgements) == sorted(f"member{n}@example.org" for n in range(THREADS))
