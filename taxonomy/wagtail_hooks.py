"""Taxonomy hooks: the demo issue areas and resource types, before any content that is tagged with them."""

from wagtail import hooks

from .demo import ensure_taxonomy


@hooks.register("lpsite_seed_demo")
def seed(home, log):
    ensure_taxonomy(log)


seed.seed_order = 5
