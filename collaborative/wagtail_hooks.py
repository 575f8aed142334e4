"""Leadership Collaborative hooks: its demo content."""

from wagtail import hooks

from .demo import seed_collaborative


@hooks.register("lpsite_seed_demo")
def seed(home, log):
    seed_collaborative(home, log)


seed.seed_order = 40

# The interest inbox registers itself (modeladmin, Inbox menu item, log actions).
from . import inbox  # noqa: E402, F401
