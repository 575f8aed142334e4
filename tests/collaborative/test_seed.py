"""The collaborative's demo content: pages, dates relative to today, pictures, news, privacy and contact."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from wagtail.images.models import Image
from wagtail.models import Page

from collaborative.demo import first_convening_day, seed_collaborative
from collaborative.models import CollaborativePage, ConveningPage, PillarPage, next_convening
from demo.seed import ensure_about_page, ensure_footer_pages
from home.models import SiteSettings
from news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_first_convening_is_the_next_march_9():
    nov = datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC)
    feb = datetime.datetime(2027, 2, 1, 12, tzinfo=datetime.UTC)
    assert first_convening_day(nov) == datetime.date(2027, 3, 9)
    assert first_convening_day(feb) == datetime.date(2027, 3, 9)


def test_the_seed_builds_the_collaborative_and_the_news_once(client, home_page):
    about, _ = ensure_about_page(home_page, log=lambda message: None)  # seeded before the collaborative
    with time_machine.travel(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC), tick=False):
        seed_collaborative(home_page)
        collaborative = CollaborativePage.objects.get()
        assert collaborative.url == "/leadership-collaborative/" and collaborative.show_in_menus
        assert [p.title for p in PillarPage.objects.order_by("path")] == [
            "Racial Justice as a Beacon for All",
            "Collaborative Governing to Build Power",
            "Adaptive Change from the Ground Up",
            "Elected Officials as an Organized Force",
        ]
        convenings = list(ConveningPage.objects.order_by("start"))
        assert len(convenings) == 4
        first = convenings[0]
        assert first.city == "Washington, DC" and first.date_range == "March 9–10, 2027"
        assert first.get_parent().title == "Elected Officials as an Organized Force"
        assert convenings[-1].end - first.start < datetime.timedelta(days=3 * 366)
        assert next_convening(collaborative) == first
        assert all(c.lead_image and c.lead_image.description for c in convenings)

        article = ArticlePage.objects.get()
        assert article.url == "/news/governing-is-a-team-sport/"
        assert article.title == "Governing is a Team Sport. Introducing LP’s Leadership Collaborative."
        assert article.lead_image.description
        html = client.get(article.url).content.decode()
        assert "Hillsborough" in html and "15 municipalities" in html
        assert 'href="/leadership-collaborative/get-involved/"' in html
        assert SiteSettings.for_site(home_page.get_site()).social_image is not None

        # The About page's four pillars link to the pillar pages.
        about_html = client.get(about.url).content.decode()
        for pillar in PillarPage.objects.all():
            assert f'<a href="{pillar.url}">{pillar.title}</a>' in about_html

        pages, images = Page.objects.count(), Image.objects.count()
        revisions = about.revisions.count()
        seed_collaborative(home_page)
        assert (Page.objects.count(), Image.objects.count()) == (pages, images)
        assert about.revisions.count() == revisions  # linked once

    # The home page shows the collaborative in the navigation and the latest news.
    home_html = client.get("/").content.decode()
    assert 'href="/leadership-collaborative/"' in home_html and 'href="/news/"' in home_html
    assert "Governing is a Team Sport" in home_html


def test_search_finds_the_convenings(client, home_page):
    seed_collaborative(home_page)
    html = BeautifulSoup(client.get("/search/", {"query": "convening"}).content, "html.parser")
    found = {a["href"] for a in html.select(".search-result .card__title a")}
    first = ConveningPage.objects.get(city="Washington, DC")
    assert first.url in found  # the convening page itself, not the article that mentions it
    assert {c.url for c in ConveningPage.objects.all()} <= found


def test_privacy_and_contact_pages_are_in_the_footer_and_say_what_each_form_keeps(client, home_page):
    settings = SiteSettings.for_site(home_page.get_site())
    pages = ensure_footer_pages(home_page, settings, log=lambda message: None)
    footer = client.get("/").content.decode().split('class="site-footer"')[1]
    assert 'href="/privacy/"' in footer and 'href="/contact/"' in footer
    privacy = client.get(pages["privacy"].url).content.decode()
    for form in ("registrations", "Help Desk requests", "interest list"):
        assert form in privacy
    # Only what the site really does: the Help Desk purge runs at its default retention of two years.
    from django.conf import settings as django_settings

    assert "Two years after a request is closed" in privacy and django_settings.HELPDESK_RETENTION_DAYS == 730
    assert "kept until you ask us to delete them" in privacy
    # The cookies a visitor can get, named, with how long they last (from the settings that decide them).
    assert django_settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert "<b>sessionid</b>, a session cookie" in privacy and "expires after 2 weeks" in privacy
    assert "<b>csrftoken</b>" in privacy and "lasts about a year" in privacy
    assert "only the cookies it needs to work (a security token for forms)" not in privacy
