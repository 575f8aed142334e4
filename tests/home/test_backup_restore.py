"""Nothing lost, provably: `make backup` then `make restore` into a fresh database serves the same site."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from wagtail.documents import get_document_model

from events.factories import EventPageFactory, TrainingIndexPageFactory
from events.registration.models import Registration
from home.spam import make_token

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


def run(script, *args, **env):
    result = subprocess.run(  # noqa: S603 - our own scripts
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def snapshot(client, urls):
    pages = {}
    for url in urls:
        response = client.get(url)
        html = BeautifulSoup(response.content, "html.parser")
        pages[url] = (response.status_code, html.title.get_text(" ", strip=True), html.h1.get_text(" ", strip=True))
    registrations = list(Registration.objects.order_by("pk").values_list("name", "email", "status", "manage_token"))
    return pages, registrations


def test_a_backup_restores_into_a_fresh_database_with_the_same_pages_and_submissions(home_page, tmp_path, settings):
    settings.FORM_RATE_LIMIT = None
    event = EventPageFactory(parent=TrainingIndexPageFactory(parent=home_page), title="Budget basics")
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
    document = get_document_model().objects.create(
        title="Handbook", file=ContentFile(b"The handbook, in full.", name="handbook.txt")
    )
    before = snapshot(client, ["/", event.url, "/trainings/"])
    assert before[1], "the registration was saved"

    prefix = run(
        "backup.sh",
        str(tmp_path / "backups"),
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    assert Path(prefix + ".dump").stat().st_size > 0
    assert Path(prefix + ".media.tar.gz").exists()

    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    restored_media = tmp_path / "media"
    try:
        run("restore.sh", prefix, DATABASE_URL=database_url(restored), MEDIA_ROOT=str(restored_media))
        connection.close()
        connection.settings_dict["NAME"] = restored
        settings.MEDIA_ROOT = restored_media
        after = snapshot(Client(), ["/", event.url, "/trainings/"])
        assert after == before
        restored_document = get_document_model().objects.get(pk=document.pk)
        assert restored_document.file.read() == b"The handbook, in full."
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')


def test_restore_refuses_a_missing_backup(tmp_path):
    result = subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "restore.sh"), str(tmp_path / "lpsite-nothing")],
        env={**os.environ, "DATABASE_URL": database_url("nowhere")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "not found" in result.stderr
    assert settings.DATABASES["default"]["NAME"] != "nowhere"
