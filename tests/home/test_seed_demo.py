"""`seed_demo` builds the demo site and is safe to run again."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from helpdesk.cases import add_business_days
from helpdesk.models import Expert, HelpDeskRequest, SavedReply
from home.models import HomePage, SiteSettings, StandardPage
from tests.html import soup

pytestmark = pytest.mark.django_db


def tree():
    return sorted(Page.objects.values_list("url_path", "title", "content_type__model", "live"))


def test_seed_demo_builds_the_site(client, settings, demo):
    site = demo
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    about = StandardPage.objects.get(slug="about")
    assert about.live and about.show_in_menus
    assert SiteSettings.for_site(site).organisation_name == "Local Progress Impact Lab"
    home_html = client.get("/").content.decode()
    assert "Advancing racial and economic justice" in home_html
    assert 'href="/about/"' in home_html
    about_html = client.get("/about/").content.decode()
    assert "Governing is a team sport" in about_html
    assert "Elected Officials as an Organized Force" in about_html

    # The Help Desk: in the main menu, the home call-out's target, with its experts, saved replies
    # and (dev) a living inbox whose due dates are business days, as for a real request.
    home_soup = soup(home_html)
    menu = home_soup.find("nav", attrs={"aria-label": "Main"})
    assert ("Help Desk", "/help-desk/") in [(a.get_text(strip=True), a["href"]) for a in menu.find_all("a")]
    callout = home_soup.find("section", attrs={"aria-labelledby": "callout-heading"})
    assert [a["href"] for a in callout.find_all("a")] == ["/help-desk/"]
    assert client.get("/help-desk/").status_code == 200
    assert (Expert.objects.count(), SavedReply.objects.count()) == (5, 2)
    requests = HelpDeskRequest.objects.all()
    assert requests.count() == 6 + 36  # the living inbox, and two quarters of answered ones for the reports
    assert set(requests.values_list("status", flat=True)) == {
        "new",
        "in_progress",
        "waiting_on_member",
        "connected",
        "resolved",
        "closed",
        "spam",
    }
    oldest = timezone.localdate() - timezone.localtime(requests.order_by("created_at").first().created_at).date()
    assert oldest.days > 180
    for request_obj in requests:
        created = timezone.localtime(request_obj.created_at).date()
        assert request_obj.due_date == add_business_days(created, settings.HELPDESK_DUE_BUSINESS_DAYS)


def test_seed_demo_twice_gives_the_same_tree_and_keeps_edits(demo):
    first = tree()  # after a first run (tests/demo.py)
    users = get_user_model().objects.count()
    about = StandardPage.objects.get(slug="about")
    about.intro = "Edited by communications staff."
    about.save_revision().publish()
    settings_row = SiteSettings.objects.get()
    settings_row.contact_email = "edited@example.org"
    settings_row.save()

    call_command("seed_demo", verbosity=0)

    assert tree() == first
    assert get_user_model().objects.count() == users
    assert StandardPage.objects.get(slug="about").intro == "Edited by communications staff."
    assert SiteSettings.objects.get().contact_email == "edited@example.org"
    assert HomePage.objects.count() == 1


def test_dev_admin_login_is_created_and_works(client, demo):
    assert client.login(username="admin", password="lpsite-admin")
    assert client.get("/admin/").status_code == 200


@override_settings(LPSITE_DEMO_USERS=False)
def test_no_demo_logins_nor_fake_people_outside_dev():
    """Production runs the seed too (an empty site's pages): never with logins, registrations or requests."""
    from events.registration.models import Registration

    call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.exists()
    assert not Registration.objects.exists()
    assert not HelpDeskRequest.objects.exists()


def test_site_search_finds_seeded_pages(client, demo):
    html = client.get("/search/", {"query": "team sport"}).content.decode()
    assert '<a href="/about/">About</a>' in html
    html = client.get("/search/", {"query": "eviction"}).content.decode()
    assert "Right to Counsel in Eviction Proceedings" in html


def test_the_biggest_demo_pages_edit_forms_fit_the_field_limit_with_room_to_spare(client, demo):
    """Django's 1,000 fields per request is enough for Wagtail's editor: count what the edit form of
    each page type's biggest demo page posts (its StreamFields as the editor's JavaScript sends them),
    then save the biggest through the editor."""
    from django.conf import settings
    from django.urls import reverse
    from wagtail.fields import StreamField

    from tests.admin.editing import edit_post_data

    client.force_login(get_user_model().objects.create_superuser("measure", "measure@example.org", "pw"))

    def stored_size(page):
        fields = [f.name for f in page._meta.get_fields() if isinstance(f, StreamField)]
        return sum(len(str(getattr(page, name).raw_data)) for name in fields)

    biggest = {}
    for page in Page.objects.filter(depth__gt=1).specific():
        kind = type(page).__name__
        if kind not in biggest or stored_size(page) > stored_size(biggest[kind]):
            biggest[kind] = page
    assert len(biggest) >= 10  # every kind of page the demo has
    counts = {}
    for kind, page in biggest.items():
        data = edit_post_data(client, page)
        counts[kind] = (sum(len(data.getlist(key)) for key in data), page, data)
    fields, page, data = max(counts.values(), key=lambda item: item[0])
    assert fields * 5 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, (page.url_path, fields)
    revisions = page.revisions.count()
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, (page.url_path, response.status_code)
    assert page.revisions.count() == revisions + 1
