"""Request hardening that must run before anything reads the request.

- A request declaring a character set other than UTF-8 (UTF-7, UTF-16,
  Latin-1, an unknown name…) gets the site's 400 page before the CSRF check or
  a view decodes its body or query string with it (Django would raise there,
  and again in its own 400 handler: a 500).
- A query string holding a NUL character gets the same 400: nobody types one,
  and PostgreSQL refuses it in any text comparison (a 500 wherever a view
  looks a parameter up in the database).
- The admin gets its own Content-Security-Policy (:class:`SiteCSPMiddleware`).
- Every response carries a ``Permissions-Policy`` header (``PERMISSIONS_POLICY``).
- A body over ``REQUEST_BODY_MAX_BYTES`` (Django's own 2.5 MB) gets 413 (:class:`BodySizeMiddleware`), but for
  two senders: staff uploading in the admin (files), and an email service posting a whole email (with
  attachments) to the Help Desk's inbound webhook with the webhook's basic auth. ``DATA_UPLOAD_MAX_MEMORY_SIZE``
  is raised for those (``HELPDESK_EMAIL_MAX_MB``); this middleware keeps everyone else to Django's default.
"""

import base64
import binascii
import codecs
from dataclasses import replace

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.utils.crypto import constant_time_compare

from home.views import bad_request

UTF8 = codecs.lookup("utf-8").name


def declared_charset_is_safe(request):
    content_type = request.META.get("CONTENT_TYPE", "")
    if "charset" not in content_type.lower():
        return True
    charset = request.content_params.get("charset")
    if charset is None:
        return True
    try:
        return codecs.lookup(charset.strip()).name == UTF8
    except LookupError:
        return False


def query_has_no_nul(request):
    return not any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


def permissions_policy_header(policy):
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class HardeningMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        if declared_charset_is_safe(request) and query_has_no_nul(request):
            response = self.get_response(request)
        else:
            response = bad_request(request)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        return response


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp with a second policy for the admin (``ADMIN_CONTENT_SECURITY_POLICY``).

    The public site gets ``CONTENT_SECURITY_POLICY``; paths under
    ``ADMIN_CSP_URL_PREFIXES`` get the admin's policy, which is looser only
    where Wagtail 8's admin needs it (see docs/security.md).
    """

    def get_policy_parts(self, request, response, report_only=False):
        """django-csp's own hook for a policy per response: the admin's where no view chose one."""
        parts = super().get_policy_parts(request, response, report_only=report_only)
        prefixes = tuple(getattr(settings, "ADMIN_CSP_URL_PREFIXES", ()))
        if not report_only and parts.config is None and prefixes and request.path_info.startswith(prefixes):
            return replace(parts, config=settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


def webhook_authorised(request):
    """The request carries the basic auth of ANYMAIL's WEBHOOK_SECRET ("user:password") on a webhook path."""
    secret = (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET")
    if not secret or not request.path.startswith(tuple(settings.LARGE_BODY_WEBHOOK_PATHS)):
        return False
    kind, _space, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    try:
        given = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    secrets_ = secret if isinstance(secret, list | tuple) else [secret]
    return kind.lower() == "basic" and any(constant_time_compare(given, allowed) for allowed in secrets_)


def staff_upload(request):
    return request.content_type == "multipart/form-data" and request.user.has_perm("wagtailadmin.access_admin")


class BodySizeMiddleware:
    """413 for a body over REQUEST_BODY_MAX_BYTES, unless it is a staff upload or an authorised webhook post."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then
        if length > settings.REQUEST_BODY_MAX_BYTES and not (webhook_authorised(request) or staff_upload(request)):
            return HttpResponse(
                "This request is larger than the site accepts.\n", status=413, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
