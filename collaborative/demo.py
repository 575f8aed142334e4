"""Demo content for the Leadership Collaborative and the news, from shared/seeds 003.

Idempotent like the rest of the demo (demo/seed.py): pages are found by slug
and never changed once they exist. The first convening ("Elected Officials
as an Organized Force", March 9–10, Washington, DC) is dated on the next
March 9 to come; the other three follow about every ten months, so the
timeline always spans the next three years. Pictures are drawn by
``home.images`` (no download); series and resources without a picture get
one too, so every card has an image on ``make run``. The About page, seeded
before this (demo/seed.py), gets its list of the four pillars linked to the
pillar pages, once, while that list is still the demo's own.
"""

import datetime
import json

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images.models import Image

from events.models import EventSeriesPage
from events.times import get_zone
from home.images import ensure_demo_image, numbered_demo_image
from home.models import SiteSettings
from home.seeding import add_child, get_child, stream
from library.demo import RESOURCES
from library.models import ResourcePage
from news.models import ArticlePage, ArticleRelatedPage, NewsIndexPage
from taxonomy.models import IssueArea

from .models import CollaborativePage, ConveningPage, InterestPage, PillarPage

INTRO = (
    "A cross-organizational, multi-state, multi-issue, multi-racial space for Local Progress members who hold "
    "leadership positions across the network: four convenings over three years, each on one pillar of our "
    "Strategic Framework."
)
WHO_ITS_FOR = (
    "<p>The Leadership Collaborative is designed for LP members who hold leadership positions across the "
    "network, including our <b>state organizing committees</b>, <b>program steering committees</b>, and "
    "<b>caucus leadership committees</b>.</p>"
    "<p>The convenings create space for peer-to-peer workshopping, community building, leadership development "
    "and the chance to help shape and evolve LP’s organizational and network strategies.</p>"
)

# slug, title, palette, summary, description, issue-area slugs, convening (title, months after the first,
# city, zone, summary)
PILLARS = [
    (
        "elected-officials-as-an-organized-force",
        "Elected Officials as an Organized Force",
        "plum",
        "Elected officials are more effective and powerful when they organize together, across their cities, "
        "counties and school districts.",
        "<p>Elected officials – like all people in our society – are more effective and powerful when they work "
        "together. By organizing together, we can share knowledge and strategies and build new ways of doing the "
        "work. In North Carolina, members coordinated across jurisdictions to pass LGBTQ-inclusive "
        "nondiscrimination ordinances in 15 municipalities.</p>",
        ["governance-and-oversight", "communications"],
        ("Elected Officials as an Organized Force – Washington, DC", 0, "Washington, DC", "America/New_York"),
    ),
    (
        "racial-justice-as-a-beacon-for-all",
        "Racial Justice as a Beacon for All",
        "orange",
        "Centering racial justice in everything we do, because policies that work for those most harmed work "
        "for everyone.",
        "<p>Racial justice is the beacon that guides the network’s work: closing racial and economic gaps, "
        "protecting immigrant communities, and rethinking public safety so that everyone can thrive.</p>",
        ["economic-justice", "immigrant-justice", "community-safety"],
        ("Racial Justice as a Beacon for All – Atlanta, GA", 10, "Atlanta, GA", "America/New_York"),
    ),
    (
        "collaborative-governing-to-build-power",
        "Collaborative Governing to Build Power",
        "teal",
        "Governing is a team sport: working with movements, partners and each other, inside and outside of government.",
        "<p>“Governing is a team sport,” says Executive Director Sarah Johnson. “We need to work together inside "
        "and outside of government and across our cities, counties and school districts.” Collaborative "
        "governing builds lasting power with community partners.</p>",
        ["housing", "workers-rights", "equitable-development"],
        ("Collaborative Governing to Build Power – Chicago, IL", 20, "Chicago, IL", "America/Chicago"),
    ),
    (
        "adaptive-change-from-the-ground-up",
        "Adaptive Change from the Ground Up",
        "green",
        "Building on and replicating work across jurisdictions to redefine what is possible, from the ground up.",
        "<p>By building on and replicating work across jurisdictions, we can redefine what is possible from the "
        "ground up: one locality goes first, and its example gives others the model and the confidence to "
        "follow.</p>",
        ["local-budgets-and-finance", "police-accountability"],
        ("Adaptive Change from the Ground Up – Denver, CO", 30, "Denver, CO", "America/Denver"),
    ),
]
# The order the pillars are listed in (as in the announcement).
PILLAR_ORDER = [
    "racial-justice-as-a-beacon-for-all",
    "collaborative-governing-to-build-power",
    "adaptive-change-from-the-ground-up",
    "elected-officials-as-an-organized-force",
]

AGENDA = [
    ("Day 1", "9am", "Welcome and community building", "Meet members from across the network and set goals."),
    ("Day 1", "10:30am", "Peer-to-peer workshops", "Members workshop the challenges they face at home."),
    ("Day 1", "2pm", "Leadership development", "Skills for leading committees, caucuses and coalitions."),
    ("Day 2", "9am", "Shaping LP’s strategy", "Help shape and evolve the network’s organizational strategies."),
    ("Day 2", "1pm", "Commitments and next steps", "What we take home, and how we stay in touch."),
]

ARTICLE_SLUG = "governing-is-a-team-sport"
ARTICLE_TITLE = "Governing is a Team Sport. Introducing LP’s Leadership Collaborative."
WEAVER_QUOTE = (
    "Organizing together helped us figure out who could help clear the way for other localities. We were "
    "confident that we could pass it in Hillsborough so we went first, followed immediately by the other "
    "jurisdictions in our county, county included. This first wave provided a model for other electeds and "
    "communities to point to and say, ‘Hey, they did it. The sky didn’t fall. We should do this too.’ That was "
    "really important in getting as many localities to pass this as we did. Most importantly, it showed unity "
    "across our communities and the strength that comes with that."
)


def first_convening_day(now):
    """The next March 9 (today counts) in Washington's zone."""
    today = timezone.localtime(now, get_zone("America/New_York")).date()
    first = datetime.date(today.year, 3, 9)
    return first if first >= today else datetime.date(today.year + 1, 3, 9)


def add_months(day, months):
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, day.day)


def convening_times(day, zone_name):
    zone = get_zone(zone_name)
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(17), tzinfo=zone)
    return start, end


def ensure_collaborative(home, log):
    page = get_child(home, "leadership-collaborative")
    if page:
        return page
    image = ensure_demo_image(
        "Leadership Collaborative",
        "Drawing of Local Progress members gathered around a table",
        palette="teal",
        seed=1,
    )
    page = CollaborativePage(
        title="Leadership Collaborative",
        slug="leadership-collaborative",
        show_in_menus=True,
        intro=INTRO,
        who_its_for=WHO_ITS_FOR,
        lead_image=image,
        search_description="The Leadership Collaborative: four convenings over three years for Local Progress "
        "members in leadership positions, one on each pillar of the Strategic Framework.",
        body=stream(
            (
                "quote",
                {
                    "quote": "Governing is a team sport. We need to work together inside and outside of government "
                    "and across our cities, counties and school districts.",
                    "attribution": "Sarah Johnson, Executive Director",
                },
            ),
        ),
    )
    add_child(home, page)
    log("Created the Leadership Collaborative page")
    return page


def ensure_pillars(collaborative, log, now):
    areas = {area.slug: area for area in IssueArea.objects.all()}
    first_day = first_convening_day(now)
    by_slug = {row[0]: row for row in PILLARS}
    pillars = []
    for index, slug in enumerate(PILLAR_ORDER):
        _, title, palette, summary, description, area_slugs, convening = by_slug[slug]
        pillar = get_child(collaborative, slug)
        if pillar is None:
            pillar = PillarPage(
                title=title,
                slug=slug,
                summary=summary,
                description=description,
                lead_image=ensure_demo_image(
                    title, f"Drawing for the pillar “{title}”: members side by side", palette=palette, seed=10 + index
                ),
            )
            pillar.issue_areas = [areas[a] for a in area_slugs if a in areas]
            add_child(collaborative, pillar)
            log(f"Created the pillar {title}")
        ensure_convening(pillar, convening, palette, first_day, log)
        pillars.append(pillar)
    return pillars


def ensure_convening(pillar, convening, palette, first_day, log):
    title, months, city, zone_name = convening
    if ConveningPage.objects.child_of(pillar).exists():
        return
    day = add_months(first_day, months)
    start, end = convening_times(day, zone_name)
    first = months == 0
    page = ConveningPage(
        title=title,
        slug="convening",
        city=city,
        timezone=zone_name,
        start=start,
        end=end,
        summary=(
            "The very first convening of the Leadership Collaborative."
            if first
            else f"A two-day convening in {city} on “{pillar.title}”."
        ),
        description=(
            f"<p>Two days of peer-to-peer workshopping, community building and leadership development, focused on "
            f"<b>{pillar.title}</b>. Members will help shape how this pillar guides LP’s strategies as a network "
            "moving forward.</p>"
        ),
        agenda=stream(*[("item", {"day": d, "time": t, "title": h, "description": x}) for d, t, h, x in AGENDA]),
        lead_image=ensure_demo_image(
            f"{city} convening", f"Drawing of members meeting in {city}", palette=palette, seed=30 + months
        ),
    )
    page.issue_areas = list(pillar.issue_areas.all())
    add_child(pillar, page)
    log(f"Created the convening in {city}")


def ensure_interest_page(collaborative, log):
    page = get_child(collaborative, "get-involved")
    if page:
        return page
    page = InterestPage(
        title="Interested in getting involved? Get in touch",
        slug="get-involved",
        intro="<p>Tell us about yourself and the leadership position you hold in the network, and the LP team "
        "will get in touch about the Leadership Collaborative.</p>",
        thank_you_text="<p>The LP team reads every message and will reply by email.</p>",
    )
    add_child(collaborative, page)
    log("Created the get-involved form")
    return page


def ensure_news_index(home, log):
    index = NewsIndexPage.objects.descendant_of(home).first()
    if index:
        return index
    index = NewsIndexPage(
        title="News",
        slug="news",
        show_in_menus=True,
        intro="<p>Stories from the network and announcements from Local Progress.</p>",
        search_description="News and stories from the Local Progress network.",
    )
    add_child(home, index)
    log("Created the news index")
    return index


def ensure_article(index, collaborative, pillars, log, now):
    if get_child(index, ARTICLE_SLUG):
        return
    lead = ensure_demo_image(
        "Members meeting at the 2022 National Convening",
        "Drawing of Local Progress members meeting each other in person",
        palette="orange",
        seed=2,
    )
    nc = ensure_demo_image(
        "Local Progress North Carolina",
        "Drawing of members of Local Progress North Carolina standing together",
        palette="blue",
        seed=3,
    )
    organised = next((p for p in pillars if p.slug == "elected-officials-as-an-organized-force"), None)
    interest = InterestPage.objects.child_of(collaborative).first()
    cta_target = {"page": interest.pk, "url": ""} if interest else {"page": None, "url": collaborative.url}
    body = stream(
        (
            "paragraph",
            "<p>Elected officials – like all people in our society – are more effective and powerful when they work "
            "together. By organizing together, we can share knowledge and strategies and build new ways of doing "
            "the work.</p>",
        ),
        (
            "quote",
            {
                "quote": "Governing is a team sport. We need to work together inside and outside of government and "
                "across our cities, counties and school districts. The Local Progress network is a part of your team.",
                "attribution": "Sarah Johnson, Executive Director",
            },
        ),
        ("heading", {"text": "A story from North Carolina", "level": "h2"}),
        (
            "paragraph",
            "<p>In 2017, the North Carolina General Assembly passed House Bill 142, an anti-LGBTQ law that replaced "
            "the state’s infamous anti-transgender “bathroom bill.” At the end of 2020, a key section of the bill "
            "expired, clearing the path for localities to finally pass local nondiscrimination protections. In "
            "2021, Local Progress members across the state worked alongside coalition partners to pass "
            "LGBTQ-inclusive nondiscrimination ordinances in 15 municipalities. By connecting locally, elected "
            "officials coordinated strategies to build momentum and address regional issues that crossed "
            "municipal boundaries.</p>"
            "<p>Hillsborough Mayor Jenn Weaver – whose locality was the first in the state to pass the ordinance – "
            "notes that organizing across jurisdictions was critical in showing local power and protecting against "
            "the retaliatory preemption at the state level.</p>",
        ),
        ("quote", {"quote": WEAVER_QUOTE, "attribution": "Jenn Weaver, Mayor of Hillsborough, NC"}),
        (
            "image",
            {
                "image": nc.pk,
                "alt_text": nc.description,
                "decorative": False,
                "caption": "Members of Local Progress North Carolina. Hillsborough Mayor Jenn Weaver pictured "
                "first row center.",
            },
        ),
        (
            "paragraph",
            "<p>At Local Progress, we know that by building on and replicating work across jurisdictions, we can "
            "redefine what is possible from the ground up. That’s why our role is to build a network that "
            "catalyzes and unlocks the collective power of elected officials to advance a shared vision.</p>",
        ),
        ("heading", {"text": "Introducing the Leadership Collaborative", "level": "h2"}),
        (
            "paragraph",
            "<p>This year we are building on that work by launching the Leadership Collaborative – a "
            "cross-organizational, multi-state, multi-issue, multi-racial space hosted as four convenings over the "
            "course of the next three years. Designed for LP members who hold leadership positions across the "
            "network (including our state organizing committees, program steering committees, and caucus "
            "leadership committees), each convening will focus on one of the key pillars of our Strategic "
            "Framework:</p><ul><li>Racial Justice as a Beacon for All</li><li>Collaborative Governing to Build "
            "Power</li><li>Adaptive Change from the Ground Up</li><li>Elected Officials as an Organized "
            "Force</li></ul>"
            "<p>These convenings will create space for peer-to-peer workshopping, community building, leadership "
            "development and the chance to help shape and evolve LP’s organizational and network strategies.</p>"
            "<p>The very first convening – focused on Elected Officials as an Organized Force – will be held on "
            "March 9 – 10 in Washington, DC. We’re excited to share out highlights and ways that this convening "
            "will help shape our strategies as a network moving forward.</p>",
        ),
        (
            "call_to_action",
            {"text": "Interested in getting involved? Get in touch", "style": "primary", **cta_target},
        ),
    )
    article = ArticlePage(
        title=ARTICLE_TITLE,
        slug=ARTICLE_SLUG,
        date=timezone.localdate(now) - datetime.timedelta(days=14),
        author="Local Progress staff",
        summary="Elected officials are more effective and powerful when they work together. Introducing four "
        "convenings over three years for LP members in leadership positions.",
        lead_image=lead,
        lead_image_caption="Local Progress members meeting each other in person at the 2022 National Convening "
        "in Denver, CO.",
        body=body,
    )
    related = [collaborative] + ([organised] if organised else [])
    article.related_links = [ArticleRelatedPage(page=page, sort_order=i) for i, page in enumerate(related)]
    add_child(index, article)
    log("Created the news article “Governing is a Team Sport”")


def ensure_pictures_on_series_and_resources(log):
    """The demo's own series and resources get a drawn picture, once (an editor's later removal stays)."""
    slugs = {slugify(row[0])[:80] for row in RESOURCES}
    pages = list(EventSeriesPage.objects.filter(slug="policy-strategy-primers")) + list(
        ResourcePage.objects.filter(slug__in=slugs).order_by("path")
    )
    count = 0
    for index, page in enumerate(pages):
        title = page.title[:100]
        if page.lead_image_id or Image.objects.filter(title=title).exists() or page.has_unpublished_changes:
            continue
        page.lead_image = numbered_demo_image(title, index)
        page.save_revision(log_action=False).publish()
        count += 1
    if count:
        log(f"Gave {count} demo series and resources a picture")


def ensure_default_share_image(home, log):
    from wagtail.models import Site

    site = Site.objects.filter(root_page=home).first()
    if site is None:
        return
    settings = SiteSettings.for_site(site)
    if settings.social_image_id:
        return
    settings.social_image = ensure_demo_image(
        "Local Progress Impact Lab", "The Local Progress Impact Lab: members working together", palette="teal", seed=7
    )
    settings.save()
    log("Set the default share image")


def link_pillars_on_about_page(home, pillars, log):
    """The About page (seeded first, by demo/seed.py) names the four pillars as plain list items: link each to
    its pillar page. Only while the About page still has the demo's list with every name unlinked and no
    unsaved draft, so an editor's changes stay and a second run changes nothing."""
    about = get_child(home, "about")
    if about is None or not hasattr(about, "body") or about.has_unpublished_changes:
        return
    items = {f"<li>{pillar.title}</li>": pillar for pillar in pillars if pillar.live}
    if not items:
        return
    raw = [dict(block) for block in about.body.raw_data]
    for block in raw:
        text = block.get("value")
        if block.get("type") != "paragraph" or not isinstance(text, str) or not all(item in text for item in items):
            continue
        for item, pillar in items.items():
            text = text.replace(item, f'<li><a linktype="page" id="{pillar.pk}">{pillar.title}</a></li>')
        block["value"] = text
        about.body = json.dumps(raw)
        about.save_revision(log_action=False).publish()
        log("Linked the pillars on the About page")
        return


@transaction.atomic
def seed_collaborative(home, log=lambda message: None):
    now = timezone.now()
    collaborative = ensure_collaborative(home, log)
    pillars = ensure_pillars(collaborative, log, now)
    ensure_interest_page(collaborative, log)
    index = ensure_news_index(home, log)
    ensure_article(index, collaborative, pillars, log, now)
    ensure_pictures_on_series_and_resources(log)
    ensure_default_share_image(home, log)
    link_pillars_on_about_page(home, pillars, log)
