"""A failed submit: the title says "Error:", a summary links to each field, and
a radio group's error is tied to its inputs."""

import time

import pytest
from bs4 import BeautifulSoup

from events.factories import EventPageFactory
from inbox.spam import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORM_RATE_LIMIT = None


@pytest.fixture
def event(primers):
    return EventPageFactory(parent=primers, title="Housing Justice", slug="housing-justice")


def submit(client, url, **data):
    payload = {"website": "", "form_token": make_token(time.time() - 30), **data}
    return client.post(url + "register/", payload)


def test_a_failed_submit_is_announced_in_the_title_and_summarised_with_links(client, event):
    response = submit(client, event.url, name="", email="not-an-email", organisation="Durham")
    assert response.status_code == 400
    html = BeautifulSoup(response.content, "html.parser")
    assert html.title.get_text().startswith("Error: Housing Justice")

    summary = html.select_one("[data-error-summary]")
    assert summary["tabindex"] == "-1"  # site.js focuses it on load
    assert summary.find("h2").get_text(strip=True) == "There is a problem"
    links = {a["href"]: a.get_text(" ", strip=True) for a in summary.select("a")}
    assert set(links) == {"#id_name", "#id_email", "#id_role_0"}
    assert links["#id_email"].startswith("Email")
    # every link lands on an input that exists
    for href in links:
        assert html.find(id=href[1:]).name == "input"


def test_a_radio_groups_error_is_tied_to_each_of_its_inputs(client, event):
    response = submit(client, event.url, name="Jenn", email="jenn@example.org", organisation="Durham")
    html = BeautifulSoup(response.content, "html.parser")
    radios = html.select('input[name="role"]')
    assert len(radios) > 1
    for radio in radios:
        assert radio["aria-invalid"] == "true"
        described = [html.find(id=ident) for ident in radio["aria-describedby"].split()]
        assert all(described), radio["aria-describedby"]
        assert any("required" in node.get_text() for node in described)


def test_text_inputs_point_at_their_own_error(client, event):
    response = submit(client, event.url, name="", email="jenn@example.org", role="elected", organisation="Durham")
    html = BeautifulSoup(response.content, "html.parser")
    name = html.find(id="id_name")
    error = html.find(id=name["aria-describedby"].split()[-1])
    assert "required" in error.get_text()


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client, event):
    html = BeautifulSoup(client.get(event.url).content, "html.parser")
    assert not html.select("[data-error-summary]")
    assert not html.title.get_text().startswith("Error")
    for radio in html.select('input[name="role"]'):
        assert "aria-describedby" not in radio.attrs or all(html.find(id=i) for i in radio["aria-describedby"].split())
