"""What every app's demo content (its ``demo.py``) builds pages with: kept in the shell, below every app, so
an app's demo needs nothing from the ``demo`` app that seeds them all (demo/seed.py)."""

import json


def stream(*blocks):
    """A StreamField value from (type, value) pairs, as raw JSON-able data."""
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def get_child(parent, slug):
    return parent.get_children().filter(slug=slug).specific().first()


def add_child(parent, page):
    """Add ``page`` under ``parent`` and publish it."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
