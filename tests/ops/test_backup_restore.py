"""Nothing lost, provably: `make backup` then `make restore` into a fresh database serves the same site."""

import os
import stat
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from wagtail.documents import get_document_model

from collaborative.factories import CollaborativePageFactory, InterestPageFactory
from collaborative.interest import CollaborativeInterest
from events.factories import EventPageFactory, TrainingIndexPageFactory
from events.registration.models import Registration
from helpdesk import cases
from helpdesk.factories import HelpDeskPageFactory
from helpdesk.models import HelpDeskRequest
from inbox.spam import make_token
from library.factories import ResourceLibraryPageFactory
from tests.collaborative.conftest import answers
from tests.helpdesk.conftest import intake

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="backup and restore use pg_dump/pg_restore: PostgreSQL only (set DATABASE_URL=postgres://...)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]


def database_url(name):
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{name}"


def make(target, *args, **env):
    """`make <target>` as an operator runs it (silent, so the last line is the script's own output)."""
    result = subprocess.run(  # noqa: S603 - our own Makefile
        ["make", "--no-print-directory", "-s", "-C", str(ROOT), target, *args],  # noqa: S607
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def snapshot(client, urls):
    """Each page's status, title, h1 and the whole visible text of its main content; every submission."""
    pages = {}
    for url in urls:
        response = client.get(url)
        html = BeautifulSoup(response.content, "html.parser")
        main = html.find("main") or html.body
        pages[url] = (
            response.status_code,
            html.title.get_text(" ", strip=True),
            html.h1.get_text(" ", strip=True),
            main.get_text(" ", strip=True),
        )
    registrations = list(Registration.objects.order_by("pk").values_list("name", "email", "status", "manage_token"))
    requests = list(
        HelpDeskRequest.objects.order_by("pk").values_list(
            "reference", "name", "email", "question", "details", "status", "manage_token"
        )
    )
    interest = list(CollaborativeInterest.objects.order_by("pk").values_list("name", "email", "form_data", "status"))
    return pages, registrations, requests, interest


def test_a_backup_restores_into_a_fresh_database_with_the_same_pages_and_submissions(home_page, tmp_path, settings):
    settings.FORM_RATE_LIMIT = None
    settings.HELPDESK_NOTIFY_EMAILS = []
    event = EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page), title="Budget basics")
    help_desk = HelpDeskPageFactory(parent=home_page, library_page=ResourceLibraryPageFactory(parent=home_page))
    interest_page = InterestPageFactory(parent=CollaborativePageFactory(parent=home_page))
    client = Client()
    response = client.post(
        event.url + "register/",
        {
            "name": "Jenn Weaver",
            "email": "jenn@example.org",
            "role": "elected",
            "form_token": make_token(time.time() - 60),
        },
    )
    assert response.status_code == 303  # registered, then the confirmation page
    assert client.post(help_desk.url, intake()).status_code == 302
    assert client.post(interest_page.url, answers()).status_code == 302
    member_link = cases.member_path(HelpDeskRequest.objects.get())
    document = get_document_model().objects.create(
        title="Handbook", file=ContentFile(b"The handbook, in full.", name="handbook.txt")
    )
    urls = ["/", event.url, "/trainings/", help_desk.url, interest_page.url, member_link]
    before = snapshot(client, urls)
    _, registrations, requests, interest = before
    assert registrations and requests and interest, "the submissions were saved"
    assert "Examples of just-cause eviction ordinances?" in before[0][member_link][3]

    backups = tmp_path / "backups"
    prefix = make(
        "backup",
        f"BACKUP_DIR={backups}",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    assert prefix.startswith(str(backups / "lpsite-"))
    assert Path(prefix + ".dump").stat().st_size > 0
    assert Path(prefix + ".media.tar.gz").exists()
    # Every member's data: readable by the owner alone.
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    for suffix in (".dump", ".media.tar.gz"):
        assert stat.S_IMODE(Path(prefix + suffix).stat().st_mode) == 0o600, suffix

    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    restored_media = tmp_path / "media"
    try:
        make(f"BACKUP={prefix}", "restore", DATABASE_URL=database_url(restored), MEDIA_ROOT=str(restored_media))
        connection.close()
        connection.settings_dict["NAME"] = restored
        settings.MEDIA_ROOT = restored_media
        # Nothing cached from the old database may answer for the restored one.
        for cache in caches.all():
            cache.clear()
        after = snapshot(Client(), urls)
        assert after == before
        restored_document = get_document_model().objects.get(pk=document.pk)
        assert restored_document.file.read() == b"The handbook, in full."
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')


def test_restore_refuses_a_missing_backup(tmp_path):
    def restore(*args):
        return subprocess.run(  # noqa: S603
            ["make", "--no-print-directory", "-s", "-C", str(ROOT), "restore", *args],  # noqa: S607
            env={**os.environ, "DATABASE_URL": database_url("nowhere")},
            capture_output=True,
            text=True,
            check=False,
        )

    missing = restore(f"BACKUP={tmp_path / 'lpsite-nothing'}")
    assert missing.returncode != 0
    assert "not found" in missing.stderr
    unnamed = restore()
    assert unnamed.returncode != 0
    assert "usage: make restore BACKUP=" in unnamed.stdout
    assert settings.DATABASES["default"]["NAME"] != "nowhere"
