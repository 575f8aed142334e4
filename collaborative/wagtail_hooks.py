"""Leadership Collaborative hooks: its demo content."""

from wagtail import hooks

from .demo import seed_collaborative


@hooks.register("lpsite_seed_demo")
def seed(home, log):
    seed_collaborative(home, log)


seed.seed_order = 40
