"""Staff sign-in protection: django-axes wired into Wagtail's login, and a rate-limited password reset.

- Wrong passwords are counted per username *and* client address together
  (``inbox.net.client_ip``) by django-axes in the database. After
  ``AXES_FAILURE_LIMIT`` failures that account is locked out *from that address*
  for ``AXES_COOLOFF_TIME``: the login answers 429 with
  ``ops/admin/locked_out.html``, and a ``lpsite.security`` warning is logged.
  The owner signs in from their own address all the while: locking a username
  from anywhere let anyone keep any staff account locked with five wrong
  passwords every quarter of an hour.
- One address guessing across accounts is stopped by its own limit:
  ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from it, whatever the usernames,
  within the cool-off pause every sign-in from it (counted from the same
  database records).
- Staff with the right to delete access attempts (superusers) unlock people
  from Settings → Login lockouts (``ops/security_views.py``).
- Password reset requests are rate-limited per address
  (``PASSWORD_RESET_RATE_LIMIT``).
"""

import logging

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from wagtail.admin.views.account import PasswordResetView

from inbox.net import client_ip, client_ip_or_none
from inbox.spam import rate_limited

logger = logging.getLogger("lpsite.security")

LOCKED_OUT_MESSAGE = (
    "Too many failed sign-in attempts. Sign-in to this account from this address is paused for {minutes} minutes. "
    "If you need in sooner, ask a site administrator to unlock it."
)
ADDRESS_LOCKED_OUT_MESSAGE = (
    "Too many failed sign-in attempts from your address. Sign-in from it is paused for {minutes} minutes. "
    "If you need in sooner, ask a site administrator to unlock it."
)
RESET_LIMITED_MESSAGE = (
    "Too many password reset requests from your address. Please wait a while and try again, "
    "or ask a site administrator."
)


class LoginAttemptBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come through a web request.

    ``authenticate()`` called without a request (management commands, the
    test client's ``login()``) has no address to count, so it is left to the
    next backend instead of failing; every web login form passes the request.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        failures = address_failures(client_ip_or_none(request))
        if failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # As django-axes does for a locked account: its middleware answers with lockout_response.
            request.axes_locked_out = True
            request.lpsite_address_locked_out = True
            logger.warning(
                "Staff login paused for an address: ip=%s after %s failures across accounts",
                client_ip_or_none(request),
                failures,
            )
            raise AxesBackendPermissionDenied("Too many failed sign-ins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)


def address_failures(address, now=None):
    """Failed sign-ins from ``address``, whatever the usernames, within the cool-off (django-axes' records)."""
    if address is None:
        return 0
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    counted = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start")
    )
    return counted["failures"] or 0


def cooloff_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): 429, a clear message."""
    # Rendered now: django-axes' middleware is the innermost, so the response goes back through the others.
    message = ADDRESS_LOCKED_OUT_MESSAGE if getattr(request, "lpsite_address_locked_out", False) else LOCKED_OUT_MESSAGE
    return render(
        request, "ops/admin/locked_out.html", {"message": message.format(minutes=cooloff_minutes())}, status=429
    )


@receiver(user_locked_out, dispatch_uid="lpsite-log-lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.warning("Staff login locked out: username=%r ip=%s for %s minutes", username, ip_address, cooloff_minutes())


class RateLimitedPasswordResetView(PasswordResetView):
    """Wagtail's password reset, with requests counted per client address."""

    def post(self, request, *args, **kwargs):
        if rate_limited(request, scope="password-reset", rate=settings.PASSWORD_RESET_RATE_LIMIT):
            logger.warning("Password reset rate limit reached: ip=%s", client_ip(request))
            form = self.get_form()
            form.is_valid()
            form.add_error(None, RESET_LIMITED_MESSAGE)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)
