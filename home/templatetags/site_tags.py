"""Navigation and page-shell template tags."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site

from home.models import NavigationSettings, SiteSettings
from home.navigation import DEFAULT_FOOTER_LINKS, mark_current, resolve
from home.shell import shared
from home.site_url import site_root_url

register = template.Library()


def _navigation(request, site):
    """The menu's and the footer's links of Settings › Navigation, resolved together once per content and
    shell version (home/shell.py): the settings, their two lists, then which linked pages are public."""

    def build():
        navigation = NavigationSettings.for_site(site)
        main = list(navigation.main_links.select_related("link_page"))
        footer = list(navigation.footer_links.select_related("link_page"))
        linked = {link.link_page_id for link in main + footer if link.link_page_id}
        public = (
            set(Page.objects.filter(pk__in=linked).live().public().values_list("pk", flat=True)) if linked else set()
        )
        return {"main": resolve(main, request, public), "footer": resolve(footer, request, public)}

    return shared("navigation", build, site.pk)


def _menu_items(request, site):
    """The menu's links; without any, the home page's live, public children marked "show in menus"."""
    items = _navigation(request, site)["main"]
    if items:
        return items

    def build():
        children = site.root_page.get_children().live().public().in_menu()
        return [
            {"title": child.title, "url": child.get_url(request), "path": child.path}
            for child in children.only("id", "title", "url_path", "path", "depth")
        ]

    return shared("main-nav-default", build, site.pk)


@register.inclusion_tag("components/main_nav.html", takes_context=True)
def main_nav(context):
    """The links of Settings › Navigation, with the current section marked.

    Without any links there, the home page's live children marked "show in menus".
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = mark_current(_menu_items(request, site), context.get("page")) if site else []
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
def site_absolute_url(path):
    """``path`` ("/media/…") on the site's own address, never the Host header; a full URL stays as it is."""
    if path and path.startswith("/") and not path.startswith("//"):
        return site_root_url() + path
    return path or ""


@register.simple_tag(takes_context=True)
def footer_links(context):
    """The footer links of Settings › Navigation ([{'title', 'url'}]); without any, the contact and
    privacy pages of Site settings, then Search, Sitemap and Staff login."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return shared("footer", lambda: _footer_items(request, site), site.pk)


def _footer_items(request, site):
    linked = _navigation(request, site)["footer"]
    if linked:
        return linked
    items = []
    site_settings = SiteSettings.for_site(site)
    for page, title in ((site_settings.contact_page, "Contact"), (site_settings.privacy_page, "Privacy")):
        if page is not None and page.live:
            items.append({"title": title, "url": page.get_url(request)})
    return items + [{"title": title, "url": url} for title, url in DEFAULT_FOOTER_LINKS]


def _plain(value):
    from django.utils.html import strip_tags
    from wagtail.rich_text import expand_db_html

    return " ".join(strip_tags(expand_db_html(str(value or ""))).split())


@register.simple_tag(takes_context=True)
def social_meta(context):
    """{'description', 'image_url'} for a page's share cards.

    Description: the page's social description, its search description, then its summary, introduction or
    description, then the site's tagline. Image: the page's ``get_share_image()`` (its social image, else its
    lead image), then the site's default.
    """
    from django.template.defaultfilters import truncatechars

    page = context.get("page")
    request = context.get("request")
    defaults = SiteSettings.for_request(request) if request is not None else None
    description = ""
    if page is not None:
        for name in ("social_text", "search_description", "summary", "intro", "hero_text", "description"):
            description = _plain(getattr(page, name, ""))
            if description:
                break
    if not description and defaults is not None:
        description = defaults.tagline or defaults.organisation_name
    # A page type says which picture it shares with get_share_image() (SocialMetaMixin, LeadImageShareMixin).
    # By id: the picture itself is read only when its rendition's URL is not kept yet.
    share_image = getattr(page, "get_share_image", None)
    image_id, load = (page.share_image_id, share_image) if callable(share_image) else (None, None)
    if not image_id and defaults is not None:
        image_id, load = defaults.social_image_id, lambda: defaults.social_image
    return {"description": truncatechars(description, 300), "image_url": share_image_url(image_id, load)}


SHARE_IMAGE_SPEC = "fill-1200x630"


def share_image_url(image_id, load):
    """The URL of the share-card rendition of the image ``image_id`` (``load()`` gives the image), looked up
    once per content generation (home/shell.py).

    Most pages share the site's default picture, so this saves every page a renditions query; an edited
    image (its focal point, its file) is a content change, which starts a new generation."""
    if not image_id:
        return ""

    def build():
        image = load()
        if image is None:
            return ""
        try:
            return image.get_rendition(SHARE_IMAGE_SPEC).url
        except SourceImageIOError:  # the original file is missing: no share picture rather than a broken one
            return ""

    return shared("share-image-url", build, image_id, SHARE_IMAGE_SPEC)


@register.simple_tag
def js_class_script():
    """The inline script that marks the page as scripted before it paints.

    Its text is ``settings.JS_CLASS_SCRIPT``, which the Content-Security-Policy
    allows by hash; keep the two together.
    """
    # Trusted text from settings, emitted verbatim so its hash matches.
    return mark_safe(f"<script>{settings.JS_CLASS_SCRIPT}</script>")  # noqa: S308


@register.simple_tag(takes_context=True)
def page_ancestors(context, page):
    """``page``'s ancestors below the tree root as [{'title', 'url', 'depth'}], top first: kept per
    content generation (home/shell.py), so breadcrumbs cost no query. A page not yet saved (a
    preview of a new page) reads them from the tree."""
    request = context.get("request")

    def build():
        return [
            {"title": ancestor.title, "url": ancestor.get_url(request), "depth": ancestor.depth}
            for ancestor in page.get_ancestors().filter(depth__gt=1)
        ]

    if not page.pk or not page.path:
        return build()
    return shared("ancestors", build, page.path)
