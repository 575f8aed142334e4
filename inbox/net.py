"""The client's address, for every limiter (public forms, staff login, "email me my link").

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address
it received the request from to ``X-Forwarded-For``. Everything to the left of
what our own proxies added was written by the client and proves nothing, so
the address is the entry ``TRUSTED_PROXY_COUNT`` places from the right, never
the leftmost. With no trusted proxy (the default) it is ``REMOTE_ADDR``.

Every rate limit and lockout calls :func:`client_ip`; a new limiter must too,
so that one setting decides who "one client" is everywhere.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger("lpsite.security")

UNKNOWN = "unknown"


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def trusted_proxy_count():
    return max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0), 0)


_warned_about_proxies = False


def _warn_once_about_an_untrusted_proxy(request):
    """A proxy is in front (it wrote X-Forwarded-For) but none is trusted: every client then has the proxy's
    address, and shares its limits with everyone. Said once per process (docs/security.md)."""
    global _warned_about_proxies
    if not _warned_about_proxies and request.META.get("HTTP_X_FORWARDED_FOR"):
        _warned_about_proxies = True
        logger.warning(
            "Requests carry X-Forwarded-For but TRUSTED_PROXY_COUNT is 0: every client counts as %s for the "
            "rate limits and the sign-in lockout. Set TRUSTED_PROXY_COUNT to the number of proxies in front.",
            request.META.get("REMOTE_ADDR"),
        )


def client_ip(request):
    """The address the trusted proxy saw the request come from (``REMOTE_ADDR`` without one)."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR") or "") or UNKNOWN
    proxies = trusted_proxy_count()
    if not proxies:
        _warn_once_about_an_untrusted_proxy(request)
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # The Nth entry from the right was added by the outermost trusted proxy. A
    # shorter header holds only proxy-written entries: the leftmost is the nearest
    # the client we know.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid_ip(candidate) or remote


def client_ip_or_none(request):
    """:func:`client_ip` for django-axes, which stores addresses in an IP column: None when unknown."""
    address = client_ip(request)
    return None if address == UNKNOWN else address
