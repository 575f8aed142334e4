"""One HTML helper for the tests: ``soup(response)`` parses a response (or a string) with BeautifulSoup."""

from bs4 import BeautifulSoup


def soup(response_or_html):
    content = getattr(response_or_html, "content", response_or_html)
    return BeautifulSoup(content, "html.parser")


def ok_soup(response):
    """``soup()`` of a response that must be a 200."""
    assert response.status_code == 200, response.status_code
    return soup(response)
