"""The site's real address, in one setting: ``SITE_URL`` (e.g. ``https://www.example.org``).

Links in emails, calendar files, the sitemap and canonical tags are built
from the default Wagtail ``Site`` (its hostname and port), never from the
request's Host header, so a wildcard ``ALLOWED_HOSTS`` cannot break or
redirect them. ``apply_site_url()`` writes ``SITE_URL`` into that Site; it runs
after every ``migrate`` when ``SITE_URL`` is set, and on demand with
``manage.py set_site_url [URL]`` (``make run`` sets the dev server's own
address this way).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .shell import shared


def parse_site_url(url):
    """ "https://www.example.org" -> ("https", "www.example.org", 443)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ImproperlyConfigured(f"SITE_URL must look like 'https://www.example.org', not {url!r}")
    return parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def apply_site_url(url=None):
    """Point the default Wagtail Site at ``url`` (default ``settings.SITE_URL``); returns it, or None."""
    from wagtail.models import Site

    url = url or getattr(settings, "SITE_URL", "")
    if not url:
        return None
    _scheme, hostname, port = parse_site_url(url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()
    return site


def site_root_url():
    """The public address without a trailing slash: the default Site's, else WAGTAILADMIN_BASE_URL.

    Read once per content generation (home/shell.py): saving a Site starts a new one."""
    return shared("site-root-url", _site_root_url)


def _site_root_url():
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is not None and site.hostname:
        return site.root_url.rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def apply_after_migrate(sender, **kwargs):
    if getattr(settings, "SITE_URL", ""):
        apply_site_url()
