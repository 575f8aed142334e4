"""SITE_URL: one setting for the site's real address, in links, .ics files, the sitemap and canonical tags."""

import io
import re
import time

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models.signals import post_migrate
from wagtail.models import Site

from events.factories import EventPageFactory
from home.site_url import apply_site_url
from home.spam import make_token
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
