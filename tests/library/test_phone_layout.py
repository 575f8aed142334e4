"""The library on a phone: results first, filters behind a "Filter" button,
and a valid results heading that focus can land on."""

import pytest
from bs4 import BeautifulSoup

from library.factories import ResourcePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources(library, areas, types):
    ResourcePageFactory(parent=library, title="Right to counsel", issue_areas=[areas["housing"]])
    ResourcePageFactory(parent=library, title="Fair workweek", issue_areas=[areas["workers"]])


def get(client, library, query=""):
    return BeautifulSoup(client.get(library.url + query).content, "html.parser")


def test_results_heading_is_a_plain_focusable_heading(client, library, resources):
    html = get(client, library)
    heading = html.find(id="results-heading")
    assert heading.name == "h2"
    assert "role" not in heading.attrs  # role="status" on a heading is invalid
    assert heading["tabindex"] == "-1"
    assert heading.get_text(" ", strip=True) == "2 resources"


def test_filters_link_to_the_results_so_focus_can_land_there(client, library, resources):
    html = get(client, library)
    options = html.select("#library-filters a.facet__option")
    assert options and all(a["href"].endswith("#results-heading") for a in options)
    assert html.find(id="results").name == "section"
    chosen = get(client, library, "?issue=housing")
    chips = chosen.select(".chips a")
    assert chips and all(a["href"].endswith("#results-heading") for a in chips)


def test_filter_button_controls_the_filters_and_counts_what_is_applied(client, library, resources):
    html = get(client, library)
    button = html.select_one("button.filters-toggle")
    assert button["aria-controls"] == "library-filters" and button["aria-expanded"] == "false"
    assert html.find(id="library-filters") is not None
    assert button.get_text(" ", strip=True) == "Filter"
    filtered = get(client, library, "?issue=housing")
    assert filtered.select_one("button.filters-toggle").get_text(" ", strip=True) == "Filter (1 applied)"
