"""Production: everything from the environment, hardened for `check --deploy`.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. See README for the rest.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, SILENCED_SYSTEM_CHECKS, env, env_bool, env_int

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

DEBUG = False

# Media as base decides (local files, or object storage when AWS_STORAGE_BUCKET_NAME is set);
# static files hashed and precompressed, served by WhiteNoise with a one-year cache lifetime.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. Behind a proxy that terminates TLS and redirects itself, set
# SECURE_SSL_REDIRECT=false; the proxy must then send X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# Wagtail's live preview shows the page in a same-origin iframe, so frames
# stay allowed from this site only (SAMEORIGIN, not DENY).
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]
if not SECURE_SSL_REDIRECT:
    # The TLS-terminating proxy does the redirect (documented in README).
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# Production also pays for a persistent connection per worker.
WAGTAILADMIN_BASE_URL = env(
    "WAGTAILADMIN_BASE_URL",
    SITE_URL or "https://" + (env("ALLOWED_HOSTS", "localhost").split(",")[0]),  # noqa: F405
)
