"""The shell's own views: robots.txt and the 400 page (the site search is search/views.py)."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from .site_url import site_root_url


@require_safe
def robots_txt(request):
    """robots.txt that keeps crawlers out of the admin and names the sitemap."""
    sitemap_url = site_root_url() + reverse("sitemap")  # the site's address, never the Host header
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")


def bad_request(request, exception=None):
    """The 400 page, rendered without touching the request body.

    Django's default handler runs the CSRF check again, which re-reads the
    body that just failed to parse (a form posted as UTF-7, UTF-16, Latin-1…)
    and turned every such 400 into a 500. The page needs nothing from the
    request, so a malformed one cannot break it.
    """
    return HttpResponseBadRequest(render_to_string("400.html"))
