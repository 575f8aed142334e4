"""Staff sign-in brute force: lockout per account and address together, a limit per address across accounts,
unlock, log line; rate-limited reset."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from inbox import net

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


def test_failures_from_one_address_never_lock_the_owner_out_of_their_own(admin_user, settings):
    """Locking a username from anywhere let anyone keep a staff account locked: now the pair is locked."""
    answers = [sign_in(f"wrong-{i}", ip="198.51.100.7").status_code for i in range(8)]
    assert answers[settings.AXES_FAILURE_LIMIT - 1 :] == [429] * (8 - settings.AXES_FAILURE_LIMIT + 1)
    assert sign_in(PASSWORD, ip="198.51.100.7").status_code == 429  # still paused from the guessing address
    assert sign_in(PASSWORD, ip="192.0.2.77").status_code == 302  # the owner, from their own
    # Failures spread over many addresses lock no address and never the account.
    for i in range(8):
        sign_in(f"wrong-{i}", ip=f"203.0.113.{100 + i}")
    assert sign_in(PASSWORD, ip="192.0.2.78").status_code == 302


def test_one_address_guessing_across_accounts_is_paused(admin_user, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for i in range(12):
        sign_in("wrong", username=f"user{i}")  # two wrong passwords a username: no account's own limit reached
    response = sign_in(PASSWORD, username="admin")
    assert response.status_code == 429 and "from your address" in response.content.decode()
    assert sign_in(PASSWORD, username="admin", ip="192.0.2.8").status_code == 302


def test_the_address_is_the_one_our_proxy_saw(admin_user, settings):
    """A client writing a new X-Forwarded-For each time is still one address."""
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", ip="10.0.0.1", forwarded=f"1.1.1.{i}, 203.0.113.9")
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").count() == 1
    assert sign_in(PASSWORD, ip="10.0.0.1", forwarded="9.9.9.9, 203.0.113.9").status_code == 429
    assert sign_in(PASSWORD, ip="10.0.0.1", forwarded="9.9.9.9, 192.0.2.1").status_code == 302  # the owner's


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

    from inbox.net import client_ip_or_none

    assert client_ip_or_none(HttpRequest()) is None
    client = Client(REMOTE_ADDR="")
    assert sign_in(PASSWORD, ip="", client=client).status_code == 302
    staff = Client()
    staff.force_login(admin_user)
    assert staff.get("/admin/lockouts/").status_code == 200


def test_a_proxy_nobody_trusts_is_named_in_the_log_once(admin_user, settings, caplog, monkeypatch):
    """Behind a proxy with TRUSTED_PROXY_COUNT=0 every client shares the proxy's address: the log says so."""
    monkeypatch.setattr(net, "_warned_about_proxies", False)
    settings.TRUSTED_PROXY_COUNT = 0
    with caplog.at_level(logging.WARNING, logger="lpsite.security"):
        for _ in range(3):
            sign_in("wrong", ip="10.0.0.1", forwarded="203.0.113.9")
    lines = [r.getMessage() for r in caplog.records if "TRUSTED_PROXY_COUNT is 0" in r.getMessage()]
    assert len(lines) == 1 and "10.0.0.1" in lines[0]
