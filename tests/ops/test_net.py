"""One client address for every limiter: the entry our trusted proxy added, never the client's own."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from inbox.net import client_ip
from inbox.spam import rate_limited


def request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote the leftmost entries; one proxy appended the real address.
        (1, "1.2.3.4, 5.6.7.8, 203.0.113.9", "203.0.113.9"),
        # Two proxies: the outer one added the client, the inner one the outer proxy.
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        # Fewer entries than proxies: all were written by our proxies, the leftmost is nearest the client.
        (2, "203.0.113.9", "203.0.113.9"),
        # Garbage where the address should be: fall back to the connection's address.
        (1, "1.2.3.4, not-an-ip", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_address_is_counted_from_the_right(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request("10.0.0.2", forwarded)) == expected


def test_a_client_rewriting_x_forwarded_for_cannot_escape_the_form_limit(settings):
    """The attack from the report: a new leftmost entry each time got 10 of 10 posts through a 5/m limit."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.FORM_RATE_LIMIT = "5/m"
    cache.clear()
    limited = [rate_limited(request("10.0.0.2", f"198.51.100.{i}, 203.0.113.9")) for i in range(10)]
    assert limited.count(False) == 5
    assert limited[5:] == [True] * 5


def test_the_old_setting_means_one_trusted_proxy(monkeypatch):
    import importlib

    from lpsite.settings import base

    monkeypatch.setenv("FORM_RATE_LIMIT_TRUST_X_FORWARDED_FOR", "true")
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    try:
        assert importlib.reload(base).TRUSTED_PROXY_COUNT == 1
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
        assert importlib.reload(base).TRUSTED_PROXY_COUNT == 2
    finally:
        monkeypatch.undo()
        importlib.reload(base)
