"""The page shell for phones: the scripted state is set before the first paint."""

import base64
import hashlib

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def test_inline_script_marks_the_page_scripted_and_csp_allows_exactly_it(client, home_page):
    response = client.get("/")
    html = BeautifulSoup(response.content, "html.parser")
    assert html.html["class"] == ["no-js"]
    inline = [s for s in html.head.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"]
    assert len(inline) == 1
    # It runs in <head>, before the stylesheets' rules for `.js` apply to the body.
    assert "classList.replace" in inline[0].string and '"no-js","js"' in inline[0].string
    digest = base64.b64encode(hashlib.sha256(inline[0].string.encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert f"'sha256-{digest}'" in script_src
    assert "'unsafe-inline'" not in script_src
