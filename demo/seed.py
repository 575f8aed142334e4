"""Demo content for the site shell, drawn from ``shared/seeds`` (apps build theirs with home/seeding.py).

Every function here is idempotent: it creates what is missing and leaves
whatever exists (including editors' changes) alone. Other apps add their part
of the demo through the ``lpsite_seed_demo`` hook (see ``seed_demo``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from events.models import EventPage
from home import roles
from home.models import HomeFeaturedResource, HomeFeaturedTraining, HomePage, SiteSettings, StandardPage
from home.navigation import seed_navigation
from home.samples import ensure_sample_media
from home.seeding import add_child, get_child, stream
from library.models import ResourcePage

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "lpsite-admin"  # noqa: S105 - dev only; never created in production

IMPACT_LAB = (
    "The Local Progress Impact Lab brings together local leaders, partners, and issue experts to build the "
    "knowledge, skills, and leadership needed to advance racial and economic justice at the local level."
)


def ensure_home_page(log):
    """The HomePage as the default site's root, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    # Wagtail's "Welcome to your new Wagtail site!" page holds the slug "home";
    # move it aside, build the real home page, then remove it.
    welcome_pages = [page for page in Page.objects.filter(depth=2) if page.specific_class is Page and page.is_leaf()]
    Page.objects.filter(pk__in=[p.pk for p in welcome_pages]).update(slug="welcome-to-wagtail")
    home = HomePage(
        title="Home",
        slug="home",
        seo_title="Local Progress Impact Lab: policy, strategy and leadership for local elected officials",
        search_description=IMPACT_LAB,
        hero_heading="Advancing racial and economic justice at the local level",
        hero_text=(
            "Trainings, a resource library and a Help Desk for progressive local elected officials, "
            "their staff and alumni."
        ),
        intro=(
            f"<p>{IMPACT_LAB}</p>"
            "<p>In addition to the extensive resource library, the Local Progress Impact Lab regularly hosts "
            "trainings and webinars that share policy and organizing strategies around key issues, including "
            "housing, public safety, immigrant justice, and workers’ rights.</p>"
        ),
        callout_heading="Have a policy, strategy or communications question?",
        callout_text=(
            "Via the Help Desk, Impact Lab staff share their expertise, connect you with other Local Progress "
            "members, and draw on the issue area expertise of national, state, and local partners."
        ),
        callout_button_text="Ask the Help Desk",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        site.root_page = home
        site.site_name = "Local Progress Impact Lab"
        site.save()
    else:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Local Progress Impact Lab"
        )
    for page in welcome_pages:
        Page.objects.get(pk=page.pk).delete()
    log("Created the home page")
    return home


def ensure_site_settings(home, log):
    site = Site.objects.get(root_page=home)
    site_settings, created = SiteSettings.objects.get_or_create(
        site=site,
        defaults={
            "organisation_name": "Local Progress Impact Lab",
            "tagline": "Building the knowledge, skills, and leadership to advance racial and economic justice.",
            "contact_email": "helpdesk@localprogress.example",
            "footer_text": (
                "<p>A national network of progressive local elected officials: city council members, county "
                "commissioners, school board members and more, working together to build power.</p>"
            ),
            "x_url": "https://x.com/localprogress",
            "facebook_url": "https://www.facebook.com/localprogress",
            "instagram_url": "https://www.instagram.com/localprogress",
        },
    )
    if created:
        log("Created the site settings")
    return site_settings


ABOUT_BODY = [
    ("heading", {"text": "Who we are", "level": "h2"}),
    (
        "paragraph",
        f"<p>{IMPACT_LAB}</p><p>Elected officials – like all people in our society – are more effective and "
        "powerful when they work together. By organizing together, we can share knowledge and strategies and "
        "build new ways of doing the work.</p>",
    ),
    (
        "quote",
        {
            "quote": "Governing is a team sport. We need to work together inside and outside of government and "
            "across our cities, counties and school districts. The Local Progress network is a part of your team.",
            "attribution": "Sarah Johnson, Executive Director",
        },
    ),
    ("heading", {"text": "How we support members", "level": "h2"}),
    (
        "paragraph",
        "<ul><li><b>Trainings and webinars</b> that share policy and organizing strategies around housing, "
        "public safety, immigrant justice, and workers’ rights, including our Policy &amp; Strategy Primers.</li>"
        "<li><b>A resource library</b> that highlights solutions to the most pressing problems and the best "
        "practices from the network.</li>"
        "<li><b>The Help Desk</b>, where Impact Lab staff offer policy, strategy, and communications "
        "assistance, connect you with other members, and draw on partners’ issue expertise.</li></ul>",
    ),
    ("heading", {"text": "Our Strategic Framework", "level": "h2"}),
    (
        "paragraph",
        "<p>Our Leadership Collaborative convenings each focus on one of the four pillars of our Strategic "
        "Framework:</p><ul><li>Racial Justice as a Beacon for All</li><li>Collaborative Governing to Build "
        "Power</li><li>Adaptive Change from the Ground Up</li><li>Elected Officials as an Organized Force</li></ul>",
    ),
    (
        "faq",
        {
            "heading": "Questions members ask",
            "items": [
                {
                    "question": "Who can take part?",
                    "answer": "<p>Local Progress members – those who have recently joined, those who have been "
                    "active for years, and alumni no longer in office – and their staff.</p>",
                },
                {
                    "question": "What does the Help Desk cover?",
                    "answer": "<p>Policy (examples of ordinances from other jurisdictions, policy review, state "
                    "preemption analysis), strategy (process, stakeholder engagement, power mapping) and "
                    "communications (strategy, talking points, media prep).</p>",
                },
            ],
        },
    ),
]


def ensure_about_page(home, log):
    about = get_child(home, "about")
    if about:
        return about, False
    about = StandardPage(
        title="About",
        slug="about",
        show_in_menus=True,
        intro="Who we are, and how the Impact Lab supports progressive local elected officials.",
        search_description="About the Local Progress Impact Lab and how it supports local elected officials.",
        body=stream(*ABOUT_BODY),
    )
    add_child(home, about)
    log("Created the About page")
    return about, True


PRIVACY_BODY = [
    (
        "paragraph",
        "<p>We ask only for what we need to answer you, and we never sell or share it. Everything you send "
        "through a form on this site is stored on our own systems; our staff see it in the site's admin.</p>",
    ),
    ("heading", {"text": "What each form keeps, and for how long", "level": "h2"}),
    (
        "paragraph",
        "<ul><li><b>Training and event registrations</b> (including convenings): your name, email, role, "
        "jurisdiction or organisation and your answers to the event's questions, plus whether you attended. We "
        "use them to send you the meeting link, reminders and the recording, and to report on attendance. They "
        "are kept until you ask us to delete them.</li>"
        "<li><b>Help Desk requests</b>: your name, email, jurisdiction, your question and the conversation with "
        "our staff. Two years after a request is closed, the site removes everything that identifies you and "
        "keeps only anonymous numbers (category, issue area, dates).</li>"
        "<li><b>Leadership Collaborative interest list</b> (“Get in touch”): your name, email, role, jurisdiction, "
        "leadership position and message, kept until you ask us to delete them.</li></ul>"
        "<p>Messages our spam filter holds are kept the same way, so staff can restore real ones. Every email the "
        "site sends is logged with its recipient, so a mail outage loses nothing.</p>",
    ),
    ("heading", {"text": "Your choices", "level": "h2"}),
    (
        "paragraph",
        "<p>You can ask us at any time what we hold about you, to correct it, or to delete it: write to the "
        "address on our contact page. Registrations can also be cancelled with the link in your confirmation "
        "email.</p>",
    ),
]


def _duration(seconds):
    """'about a year', '2 weeks', '3 days', '12 hours': how long a cookie lasts, in words."""
    days = round(seconds / 86400)
    if days >= 360:
        years = round(days / 365)
        return "about a year" if years == 1 else f"about {years} years"
    if days >= 7 and days % 7 == 0:
        return "a week" if days == 7 else f"{days // 7} weeks"
    if days >= 1:
        return "a day" if days == 1 else f"{days} days"
    hours = max(1, round(seconds / 3600))
    return "an hour" if hours == 1 else f"{hours} hours"


def privacy_body():
    """The privacy page's blocks: PRIVACY_BODY, then the cookies, from the settings that decide them."""
    return [*PRIVACY_BODY, ("heading", {"text": "Cookies", "level": "h2"}), ("paragraph", cookies_text())]


def cookies_text():
    """The privacy page's cookie paragraph, naming the cookies Django sets and how long each lasts."""
    return (
        "<p>This site sets only the cookies it needs to work, and only on the pages that need them:</p><ul>"
        f"<li><b>{settings.CSRF_COOKIE_NAME}</b>, a security token that proves a form was sent from this site. It "
        f"is set when you open a page with a form and lasts {_duration(settings.CSRF_COOKIE_AGE)}.</li>"
        f"<li><b>{settings.SESSION_COOKIE_NAME}</b>, a session cookie holding a random key. It is set when you "
        "register for a training or convening (so the next page can show where you stand), when our spam filter "
        "holds a message you sent through “Get in touch” (so the next page can say so), and when staff sign in. "
        "What it points to stays on our server; the cookie expires after "
        f"{_duration(settings.SESSION_COOKIE_AGE)}.</li></ul>"
        "<p>The site uses no advertising or tracking cookies or scripts; share links on articles are plain "
        "links.</p>"
    )


CONTACT_BODY = [
    (
        "paragraph",
        "<p>Email the Local Progress Impact Lab team at "
        '<a href="mailto:helpdesk@localprogress.example">helpdesk@localprogress.example</a>. We answer within '
        "two working days.</p>",
    ),
    ("heading", {"text": "Where to go for what", "level": "h2"}),
    (
        "paragraph",
        "<ul><li>A policy, strategy or communications question: ask the Help Desk.</li>"
        "<li>Trainings and webinars: see the trainings page; each registration confirmation has a link to manage "
        "it.</li><li>The Leadership Collaborative: use its “Get in touch” form.</li>"
        "<li>Press: write to the address above with “Press” in the subject.</li></ul>",
    ),
]


def ensure_footer_pages(home, site_settings, log):
    """The privacy and contact pages (standard pages, linked from the footer and the forms)."""
    pages = {}
    for slug, title, intro, body in [
        ("privacy", "Privacy", "What each of our forms keeps, for how long, and your choices.", privacy_body()),
        ("contact", "Contact us", "How to reach the Local Progress Impact Lab team.", CONTACT_BODY),
    ]:
        page = get_child(home, slug)
        if page is None:
            page = StandardPage(title=title, slug=slug, intro=intro, search_description=intro, body=stream(*body))
            add_child(home, page)
            log(f"Created the {title} page")
        pages[slug] = page
    changed = []
    if site_settings.privacy_page_id is None:
        site_settings.privacy_page = pages["privacy"]
        changed.append("privacy_page")
    if site_settings.contact_page_id is None:
        site_settings.contact_page = pages["contact"]
        changed.append("contact_page")
    if changed:
        site_settings.save(update_fields=changed)
    return pages


# One dev login per staff group: (username, password, first name, last name, group).
DEMO_STAFF = [
    ("editor", "lpsite-editor", "Erin", "Editor", roles.EDITORS),
    ("lead", "lpsite-lead", "Lee", "Lead", roles.COMMUNICATIONS_LEADS),
    ("events", "lpsite-events", "Eva", "Events", roles.EVENTS_STAFF),
    ("helpdesk", "lpsite-helpdesk", "Hal", "Helpdesk", roles.HELP_DESK_STAFF),
]


def demo_logins():
    """(username, password, role) of every dev login, for `make run` to print."""
    return [(DEMO_ADMIN_USERNAME, DEMO_ADMIN_PASSWORD, "superuser")] + [
        (username, password, group) for username, password, _, _, group in DEMO_STAFF
    ]


def ensure_demo_staff(log):
    """One login per staff group, dev only (LPSITE_DEMO_USERS)."""
    if not getattr(settings, "LPSITE_DEMO_USERS", False):
        return []
    User = get_user_model()
    users = []
    for username, password, first, last, group_name in DEMO_STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                f"{username}@localprogress.example",
                password,
                first_name=first,
                last_name=last,
            )
            group = Group.objects.filter(name=group_name).first()
            if group:
                user.groups.add(group)
            log(f"Created the dev login {username} ({group_name})")
        users.append(user)
    return users


def ensure_dev_admin(log):
    """A local superuser for development; refused unless LPSITE_DEMO_USERS is on."""
    if not getattr(settings, "LPSITE_DEMO_USERS", False):
        return None
    User = get_user_model()
    user = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(
            DEMO_ADMIN_USERNAME,
            "admin@localprogress.example",
            DEMO_ADMIN_PASSWORD,
            first_name="Site",
            last_name="Admin",
        )
        log(f"Created the dev admin login {DEMO_ADMIN_USERNAME}")
    return user


@transaction.atomic
def seed_shell(log=lambda message: None):
    home = ensure_home_page(log)
    site_settings = ensure_site_settings(home, log)
    ensure_footer_pages(home, site_settings, log)
    ensure_sample_media(log)
    about, created = ensure_about_page(home, log)
    if created and home.hero_cta_page_id is None:
        # Later features (trainings) may point the hero at their own pages.
        home.hero_cta_page = about
        home.hero_cta_text = "About the Impact Lab"
        home.save_revision().publish()
    ensure_dev_admin(log)
    ensure_demo_staff(log)
    return home


def seed_navigation_demo(home, log=lambda message: None):
    """The menu and footer links (Settings › Navigation), after every app has added its pages.

    Registered on ``lpsite_seed_demo`` late (order 90): on the first run the menu
    lists every live child of the home page marked "show in menus", in tree order.
    Apps seeding a section later call ``home.navigation.add_nav_link``.
    """
    seed_navigation(home, log)


FEATURED_RESOURCES = [
    "Passing Nondiscrimination Ordinances Across North Carolina",
    "Participatory Budgeting Toolkit",
    "Building a Non-Police Crisis Response Team",
]
HOME_SOCIAL_TEXT = (
    "Trainings, a resource library and a Help Desk for progressive local elected officials, their staff and alumni."
)


def seed_home_picks_demo(home, log=lambda message: None):
    """What editors curate, so the demo shows it: three featured resources, the next convening and a
    share text on the home page. Runs while the home page has none of them: an editor's picks are kept."""
    home = HomePage.objects.get(pk=home.pk)
    if home.social_text or home.featured_resources.exists() or home.featured_trainings.exists():
        return
    resources = {page.title: page for page in ResourcePage.objects.live().filter(title__in=FEATURED_RESOURCES)}
    picks = [resources[title] for title in FEATURED_RESOURCES if title in resources]
    convening = (
        EventPage.objects.live()
        .filter(end__gt=timezone.now(), content_type__model="conveningpage")
        .order_by("start")
        .first()
    )
    home.featured_resources = [HomeFeaturedResource(feature=page, sort_order=n) for n, page in enumerate(picks)]
    home.featured_trainings = [HomeFeaturedTraining(feature=convening, sort_order=0)] if convening else []
    home.social_text = HOME_SOCIAL_TEXT
    home.save_revision(log_action=False).publish(log_action=False)
    log(f"Featured {len(picks)} resources{' and the next convening' if convening else ''} on the home page")
