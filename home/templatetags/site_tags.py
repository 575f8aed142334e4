"""Navigation and page-shell template tags."""

from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("components/main_nav.html", takes_context=True)
def main_nav(context):
    """The links of Settings › Navigation, with the current section marked.

    Without any links there, the home page's live children marked "show in menus".
    """
    from home.models import NavigationSettings
    from home.navigation import resolve

    request = context.get("request")
    current = context.get("page")
    site = Site.find_for_request(request) if request else None
    items = []
    if site:
        links = list(NavigationSettings.for_site(site).main_links.select_related("link_page"))
        if links:
            return {"items": resolve(links, request, current), "request": request}
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
        return request.build_absolute_uri(request.path)
    return ""


@register.simple_tag(takes_context=True)
def footer_links(context):
    """The footer links of Settings › Navigation ([{'title', 'url'}]); Search, Sitemap, Staff login without any."""
    from home.models import NavigationSettings
    from home.navigation import DEFAULT_FOOTER_LINKS, resolve

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    links = list(NavigationSettings.for_site(site).footer_links.select_related("link_page")) if site else []
    if links:
        return resolve(links, request)
    return [{"title": title, "url": url, "active": False} for title, url in DEFAULT_FOOTER_LINKS]
