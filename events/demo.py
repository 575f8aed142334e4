"""Demo content for the trainings section, from shared/seeds 001 (Primers) and 002 (workshops).

Idempotent like the rest of the demo (see demo/seed.py): it creates what is
missing, identified by slug, and never changes what exists. Sessions are
re-dated relative to today, keeping their weekday and local time (Primers on
Wednesdays at 4pm in New York, workshops on Thursdays at 1pm in Los Angeles)
and their spacing in weeks, so a few have happened and most are coming up.
"""

import datetime
import zlib

from django.db import transaction
from django.utils import timezone

from home.seeding import add_child, get_child, stream
from library.models import ResourceLibraryPage
from taxonomy.models import IssueArea

from .models import EventPage, EventSeriesPage, TrainingIndexPage
from .roles import grant_events_staff_page_rights
from .times import get_zone

ISSUE_AREAS = {
    "housing": "Housing",
    "community-safety": "Community safety",
    "economic-justice": "Economic justice",
    "workers-rights": "Workers' rights",
    "immigrant-justice": "Immigrant justice",
    "police-accountability": "Police accountability",
    "local-budgets-and-finance": "Local budgets and finance",
    "governance-and-oversight": "Governance and oversight",
    "equitable-development": "Equitable development",
    "communications": "Communications",
}

INDEX_INTRO = (
    "<p>In addition to the extensive resource library, the Local Progress Impact Lab regularly hosts trainings "
    "and webinars that share policy and organizing strategies around key issues, including housing, public "
    "safety, immigrant justice, and workers’ rights. Check out our latest offerings below!</p>"
)

SERIES_INTRO = (
    "<p>Local Progress Impact Lab’s Policy &amp; Strategy Primers are a series of foundational learning sessions "
    "on policy tools and strategy designed to help local electeds and staff figure out where and how to get "
    "started on key issues. Whether you’re recently elected or looking to build your knowledge in a specific "
    "area, each session will dig in on both policies and strategic approaches to help you use all your local "
    "levers to drive change.</p>"
)
SERIES_BODY_TEXT = (
    "<p>The series operates on a regular, recurring schedule throughout the year focusing on issues related to "
    "housing, community safety, economic justice, and communications strategies.</p>"
    "<p>You can sign up for as many sessions as you like and as far in advance as you want.</p>"
)

SAFETY = (
    "People are safer when they are taken care of. But for too long, we have relied on policing and the criminal "
    "legal system while underinvesting in what people need to thrive. This workshop will offer some key "
    "strategies to foster community safety from a public health perspective, such as community response "
    "programs, violence prevention, infrastructure, and youth programming."
)
EQUITABLE = (
    "Equitable development is when public and private investments, policies, and planning advance the quality "
    "of life of underserved communities. They also benefit workers and reduce racial disparities by increasing "
    "access to affordable housing, quality education, living wage jobs, and transportation. This workshop will "
    "identify key local drivers of equity, as well as tools available to local governments to promote "
    "equitable development such as community benefits agreements, local hire, inclusionary zoning, equitable "
    "planning, local business support, and more."
)
HOUSING = (
    "Local governments have a critical role in ensuring their policies preserve and develop housing so that it "
    "is affordable, accessible, and dignified for everyone. This workshop will give an overview of housing "
    "issues and strategies that advance equity utilizing a range of levers, including renter protections, "
    "investing in affordable housing preservation, and managing new housing development."
)
PRESS = (
    "As local elected officials, it is crucial that you develop a vision and strategy for getting you and your "
    "community's stories told through the media – especially now in a media landscape increasingly defined by "
    "scarcity in communities of color and non-major cities. This training will empower you with proactive press "
    "strategies – including how to earn media coverage and build relationships with reporters."
)
POLICE = (
    "This workshop will introduce core concepts around how to instill accountability and restrain abusive and "
    "discriminatory policing with a focus on harm reduction. Topics covered will include independent oversight "
    "of police, use of force, demilitarization, and surveillance technology."
)
WORKERS = (
    "This workshop will provide an overview of the numerous policy levers available to local "
    "governments—including localities in preempted states—to advance and protect workers’ rights. Topics "
    "covered will include: leveraging your contracting and licensing power, establishing worker boards and "
    "labor agencies, being a model employer, creating new labor standards, and more."
)
SOCIAL = (
    "Social media is an opportunity for local elected officials to own their stories and speak directly to "
    "their communities outside of the traditional media landscape. This training will offer ways to identify "
    "which platforms are right for you, how to establish your voice, and how to effectively use social media to "
    "engage your community and support your policy and governing priorities."
)

# The Primers' schedule in date order (the source lists the autumn sessions first). 2023 dates, Wednesdays at
# 4pm ET, except the Thursday workers' rights session, as in the source.
# (slug, title, original date, issue areas, description)
PRIMER_SESSIONS = [
    ("media-strategies", "Media Strategies", datetime.date(2023, 3, 1), ["communications"], PRESS),
    ("workers-rights", "Workers’ Rights", datetime.date(2023, 3, 9), ["workers-rights", "economic-justice"], WORKERS),
    (
        "police-accountability",
        "Police Accountability",
        datetime.date(2023, 4, 5),
        ["police-accountability", "community-safety"],
        POLICE,
    ),
    ("community-safety", "Community Safety", datetime.date(2023, 5, 10), ["community-safety"], SAFETY),
    ("housing", "Housing", datetime.date(2023, 6, 14), ["housing"], HOUSING),
    ("social-media-strategies", "Social Media Strategies", datetime.date(2023, 6, 28), ["communications"], SOCIAL),
    (
        "equitable-development",
        "Equitable Development",
        datetime.date(2023, 7, 19),
        ["equitable-development", "economic-justice"],
        EQUITABLE,
    ),
    ("community-safety-2", "Community Safety", datetime.date(2023, 9, 27), ["community-safety"], SAFETY),
    (
        "equitable-development-2",
        "Equitable Development",
        datetime.date(2023, 10, 11),
        ["equitable-development", "economic-justice"],
        EQUITABLE,
    ),
    ("housing-2", "Housing", datetime.date(2023, 11, 15), ["housing"], HOUSING),
    ("media-strategies-2", "Media Strategies", datetime.date(2023, 11, 29), ["communications"], PRESS),
    (
        "police-accountability-2",
        "Police Accountability",
        datetime.date(2023, 12, 6),
        ["police-accountability", "community-safety"],
        POLICE,
    ),
]

# The 2024 workshops, Thursdays at 1pm PT / 4pm ET. The source's "Thurs, June 4" and "Thurs, June 12" are not
# Thursdays in 2024; the weekday is kept and the dates read as June 6 and June 13.
WORKSHOPS = [
    (
        "media-strategies",
        "Media Strategies",
        datetime.date(2024, 2, 22),
        ["communications"],
        "As local elected officials, it is crucial that you develop a vision and strategy for getting you and your "
        "community's stories told through the media – especially now in a media landscape increasingly defined by "
        "scarcity in communities of color and non-major cities. This training will empower you with strategies to "
        "craft effective messages and tools through which to get those messages out into the world.",
    ),
    (
        "police-accountability",
        "Police Accountability",
        datetime.date(2024, 2, 29),
        ["police-accountability", "community-safety"],
        "For too long, we’ve relied solely on policing for everything while at the same time underinvesting in "
        "public housing, infrastructure, schools, and healthcare – which has caused decades of harm in Black and "
        "Brown communities. It doesn’t have to be this way. This workshop will introduce core concepts for how to "
        "instill accountability and restrain abusive and discriminatory policing. Topics covered will include data "
        "collection and transparency, independent oversight of police, and use of force.",
    ),
    (
        "social-media-strategies",
        "Social Media Strategies",
        datetime.date(2024, 3, 14),
        ["communications"],
        "Social media is an opportunity for local elected officials to own their stories and speak directly to "
        "their communities outside of the traditional media landscape. This workshop will offer ways to identify "
        "which platforms are right for you, how to establish your voice, and how to effectively use social media "
        "to engage your community and support your policy and governing priorities.",
    ),
    (
        "workers-rights",
        "Workers’ Rights",
        datetime.date(2024, 3, 21),
        ["workers-rights", "economic-justice"],
        "Policies and enforcement that protect the rights of workers, ensure workers are able to meet their basic "
        "needs, and support workers’ efforts to organize are foundational to building healthy, thriving, and "
        "equitable communities. " + WORKERS,
    ),
    (
        "community-responder-programs",
        "Community Responder Programs",
        datetime.date(2024, 5, 16),
        ["community-safety", "police-accountability"],
        "People are safer when they are taken care of. But for too long, we have relied on policing and the "
        "criminal legal system while underinvesting in what people need to thrive. This workshop will highlight "
        "how community responder programs can foster community safety from a public health perspective.",
    ),
    (
        "local-budgets-finance",
        "Local Budgets & Finance",
        datetime.date(2024, 5, 30),
        ["local-budgets-and-finance"],
        "Budget authority is one of the most powerful tools in local governance. This workshop will provide a "
        "primer on budgetary and finance issues in local governments as well as ways to use the budget process to "
        "advocate for change and center workers rights, housing justice and more.",
    ),
    (
        "governance-oversight-tools",
        "Understanding Governance & Oversight Tools",
        datetime.date(2024, 6, 6),
        ["governance-and-oversight"],
        "Advancing racial and economic justice at the local level will require engaging all of the governance and "
        "oversight tools available to local elected officials. This workshop will provide an overview of some of "
        "the most important–and least talked about–governance tools for local elected officials, including "
        "procurement, policies governing the municipal and school district workforce, working with city staff "
        "(managers, attorneys and other department heads), and–crucially for local legislators–oversight and "
        "accountability.",
    ),
    (
        "housing-justice",
        "Housing Justice",
        datetime.date(2024, 6, 13),
        ["housing", "equitable-development"],
        "Local governments have a critical role in ensuring their policies preserve and develop housing so that it "
        "is affordable, accessible, and dignified for everyone. This workshop will give an overview of housing "
        "issues and strategies that advance equity utilizing a range of levers, including renter protections, "
        "investing in affordable housing preservation, and managing new housing development.",
    ),
]

PRIMERS_SCHEDULE = {"time": datetime.time(16, 0), "zone": "America/New_York", "minutes": 60, "past": 3}
WORKSHOPS_SCHEDULE = {"time": datetime.time(13, 0), "zone": "America/Los_Angeles", "minutes": 90, "past": 2}


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def redate(original_dates, *, now_local, at, past):
    """New dates for a schedule: same weekdays and week spacing, the first ``past`` already over.

    The session at index ``past`` falls on the next matching weekday whose
    ``at`` (local time) is still ahead: later today, or within a week.
    """
    first_monday = monday_of(original_dates[0])
    weeks = [(monday_of(day) - first_monday).days // 7 for day in original_dates]
    pivot = original_dates[past]
    today = now_local.date()
    days_ahead = (pivot.weekday() - today.weekday()) % 7
    if days_ahead == 0 and now_local.time() >= at:
        days_ahead = 7
    pivot_date = today + datetime.timedelta(days=days_ahead)
    new_first_monday = monday_of(pivot_date) - datetime.timedelta(weeks=weeks[past])
    return [
        new_first_monday + datetime.timedelta(weeks=week, days=day.weekday())
        for week, day in zip(weeks, original_dates, strict=True)
    ]


def fake_meeting_url(key):
    """A made-up Zoom link (dev data only; it is never shown publicly)."""
    return f"https://zoom.us/j/8{zlib.crc32(key.encode()) % 10**9:09d}"


def ensure_issue_areas(log):
    areas = {}
    created = 0
    for slug, name in ISSUE_AREAS.items():
        areas[slug], was_created = IssueArea.objects.get_or_create(slug=slug, defaults={"name": name})
        created += was_created
    if created:
        log(f"Created {created} issue areas")
    return areas


def ensure_index(home, log):
    index = TrainingIndexPage.objects.descendant_of(home).first()
    if index:
        return index, False
    index = TrainingIndexPage(
        title="Trainings & Webinars",
        slug="trainings",
        show_in_menus=True,
        intro=INDEX_INTRO,
        search_description="Trainings and webinars on policy and organizing strategies for local elected officials.",
    )
    add_child(home, index)
    grant_events_staff_page_rights(index)
    log("Created the Trainings & Webinars page (with page rights for Events staff)")
    return index, True


def faq_items():
    library = ResourceLibraryPage.objects.live().first()
    library_link = f'<a linktype="page" id="{library.pk}">resource library</a>' if library else "resource library"
    return [
        {
            "question": "Who can sign up for the Policy & Strategy Primers?",
            "answer": "<p>The series is open to all Local Progress members – including those who have recently "
            "joined, those who have been active for years, and those who are no longer in elected office (i.e. "
            "alumni). It is also open to your staff. All we ask is that each person signs up individually so they "
            "receive the appropriate Zoom links.</p>",
        },
        {
            "question": "Can I invite my staff to join?",
            "answer": "<p>Yes! They can sign up for as many sessions as they like even if you are also planning "
            "to join or not.</p>",
        },
        {
            "question": "I can’t make any of the virtual workshops. Are there other resources available?",
            "answer": "<p>Yes, there are many resources available to you as a Local Progress member:</p>"
            f"<ul><li>Our {library_link}, which highlights solutions to the most pressing problems and the best "
            "practices from the network.</li>"
            "<li>Recordings of past sessions, linked from each session’s page once it has happened.</li>"
            "<li>The Help Desk, where Impact Lab staff offer policy, strategy, and communications support.</li>"
            "</ul>",
        },
    ]


def ensure_series(index, log):
    series = get_child(index, "policy-strategy-primers")
    if series:
        return series
    series = EventSeriesPage(
        title="Policy & Strategy Primers",
        slug="policy-strategy-primers",
        intro=SERIES_INTRO,
        schedule="Wednesdays at 4pm ET on Zoom",
        search_description="Foundational sessions on policy tools and strategy for local electeds and their staff.",
        body=stream(
            ("paragraph", SERIES_BODY_TEXT),
            ("faq", {"heading": "Frequently asked questions", "items": faq_items()}),
        ),
    )
    add_child(index, series)
    log("Created the Policy & Strategy Primers series")
    return series


def ensure_sessions(parent, sessions, schedule, areas, log, *, recording_base):
    zone = get_zone(schedule["zone"])
    now = timezone.now()
    dates = redate(
        [original for _, _, original, _, _ in sessions],
        now_local=timezone.localtime(now, zone),
        at=schedule["time"],
        past=schedule["past"],
    )
    existing = set(parent.get_children().values_list("slug", flat=True))
    created = 0
    for (slug, title, _, area_slugs, text), day in zip(sessions, dates, strict=True):
        if slug in existing:
            continue
        start = datetime.datetime.combine(day, schedule["time"], tzinfo=zone)
        end = start + datetime.timedelta(minutes=schedule["minutes"])
        event = EventPage(
            title=title,
            slug=slug,
            start=start,
            end=end,
            timezone=schedule["zone"],
            location_name="Zoom",
            meeting_url=fake_meeting_url(f"{parent.slug}/{slug}"),
            description=f"<p>{text}</p>",
            recording_url=f"{recording_base}/{slug}/" if end <= now else "",
        )
        event.issue_areas = [areas[area] for area in area_slugs]
        add_child(parent, event)
        created += 1
    if created:
        log(f"Created {created} sessions under {parent.title}")
    return created


def point_hero_at_trainings(home, index, log):
    """The home page's button goes to the trainings, unless an editor has changed it from the demo's About link."""
    home = type(home).objects.get(pk=home.pk)
    about = get_child(home, "about")
    if about is None or home.hero_cta_page_id != about.pk or home.hero_cta_text != "About the Impact Lab":
        return
    home.hero_cta_page = index
    home.hero_cta_text = "Find a training"
    home.save_revision().publish()
    log("Pointed the home page's button at the trainings")


@transaction.atomic
def seed_events(home, log=lambda message: None):
    areas = ensure_issue_areas(log)
    index, created = ensure_index(home, log)
    if created:
        point_hero_at_trainings(home, index, log)
    series = ensure_series(index, log)
    ensure_sessions(
        series,
        PRIMER_SESSIONS,
        PRIMERS_SCHEDULE,
        areas,
        log,
        recording_base="https://recordings.localprogress.example/primers",
    )
    ensure_sessions(
        index,
        WORKSHOPS,
        WORKSHOPS_SCHEDULE,
        areas,
        log,
        recording_base="https://recordings.localprogress.example/workshops",
    )
    return index
