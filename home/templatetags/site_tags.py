"""Navigation and page-shell template tags."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from wagtail.models import Site

from home.site_url import site_root_url

register = template.Library()


@register.inclusion_tag("components/main_nav.html", takes_context=True)
def main_nav(context):
    """Top-level pages marked "show in menus", with the current section marked."""
    request = context.get("request")
    current = context.get("page")
    site = Site.find_for_request(request) if request else None
    items = []
    if site:
        root = site.root_page
        for child in root.get_children().live().public().in_menu().only("id", "title", "url_path", "path", "depth"):
            active = bool(current and (current.path.startswith(child.path)))
            items.append({"title": child.title, "url": child.get_url(request), "active": active})
    return {"items": items, "request": request}


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The absolute address of this page without its query string."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and hasattr(page, "get_full_url"):
        url = page.get_full_url(request)
        if url:
            return url
    if request is not None:
        # The site's own address, never the Host header (a wildcard ALLOWED_HOSTS can't redirect it).
        return site_root_url() + request.path
    return ""


@register.simple_tag
def js_class_script():
    """The inline script that marks the page as scripted before it paints.

    Its text is ``settings.JS_CLASS_SCRIPT``, which the Content-Security-Policy
    allows by hash; keep the two together.
    """
    # Trusted text from settings, emitted verbatim so its hash matches.
    return mark_safe(f"<script>{settings.JS_CLASS_SCRIPT}</script>")  # noqa: S308
