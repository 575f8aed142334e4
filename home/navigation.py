"""The main navigation and footer links (``home.NavigationSettings``), for templates and seed functions.

Seed functions add their section to the menu with ``add_nav_link(site, page,
label)``; it is idempotent (a page already linked is left as editors set it)
and appends at the end. ``add_footer_link`` does the same for the footer.
"""

from .models import FooterLink, MainNavigationLink, NavigationSettings, SiteSettings

DEFAULT_FOOTER_LINKS = [("Search", "/search/"), ("Sitemap", "/sitemap.xml"), ("Staff login", "/admin/")]


def _add(site, model, page=None, label="", url=""):
    settings = NavigationSettings.for_site(site)
    if settings.pk is None:
        settings.save()
    existing = model.objects.filter(setting=settings)
    found = existing.filter(link_page=page) if page is not None else existing.filter(link_url=url)
    link = found.first()
    if link is not None:
        return link, False
    order = (existing.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0) + 1
    link = model.objects.create(setting=settings, link_page=page, link_url=url, label=label, sort_order=order)
    return link, True


def add_nav_link(site, page=None, label="", url=""):
    """Append a link to ``page`` (or ``url``) to the main navigation unless it is there. Returns (link, created)."""
    return _add(site, MainNavigationLink, page=page, label=label, url=url)


def add_footer_link(site, page=None, label="", url=""):
    """Append a footer link to ``page`` (or ``url``) unless it is there. Returns (link, created)."""
    return _add(site, FooterLink, page=page, label=label, url=url)


def resolve(links, request, public_ids):
    """[{'title', 'url', 'path'}] for the links to live, public pages (``public_ids``) and addresses, in order
    (``path``: the page's tree path, for marking the current section; None for an address)."""
    items = []
    for link in links:
        page = link.link_page
        if page is not None:
            if page.pk not in public_ids:
                continue
            items.append({"title": link.label or page.title, "url": page.get_url(request), "path": page.path})
        else:
            items.append({"title": link.label or link.link_url, "url": link.link_url, "path": None})
    return items


def mark_current(items, current=None):
    """The items with ``active`` set on the one whose section holds ``current`` (a page)."""
    current_path = getattr(current, "path", "") if current is not None else ""
    return [
        {**item, "active": bool(item.get("path") and len(item["path"]) > 4 and current_path.startswith(item["path"]))}
        for item in items
    ]


def seed_navigation(home, log=lambda message: None):
    """First run only: the menu lists the home page's live children marked 'show in menus'; the footer
    gets the Contact and Privacy pages of Site settings, Search, Sitemap and
    Staff login. Later runs keep editors' changes."""
    from wagtail.models import Site

    site = Site.objects.filter(root_page=home).first()
    if site is None:
        return
    settings = NavigationSettings.for_site(site)
    if settings.pk is None or not settings.main_links.exists():
        for child in home.get_children().live().public().in_menu():
            add_nav_link(site, child)
        log("Filled the main navigation")
    if not settings.footer_links.exists():
        site_settings = SiteSettings.for_site(site)
        for page, label in ((site_settings.contact_page, "Contact"), (site_settings.privacy_page, "Privacy")):
            if page is not None:
                add_footer_link(site, page=page, label=label)
        for label, url in DEFAULT_FOOTER_LINKS:
            add_footer_link(site, label=label, url=url)
        log("Filled the footer links")
