"""Settings → Login lockouts: who is locked out of the admin, and a button to unlock them."""

import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

logger = logging.getLogger("lpsite.security")

PERMISSION = "axes.delete_accessattempt"


def can_unlock(user):
    return user.is_active and user.has_perm(PERMISSION)


def _check(request):
    if not can_unlock(request.user):
        raise PermissionDenied


def is_locked(attempt, now=None):
    now = now or timezone.now()
    return (
        attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
        and attempt.attempt_time > now - settings.AXES_COOLOFF_TIME
    )


@require_safe
def lockouts(request):
    _check(request)
    now = timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gt=now - settings.AXES_COOLOFF_TIME).order_by("-attempt_time")
    rows = [{"attempt": attempt, "locked": is_locked(attempt, now)} for attempt in recent[:200]]
    return TemplateResponse(
        request,
        "ops/admin/lockouts.html",
        {
            "rows": rows,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@require_POST
def unlock(request, attempt_id):
    """Forget the failures of this username and of this address."""
    _check(request)
    attempt = get_object_or_404(AccessAttempt, pk=attempt_id)
    username, ip = attempt.username, attempt.ip_address
    count = reset(username=username) if username else 0
    count += reset(ip=ip) if ip else 0
    logger.warning("Staff login unlocked by %s: username=%r ip=%s", request.user.get_username(), username, ip)
    messages.success(request, f"Unlocked {username or 'the account'} ({ip}); {count} failed attempts forgotten.")
    return redirect("lpsite_lockouts")
