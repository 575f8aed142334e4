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
