"""Reference numbers stay unique and sequential under concurrent submissions (PostgreSQL and SQLite)."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from helpdesk.models import HelpDeskRequest, ReferenceCounter
from home.spam import make_token

from .conftest import intake

THREADS = 20


def run_together(fn, count):
    start = threading.Barrier(count)
    results, errors = [], []

    def worker(n):
        try:
            start.wait(timeout=30)
            results.append(fn(n))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the row lock is what this shows (the SQLite test below covers SQLite's write lock)",
)
def test_simultaneous_submissions_get_distinct_sequential_references_on_postgresql(help_desk, settings):
    settings.FORM_RATE_LIMIT = None

    def submit(n):
        data = intake(email=f"member{n}@example.org", form_token=make_token(time.time() - 30))
        return Client().post("/help-desk/", data).status_code

    codes, errors = run_together(submit, THREADS)
    assert errors == []
    assert codes == [302] * THREADS
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in HelpDeskRequest.objects.values_list("reference", flat=True))
    assert numbers == list(range(1, THREADS + 1))


def test_threaded_references_on_a_sqlite_file(tmp_path, django_db_blocker):
    """Threads on a real SQLite file (the test database is in memory, where SQLite locks differently)."""
    alias = "helpdesk_refs"
    config = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "refs.sqlite3"),
        "OPTIONS": {"timeout": 30},
    }
    connections.settings[alias] = connections.configure_settings({"default": dict(config), alias: config})[alias]
    try:
        with django_db_blocker.unblock():
            with connections[alias].schema_editor() as editor:
                editor.create_model(ReferenceCounter)
            refs, errors = run_together(lambda n: ReferenceCounter.next_reference(2026, using=alias), THREADS)
            connections[alias].close()
    finally:
        del connections.settings[alias]
    assert errors == []
    assert sorted(refs) == [f"HD-2026-{n:04d}" for n in range(1, THREADS + 1)]
