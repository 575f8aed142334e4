"""The focus ring is visible on every background it sits on (WCAG 2.2, 1.4.11: 3:1)."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def luminance(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tokens():
    css = CSS.read_text()
    root = re.search(r":root\s*{(.*?)}", css, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root)), css


def test_contrast_helper_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#f59e0b", "#ffffff") == pytest.approx(2.15, abs=0.01)


@pytest.mark.parametrize("surface", ["paper", "paper-alt", "brand-tint"])
def test_focus_ring_on_light_surfaces(surface):
    values, _ = tokens()
    assert contrast(values["focus"], values[surface]) >= 3, (values["focus"], values[surface])


@pytest.mark.parametrize("colour", ["#fff7ed", "#fef3f2", "#fff4ed"])
def test_focus_ring_on_notice_backgrounds(colour):
    values, _ = tokens()
    assert contrast(values["focus"], colour) >= 3


@pytest.mark.parametrize("surface", ["brand", "brand-dark", "#14707f"])
def test_focus_ring_inside_dark_sections(surface):
    values, css = tokens()
    # The hero and the footer switch the ring to its light variant.
    assert re.search(r"\.hero,\s*\.site-footer\s*{\s*--focus:\s*var\(--focus-on-dark\)", css)
    background = values.get(surface, surface)
    assert contrast(values["focus-on-dark"], background) >= 3
