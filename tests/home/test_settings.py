"""Settings: production hardening, DATABASE_URL everywhere, migrations in sync."""

import os
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

EXAMPLE_PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lpsite.settings.production",
    "SECRET_KEY": "k8#Qz!v2$Lr9@pW4^nT6&yB1*eH3(uJ5)mC7-sD0_fG2+aX4=oI6",
    "ALLOWED_HOSTS": "www.localprogress.example",
    "CSRF_TRUSTED_ORIGINS": "https://www.localprogress.example",
    "DATABASE_URL": "sqlite:///" + str(Path(tempfile.gettempdir()) / "lpsite-check-deploy.sqlite3"),
    "EMAIL_HOST": "smtp.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "ADMINS": "Ops <ops@localprogress.example>",
}


def run_manage(*args, env_overrides, unset=()):
    env = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_passes_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=EXAMPLE_PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_nobody_would_hear_of_server_errors():
    env = {k: v for k, v in EXAMPLE_PRODUCTION_ENV.items() if k != "ADMINS"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env, unset=("ADMINS",))
    assert result.returncode != 0
    assert "lpsite.W001" in result.stderr + result.stdout
    assert "ADMINS is empty" in result.stderr + result.stdout


def test_production_behind_a_tls_proxy_still_passes():
    env = {**EXAMPLE_PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "false"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in EXAMPLE_PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env_overrides=env, unset=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("module", ["dev", "test", "production"])
def test_every_settings_module_honours_database_url(module):
    env = {
        **EXAMPLE_PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": f"lpsite.settings.{module}",
        "DATABASE_URL": "postgres://someone:secret@db.internal:5433/lpsite",
    }
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; d=s.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])",
        env_overrides=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.internal", "5433", "lpsite"]


def test_without_database_url_settings_use_sqlite():
    env = {"DJANGO_SETTINGS_MODULE": "lpsite.settings.dev"}
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])",
        env_overrides=env,
        unset=("DATABASE_URL",),
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
