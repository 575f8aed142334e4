"""Two posts of one Help Desk request at the same instant (a double-click) file one request: the second meets
the first's submission key at the unique index and gets the first (helpdesk/cases.py ``submit``)."""

import pytest
from django.db import connection
from django.test import Client

from helpdesk.models import HelpDeskRequest
from inbox.models import OutboundEmail
from tests.concurrency import run_together

from .conftest import intake

# Serialized like every transactional test here (tests/conftest.py): a plain flush would re-create rows the
# next serialized test restores.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's concurrent inserts (CI runs it)")
def test_a_double_click_at_the_same_instant_files_one_request(help_desk, settings):
    settings.FORM_RATE_LIMIT = None
    results, errors = run_together(4, lambda client: client.post("/help-desk/", intake()), prepare=lambda n: Client())
    assert errors == []
    assert [response.status_code for response in results] == [302] * 4
    assert len({response["Location"] for response in results}) == 1
    assert HelpDeskRequest.objects.count() == 1
    assert OutboundEmail.objects.filter(purpose="acknowledgement").count() == 1


def test_one_email_taken_by_four_readers_at_once_joins_once(help_desk, staff, settings):
    """A webhook's retry and a mailbox read (or two cron runs) meet at InboundEmail's unique Message-ID: one row,
    one entry in the thread, one notice."""
    from helpdesk import inbound
    from helpdesk.models import InboundEmail, RequestActivity

    from .test_email_in import dana_case, sample

    settings.HELPDESK_EMAIL = "helpdesk@localprogress.org"
    case = dana_case(help_desk, HelpDeskRequest.Status.WAITING_ON_MEMBER)
    raw = sample("gmail_reply.eml", case)
    results, errors = run_together(4, lambda n: inbound.receive(raw, source=f"reader-{n}"))
    assert errors == []
    assert len({record.pk for record in results}) == 1 and InboundEmail.objects.count() == 1
    assert RequestActivity.objects.filter(request=case, kind="member_update").count() == 1
    assert OutboundEmail.objects.filter(purpose="member_update").count() == 1
