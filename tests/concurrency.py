"""One helper for the concurrency tests: start N threads at the same instant, each with its own connection.

On SQLite the test database is a file with the production options (``transaction_mode``
IMMEDIATE and a timeout, ``lpsite/settings``), so the threads meet SQLite's real
write lock; on PostgreSQL, its row locks.
"""

import threading

from django.db import connections


def run_together(count, act, prepare=None):
    """Run ``act(prepared)`` in ``count`` threads released together; returns ``(results, errors)``.

    ``prepare(n)`` (default: ``n`` itself) runs in thread ``n`` before the start line, so
    slow set-up (a test client, a form token) does not spread the burst out. Each thread
    closes its database connections when done; errors are collected as ``repr`` strings.
    """
    start = threading.Barrier(count)
    results, errors = [], []

    def worker(n):
        try:
            prepared = prepare(n) if prepare else n
            start.wait(timeout=30)
            results.append(act(prepared))
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors
