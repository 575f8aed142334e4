"""The site shell's late part of the demo: the menu and the home page's picks, after every app has seeded."""

from wagtail import hooks

from .seed import seed_home_picks_demo, seed_navigation_demo


@hooks.register("lpsite_seed_demo")
def seed_navigation(home, log):
    seed_navigation_demo(home, log)


seed_navigation.seed_order = 90


@hooks.register("lpsite_seed_demo")
def seed_home_picks(home, log):
    seed_home_picks_demo(home, log)


seed_home_picks.seed_order = 95
