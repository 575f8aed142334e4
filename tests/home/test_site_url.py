"""SITE_URL: one setting for the site's real address, in links, .ics files, the sitemap and canonical tags."""

import io
import re
import time

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models.signals import post_migrate
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Site

from events.factories import EventPageFactory
from events.registration.emails import manage_signature
from events.registration.models import Registration
from helpdesk import cases
from helpdesk.factories import HelpDeskPageFactory, HelpDeskRequestFactory
from home.models import SiteSettings
from home.site_url import apply_site_url
from inbox.spam import make_token
from tests.admin.editing import make_image
from tests.html import soup

pytestmark = pytest.mark.django_db


def test_migrate_applies_site_url_to_the_wagtail_site(home_page, settings):
    settings.SITE_URL = "https://www.example.org"
    post_migrate.send(
        sender=apps.get_app_config("home"),
        app_config=apps.get_app_config("home"),
        verbosity=0,
        interactive=False,
        using="default",
        plan=[],
        apps=apps,
    )
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("www.example.org", 443, "https://www.example.org")


def test_the_command_sets_the_dev_servers_address_and_refuses_nonsense(home_page):
    call_command("set_site_url", "http://127.0.0.1:8100", stdout=io.StringIO())
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8100"
    with pytest.raises(CommandError, match="must look like"):
        call_command("set_site_url", "www.example.org/path")


def test_links_everywhere_carry_the_real_address_even_with_a_wildcard_allowed_hosts(
    client, home_page, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.FORM_RATE_LIMIT = None
    apply_site_url("https://www.example.org")
    event = EventPageFactory(parent=home_page, title="Budgets")
    evil = {"HTTP_HOST": "evil.example"}
    assert "https://www.example.org/budgets/" in client.get("/sitemap.xml", **evil).content.decode()
    assert soup(client.get(event.url, **evil)).find("link", rel="canonical")["href"] == (
        "https://www.example.org/budgets/"
    )
    assert soup(client.get("/search/", {"query": "x"}, **evil)).find("link", rel="canonical")["href"] == (
        "https://www.example.org/search/"
    )
    data = {"name": "Jenn", "email": "jenn@example.org", "role": "elected", "form_token": make_token(time.time() - 30)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(event.url + "register/", data, **evil)
    [message] = mail.outbox
    assert re.search(r"https://www\.example\.org/registrations/manage/\S+/", message.body)
    assert "evil.example" not in message.body
    ics = client.get(event.url + "calendar/", **evil).content.decode()
    assert "URL:https://www.example.org/budgets/" in ics and "evil.example" not in ics


EVIL = {"HTTP_HOST": "evil.example"}


@override_settings(ALLOWED_HOSTS=["*"], FORM_RATE_LIMIT=None)
def test_robots_txt_and_share_images_carry_the_real_address_whatever_the_host(client, home_page, site):
    apply_site_url("https://www.example.org")
    robots = client.get("/robots.txt", **EVIL).content.decode()
    assert "Sitemap: https://www.example.org/sitemap.xml" in robots and "evil.example" not in robots
    SiteSettings.objects.update_or_create(site=site, defaults={"social_image": make_image("Members")})
    image = soup(client.get("/", **EVIL)).find("meta", property="og:image")["content"]
    assert image.startswith("https://www.example.org/media/images/")


@override_settings(ALLOWED_HOSTS=["*"], FORM_RATE_LIMIT=None)
def test_private_links_have_no_canonical_address_and_are_never_indexed(client, home_page):
    """A member's tokened link (or the pages around it) must not name itself the page's address."""
    apply_site_url("https://www.example.org")
    event = EventPageFactory(parent=home_page, title="Budgets")
    data = {"name": "Jenn", "email": "jenn@example.org", "role": "elected", "form_token": make_token(time.time() - 30)}
    thanks = client.post(event.url + "register/", data, follow=True, **EVIL)
    registration = Registration.objects.get()
    help_desk = HelpDeskPageFactory(parent=home_page)
    case = HelpDeskRequestFactory(page=help_desk)
    private = {
        "registration confirmation": thanks,
        "manage page": client.get(reverse("manage_registration", args=[manage_signature(registration)]), **EVIL),
        "bad manage link": client.get(reverse("manage_registration", args=["tampered"]), **EVIL),
        "help desk thanks": client.get(cases.thanks_path(case), **EVIL),
        "help desk member page": client.get(cases.member_path(case), **EVIL),
    }
    for name, response in private.items():
        page = soup(response)
        assert page.find("h1"), name  # the page itself rendered
        assert page.find("link", rel="canonical") is None, name
        assert page.find("meta", property="og:url") is None, name
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex", name
        assert "evil.example" not in response.content.decode(), name
    public = soup(client.get(event.url, **EVIL))
    assert public.find("link", rel="canonical")["href"] == "https://www.example.org/budgets/"
    assert public.find("meta", property="og:url")["content"] == "https://www.example.org/budgets/"
