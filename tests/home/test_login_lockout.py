"""Staff sign-in brute force: lockout per username and per address, unlock, log line; rate-limited reset."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def admin_user(home_page):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)


def sign_in(password, username="admin", ip="203.0.113.5", client=None, forwarded=None):
    client = client or Client()
    extra = {"REMOTE_ADDR": ip}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def test_a_right_password_signs_in(admin_user):
    response = sign_in(PASSWORD)
    assert response.status_code == 302


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(admin_user, settings, caplog):
    with caplog.at_level(logging.WARNING, logger="lpsite.security"):
        answers = [sign_in(f"wrong-{i}").status_code for i in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # Wagtail's "wrong password" form
    assert answers[-1] == 429
    response = sign_in(PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    assert any("Staff login locked out" in r.message and "'admin'" in r.message for r in caplog.records)


def test_the_username_stays_locked_from_another_address(admin_user, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(f"wrong-{i}", ip=f"198.51.100.{i}")
    assert sign_in(PASSWORD, ip="192.0.2.77").status_code == 429


def test_one_address_guessing_many_usernames_is_locked_out(admin_user, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", username=f"user{i}")
    assert sign_in(PASSWORD, username="admin").status_code == 429
    assert sign_in(PASSWORD, username="admin", ip="192.0.2.8").status_code == 302


def test_the_address_is_the_one_our_proxy_saw(admin_user, settings):
    """A client writing a new X-Forwarded-For each time is still one address."""
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", username=f"user{i}", ip="10.0.0.1", forwarded=f"1.1.1.{i}, 203.0.113.9")
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").count() == settings.AXES_FAILURE_LIMIT
    assert sign_in(PASSWORD, ip="10.0.0.1", forwarded="9.9.9.9, 203.0.113.9").status_code == 429


def test_the_lockout_cools_off(admin_user, settings):
    import datetime

    import time_machine
    from django.utils import timezone

    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(f"wrong-{i}")
    assert sign_in(PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)):
        assert sign_in(PASSWORD).status_code == 302


def test_an_administrator_unlocks_from_the_admin(admin_user, settings, caplog):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(f"wrong-{i}")
    assert sign_in(PASSWORD).status_code == 429

    other_admin = get_user_model().objects.create_superuser("lead", "lead@example.org", "x")
    staff = Client()
    staff.force_login(other_admin)
    page = staff.get("/admin/lockouts/")
    assert page.status_code == 200
    assert "Locked out" in page.content.decode()
    assert "admin" in page.content.decode()
    attempt = AccessAttempt.objects.filter(username="admin").first()
    with caplog.at_level(logging.WARNING, logger="lpsite.security"):
        response = staff.post(f"/admin/lockouts/{attempt.pk}/unlock/")
    assert response.status_code == 302
    assert any("unlocked by lead" in r.message for r in caplog.records)
    assert sign_in(PASSWORD).status_code == 302


def test_only_those_allowed_see_or_use_the_unlock_view(admin_user, django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(editor)
    sign_in("wrong")
    listing = client.get("/admin/lockouts/")
    assert listing.status_code in (302, 403)  # Wagtail sends staff without the right back to the dashboard
    assert b"203.0.113.5" not in listing.content
    attempt = AccessAttempt.objects.get()
    assert client.post(f"/admin/lockouts/{attempt.pk}/unlock/").status_code in (302, 403)
    assert AccessAttempt.objects.exists()
    assert "Login lockouts" not in client.get("/admin/").content.decode()


def test_password_reset_requests_are_rate_limited(admin_user, settings, mailoutbox):
    settings.PASSWORD_RESET_RATE_LIMIT = "3/h"
    client = Client(REMOTE_ADDR="203.0.113.5")
    statuses = [client.post("/admin/password_reset/", {"email": "admin@example.org"}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mailoutbox) == 3
    response = client.post("/admin/password_reset/", {"email": "admin@example.org"})
    assert "Too many password reset requests" in response.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.1")
    assert other.post("/admin/password_reset/", {"email": "admin@example.org"}).status_code == 302


def test_a_request_without_an_address_still_signs_in(admin_user):
    """A socket without REMOTE_ADDR (or force_login's bare request) must not break the login records."""
    from django.http import HttpRequest

    from home.net import client_ip_or_none

    assert client_ip_or_none(HttpRequest()) is None
    client = Client(REMOTE_ADDR="")
    assert sign_in(PASSWORD, ip="", client=client).status_code == 302
    staff = Client()
    staff.force_login(admin_user)
    assert staff.get("/admin/lockouts/").status_code == 200
