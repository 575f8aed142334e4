"""The test suite: fast hashing, in-memory email, tasks run at once."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, with_fragment_cache

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test set-up makes EMAIL_BACKEND its in-memory outbox whatever is set here, so what Django's mail
# API sends skips ours in tests unless a test sets EMAIL_BACKEND = inbox.emails.OutboxEmailBackend
# (tests/home/test_every_email_through_the_outbox.py). Our outbox delivers to the in-memory one.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = with_fragment_cache({"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
# The page cache is off in tests unless a test turns it on (tests/home/test_page_cache.py):
# query budgets measure rendering, not cache hits.
PAGE_CACHE_SECONDS = 0
# One folder per test process (pytest-xdist workers, or two runs at once): each removes its own at the end.
MEDIA_ROOT = BASE_DIR / ".test-media" / str(os.getpid())
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-media" / f"{os.getpid()}-private"
STORAGES = {**STORAGES, "private": {**STORAGES["private"], "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
LPSITE_DEMO_USERS = True
# Tests run on SQLite unless DATABASE_URL points elsewhere (CI runs both). On SQLite the test
# database is a file (one per test process), not shared-cache memory: threads of the concurrency
# test then see SQLite's real locking, as `make run` does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"lpsite-test-{os.getpid()}.sqlite3")
    }

# Static files come from the app finders here; whitenoise serves the collected
# files in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
