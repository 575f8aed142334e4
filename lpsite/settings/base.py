"""Settings shared by every environment.

Safe for production on its own: no literal secret, ``DEBUG`` off, hosts and
database taken from the environment. ``dev`` and ``test`` override what they
need; ``production`` adds the hardening that ``check --deploy`` asks for.
"""

import base64
import hashlib
import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name, default=None):
    """A string from the environment; empty counts as unset."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default=None):
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "search",
    "inbox",
    "ops",
    "library",
    "taxonomy",
    "news",
    "reports",
    "events",
    "helpdesk",
    "collaborative",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "anymail",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: /healthz is answered before redirects, host checks, sessions or logging.
    "ops.health.HealthCheckMiddleware",
    # HTML compressed on the way out, cache hits included (static files come precompressed from WhiteNoise).
    # Django masks the CSRF token per response, which defeats BREACH against it.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ops.middleware.HardeningMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous GET/HEAD pages from the cache (home/cache.py); after CSRF, whose cookie it relies on.
    "home.cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # 413 for a large body, but staff uploads and the Help Desk's inbound webhooks (ops/middleware.py).
    "ops.middleware.BodySizeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ops.middleware.SiteCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lpsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # {% csrf_token %} on cached public pages: a placeholder filled per visitor (home/cache.py).
                "home.cache.csrf_placeholder",
            ],
        },
    },
]

WSGI_APPLICATION = "lpsite.wsgi.application"

# Database: DATABASE_URL (e.g. postgres://user:pass@host:5432/lpsite), or an
# SQLite file in the project directory when it is unset.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must hold under concurrent writers too: IMMEDIATE takes the write
    # lock when a transaction starts (so two registrations queue instead of failing with
    # "database is locked" when one upgrades its read lock), writers wait up to
    # SQLITE_TIMEOUT seconds for it, and WAL lets pages be read while someone registers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis in production (REDIS_URL), local memory otherwise. The spam
# defence's rate limit counts through it, and the page cache's invalidation
# reaches the other processes only through it: production refuses (a deploy
# check error, home/cache.py) a cache each process keeps to itself.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            # django-redis, with an outage that degrades instead of failing (ops/cache_backend.py).
            "BACKEND": "ops.cache_backend.ResilientRedisCache",
            "LOCATION": env("REDIS_URL"),
            # Sites (or test runs) sharing one Redis keep apart by a prefix.
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", ""),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def with_fragment_cache(caches):
    """``caches`` with the alias Django's and Wagtail's cache tags use, ``template_fragments``: the default
    cache with keys that carry the content's version (home/cache.py ``fragment_key``), so a content change
    makes every kept card, picture and section new (a system check, lpsite.E011, holds to it)."""
    return {**caches, "template_fragments": {**caches["default"], "KEY_FUNCTION": "home.cache.fragment_key"}}


CACHES = with_fragment_cache(CACHES)

# Page cache (home/cache.py): anonymous pages for PAGE_CACHE_SECONDS (0 turns
# it off), invalidated on every content change; CDNs may keep pages without
# forms for PAGE_CACHE_CDN_SECONDS (Cache-Control s-maxage).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_CDN_SECONDS = env_int("PAGE_CACHE_CDN_SECONDS", 60)
PAGE_CACHE_SKIP_PREFIXES = ["/admin/", "/django-admin/", "/documents/", "/registrations/"]

# Wagtail's frontend cache purges a CDN when a page is published or unpublished.
# Off unless configured: FRONTEND_CACHE_PURGE_URL (an HTTP cache such as
# Varnish, sent PURGE requests) or CLOUDFLARE_API_TOKEN + CLOUDFLARE_ZONE_ID.
WAGTAILFRONTENDCACHE = {}
if env("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
    }
if env("CLOUDFLARE_API_TOKEN") and env("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env("CLOUDFLARE_API_TOKEN"),
        "ZONEID": env("CLOUDFLARE_ZONE_ID"),
    }

# Staff sign-in (ops/security.py): django-axes counts failures per username and
# client address together in the database and locks that pair out after
# LOGIN_FAILURE_LIMIT failures for LOGIN_COOLOFF_MINUTES; an address is paused
# after LOGIN_ADDRESS_FAILURE_LIMIT failures across accounts. Unlock from
# Settings -> Login lockouts, or `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "ops.security.LoginAttemptBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
# An account is locked from one address only (the owner keeps signing in from theirs); one address
# guessing across accounts has its own, higher limit (ops/security.py LoginAttemptBackend).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "inbox.net.client_ip_or_none"
AXES_LOCKOUT_CALLABLE = "ops.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # ops.security logs one line per lockout
# Password reset requests per client address (ops.security).
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", "5/h")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Members' emails and their attachments (the Help Desk): never under MEDIA_URL; staff download them through the
# inbox, which checks the Help Desk permission. On object storage (below) they go under "private/", unsigned
# URLs refused by the bucket's default private ACL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Media (images, documents) on object storage when a bucket is configured
# (django-storages, any S3-compatible service); local files when unset.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    # Credentials come from the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
    # variables (or the machine's role), read by boto3 itself.

# DATA_UPLOAD_MAX_NUMBER_FIELDS stays Django's default (1,000 fields per
# request): public forms send about a dozen, and the biggest demo page's edit
# form in Wagtail's editor under a hundred (tests/home/test_seed_demo.py). A
# request over the limit gets the 400 page.

# Permissions-Policy on every response (ops/middleware.py): no powerful
# browser feature is used by the site or the admin. Embedded videos keep
# fullscreen and picture-in-picture.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [
        "self",
        '"https://www.youtube.com"',
        '"https://www.youtube-nocookie.com"',
        '"https://player.vimeo.com"',
    ],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": [
        "self",
        '"https://www.youtube.com"',
        '"https://www.youtube-nocookie.com"',
        '"https://player.vimeo.com"',
    ],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Email: every message the site sends, ours and the packages' (password resets,
# Wagtail's review notifications, error reports), is saved in the outbox first
# (inbox.emails.OutboxEmailBackend) and delivered after commit through
# OUTBOX_DELIVERY_BACKEND: SMTP from the environment; unset EMAIL_HOST means
# nothing leaves (console output in dev, an in-memory outbox in tests).
EMAIL_BACKEND = "inbox.emails.OutboxEmailBackend"
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Local Progress Impact Lab <no-reply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Background work (emails, reminders, Wagtail's index updates) goes through
# the django_tasks API. Production queues in the database and needs
# `manage.py db_worker` running; dev and test run tasks immediately.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "Local Progress Impact Lab"
# The site's real address (scheme, host, port): written into the default Wagtail Site after
# migrate (home/site_url.py), so links in emails, .ics files, the sitemap and canonical tags use it.
SITE_URL = env("SITE_URL", "")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", SITE_URL or "http://127.0.0.1:8000")
# The public searches run on the site's own index (search/): SEARCH_CONFIG is PostgreSQL's text
# search configuration its vectors are made with (search migration 0002; English stemming:
# "evictions" finds "eviction"); SQLite stems through FTS5's porter tokenizer. Wagtail's own
# database backend serves the admin's search.
SEARCH_CONFIG = "english"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": SEARCH_CONFIG}}
# Public search statements are interrupted after this long (search/engine.py).
SEARCH_TIMEOUT_MS = env_int("SEARCH_TIMEOUT_MS", 2000)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Editors pick their own time zone (Account › Preferences); go-live and expiry
# times are read in it and the scheduling dialog says which. Unset: TIME_ZONE.
WAGTAIL_USER_TIME_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "UTC",
]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# The page's one inline script (templates/base.html, {% js_class_script %}):
# it swaps <html class="no-js"> for "js" before the first paint, so the
# collapsed phone navigation and library filters are styled before site.js
# (deferred) runs and nothing shifts. The policy allows exactly this text by
# its hash (a nonce would not survive the anonymous page cache).
JS_CLASS_SCRIPT = 'document.documentElement.classList.replace("no-js","js")'
_JS_CLASS_DIGEST = base64.b64encode(hashlib.sha256(JS_CLASS_SCRIPT.encode()).digest()).decode()
JS_CLASS_SCRIPT_HASH = f"'sha256-{_JS_CLASS_DIGEST}'"

# Content-Security-Policy for the public site; the admin gets
# ADMIN_CONTENT_SECURITY_POLICY below (ops/middleware.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", JS_CLASS_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# The admin's policy: as strict as Wagtail 8's admin allows. It must be looser
# than the public site's in two places (docs/security.md): inline <script>s
# (inline and multiple-chooser panels, date/time widgets) and inline styles
# (style attributes in templates and set by its JavaScript). Image previews
# use data: and blob: URLs; the live preview frames this site.
ADMIN_CSP_URL_PREFIXES = ["/admin/", "/django-admin/"]
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "worker-src": ["'self'", "blob:"],
        "frame-src": ["'self'", *CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Who hears about server errors: ADMINS="Ops <ops@example.org>, dev@example.org".
# Reports go through the outbox (ops/error_mail.py), one per subject per
# ERROR_EMAIL_THROTTLE_SECONDS.
ADMINS = [(name, address) for name, address in getaddresses(env_list("ADMINS")) if address]
ERROR_EMAIL_THROTTLE_SECONDS = env_int("ERROR_EMAIL_THROTTLE_SECONDS", 300)
EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", "[lpsite] ")
# /healthz (ops/health.py) fails when a task has waited longer than this.
HEALTHZ_MAX_TASK_AGE = env_int("HEALTHZ_MAX_TASK_AGE", 900)

# Error reports name the fields a member filled in, never what they wrote (ops/error_mail.py).
DEFAULT_EXCEPTION_REPORTER = "ops.error_mail.MemberSafeExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "ops.error_mail.MemberSafeFilter"
# Error reports are deleted from the outbox after this many days (manage.py purge_error_reports, daily).
ERROR_REPORT_RETENTION_DAYS = env_int("ERROR_REPORT_RETENTION_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # A failing /healthz is a warning on lpsite.health, not a server error (ops/health.py).
        "not_health_checks": {"()": "ops.health.NotHealthChecks"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "ops.error_mail.OutboxAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO"), "propagate": False},
        # Unhandled exceptions (500s) and security events: the console, and ADMINS by email.
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "WARNING",
            "propagate": False,
            "filters": ["not_health_checks"],
        },
        "django.security": {"handlers": ["console", "mail_admins"], "level": "WARNING", "propagate": False},
        # Anyone can send a wrong Host header; that is not news for ADMINS.
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # One line per task and per page action is noise at INFO.
        "django_tasks": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
        # django-axes logs every sign-in at INFO; ops.security logs lockouts and unlocks.
        "axes": {"level": env("AXES_LOG_LEVEL", "WARNING")},
    },
}

# No Gravatar: staff avatars would be fetched from an outside service.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# Spam defence for public forms (inbox/spam.py).
SPAM_MIN_SUBMIT_SECONDS = env_int("SPAM_MIN_SUBMIT_SECONDS", 3)
# A form shown longer ago than this (seconds) is shown again with a note instead of being taken.
SPAM_TOKEN_MAX_AGE = env_int("SPAM_TOKEN_MAX_AGE", 86400)
FORM_RATE_LIMIT = env("FORM_RATE_LIMIT", "5/m")
if FORM_RATE_LIMIT.lower() in {"none", "off"}:
    FORM_RATE_LIMIT = None
# Client addresses (inbox/net.py): how many reverse proxies of ours stand in
# front of the app. Each appends to X-Forwarded-For; the address is read that
# many entries from the right. 0 (default) uses REMOTE_ADDR. The older
# FORM_RATE_LIMIT_TRUST_X_FORWARDED_FOR=true means one proxy.
FORM_RATE_LIMIT_TRUST_X_FORWARDED_FOR = env_bool("FORM_RATE_LIMIT_TRUST_X_FORWARDED_FOR", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if FORM_RATE_LIMIT_TRUST_X_FORWARDED_FOR else 0)
RECAPTCHA_PUBLIC_KEY = env("RECAPTCHA_PUBLIC_KEY", "")
RECAPTCHA_PRIVATE_KEY = env("RECAPTCHA_PRIVATE_KEY", "")
RECAPTCHA_VERIFY_REQUEST_TIMEOUT = env_int("RECAPTCHA_VERIFY_REQUEST_TIMEOUT", 5)
INSTALLED_APPS.append("django_recaptcha")
# Without keys the field is never added to a form, so django-recaptcha's
# warning about its built-in test keys does not apply.
SILENCED_SYSTEM_CHECKS = [] if RECAPTCHA_PUBLIC_KEY else ["django_recaptcha.recaptcha_test_key_error"]
if RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] += ["https://www.google.com", "https://www.gstatic.com"]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] += ["https://www.google.com"]

# Email delivery (inbox/emails.py): attempts before an email is left as failed.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 6)
# Seconds before the first retry; each further one waits twice as long (capped at six hours).
EMAIL_RETRY_BASE_SECONDS = env_int("EMAIL_RETRY_BASE_SECONDS", 60)
# A claim older than this (seconds) was left by a process that died while sending.
EMAIL_STALE_CLAIM_SECONDS = env_int("EMAIL_STALE_CLAIM_SECONDS", 900)

# Help Desk (helpdesk/): when an answer is due without a member timeline (business days), who is
# notified of new requests (comma-separated; the Help Desk staff group's addresses when empty),
# how long the member's private link works, and how long closed requests keep personal data.
HELPDESK_DUE_BUSINESS_DAYS = env_int("HELPDESK_DUE_BUSINESS_DAYS", 5)
# The same request (address, question, details) sent again within this many minutes is the one already
# filed: a double-click, a refresh or a replay files one request and sends one acknowledgement.
HELPDESK_RESUBMIT_MINUTES = env_int("HELPDESK_RESUBMIT_MINUTES", 60)
# The Help Desk's own mailbox (e.g. helpdesk@localprogress.org): when set, emails to a member about a request
# carry a signed Reply-To on it (helpdesk+HD-2026-0042.<signature>@...), so their Reply reaches the Help Desk
# (helpdesk/mail_thread.py). Unset: no Reply-To, as before.
HELPDESK_EMAIL = env("HELPDESK_EMAIL", "")
# Email in (helpdesk/inbound.py, docs/helpdesk-email.md): a mailbox read by `manage.py fetch_helpdesk_mail`
# (imaps://user:password@host/INBOX; unset: the command does nothing), the folder it moves what it read to,
# how many new requests one address may open by email (more are kept as suspected spam), and the limits
# on what is kept of an email (the largest email read, each attachment, attachments per email).
HELPDESK_IMAP_URL = env("HELPDESK_IMAP_URL", "")
HELPDESK_IMAP_PROCESSED_FOLDER = env("HELPDESK_IMAP_PROCESSED_FOLDER", "Processed")
HELPDESK_EMAIL_RATE = env("HELPDESK_EMAIL_RATE", "5/h")
HELPDESK_EMAIL_MAX_MB = env_int("HELPDESK_EMAIL_MAX_MB", 50)
HELPDESK_ATTACHMENT_MAX_MB = env_int("HELPDESK_ATTACHMENT_MAX_MB", 10)
HELPDESK_ATTACHMENTS_PER_EMAIL = env_int("HELPDESK_ATTACHMENTS_PER_EMAIL", 10)
# Email services' inbound webhooks (django-anymail, /anymail/<service>/inbound/): on only when
# ANYMAIL_WEBHOOK_SECRET ("user:password", the service's basic auth) is set. Every other ANYMAIL_* variable is
# passed to anymail without its prefix (e.g. ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY).
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_") and value
}
# A posted body larger than Django's default (2.5 MB) gets 413 (ops/middleware.py), except a staff upload and an
# email service posting a whole email to the inbound webhook with its basic auth: for those Django reads up to
# HELPDESK_EMAIL_MAX_MB.
REQUEST_BODY_MAX_BYTES = 2_621_440
LARGE_BODY_WEBHOOK_PATHS = ["/anymail/"]
DATA_UPLOAD_MAX_MEMORY_SIZE = HELPDESK_EMAIL_MAX_MB * 1024 * 1024
HELPDESK_NOTIFY_EMAILS = env_list("HELPDESK_NOTIFY_EMAILS")
HELPDESK_LINK_MAX_AGE_DAYS = env_int("HELPDESK_LINK_MAX_AGE_DAYS", 365)
HELPDESK_RETENTION_DAYS = env_int("HELPDESK_RETENTION_DAYS", 730)


# Optional error tracker: Sentry when SENTRY_DSN is set (off when unset). No
# personal data is sent; SENTRY_TRACES_SAMPLE_RATE turns on performance traces.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
