"""Library hooks: the home page's "latest resources" and the demo content."""

from django.db.models import prefetch_related_objects
from wagtail import hooks

from home.models import HOME_SECTIONS_HOOK
from home.shell import find_page

from .demo import seed_library
from .models import ResourceLibraryPage, ResourcePage

LATEST_ON_HOME = 6


@hooks.register(HOME_SECTIONS_HOOK)
def latest_resources_section(request, home_page):
    library = find_page(ResourceLibraryPage, below=home_page)
    if library is None:
        return None
    # Editors' picks first (HomePage.featured_resources), then the newest fill the places left.
    picks = home_page.featured("featured_resources", ResourcePage.objects.select_related("resource_type", "lead_image"))
    picks = picks[:LATEST_ON_HOME]
    newest = (
        ResourcePage.objects.live()
        .public()
        .child_of(library)
        .exclude(pk__in=[page.pk for page in picks])
        .select_related("resource_type", "lead_image")
        .order_by("-published_date", "-pk")[: LATEST_ON_HOME - len(picks)]
    )
    resources = picks + (list(newest) if len(picks) < LATEST_ON_HOME else [])
    # Each card shows the resource's picture: the renditions of all of them in one query.
    prefetch_related_objects(resources, "lead_image__renditions")
    return {
        "template": "components/home_section.html",
        "order": 20,
        "alt": True,
        "heading": getattr(home_page, "resources_heading", "") or "Latest from the resource library",
        "more_url": library.get_url(request),
        "more_text": "Browse the resource library",
        "items": [
            {
                "title": resource.title,
                "url": resource.get_url(request),
                "meta": " · ".join(
                    part
                    for part in (resource.resource_type.name, resource.place, resource.published_date.strftime("%b %Y"))
                    if part
                ),
                "text": resource.summary,
                "image": resource.lead_image,
            }
            for resource in resources
        ],
    }


@hooks.register("lpsite_seed_demo")
def seed(home, log):
    seed_library(home, log)


seed.seed_order = 10
