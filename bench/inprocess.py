"""Shared start of the in-process benchmarks (library.py, pages.py): Django with the test settings, on the
database of DATABASE_URL, or a fresh SQLite file in a temporary directory when it is unset. Not a
benchmark itself: ``make bench`` skips it."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_tmpdir = None


def setup():
    global _tmpdir
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpsite.settings.test")
    if not os.environ.get("DATABASE_URL"):
        _tmpdir = tempfile.TemporaryDirectory(prefix="lpsite-bench-")  # removed when the process ends
        os.environ["DATABASE_URL"] = f"sqlite:///{_tmpdir.name}/bench.sqlite3"
    import django

    django.setup()
