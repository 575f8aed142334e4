"""The demo PDF writer moved to ``home.pdf`` (the sample document of block previews uses it too)."""

from home.pdf import make_pdf  # noqa: F401
