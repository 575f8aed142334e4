"""Demo content for the resource library (idempotent; see demo/seed.py)."""

import datetime
import textwrap

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model

from home.images import numbered_demo_image
from home.seeding import add_child, get_child, stream
from taxonomy.models import IssueArea, ResourceType

from .models import ResourceDocument, ResourceLibraryPage, ResourcePage
from .pdf import make_pdf

# (title, type, issue areas, jurisdiction, state, months ago, summary, has a downloadable document)
RESOURCES = [
    ("Right to Counsel in Eviction Proceedings", "model-ordinance", ["housing"], "Cleveland, OH", "OH", 1,
     "An ordinance guaranteeing legal representation to tenants facing eviction, with the phase-in schedule, "
     "income eligibility and funding options local governments have used.", True),
    ("Tenant Opportunity to Purchase Ordinance", "model-ordinance", ["housing", "equitable-development"],
     "Washington, DC", "DC", 3,
     "Gives tenants the first chance to buy their building when it is sold, keeping homes affordable and "
     "communities in place.", True),
    ("Renter Protections 101", "policy-brief", ["housing"], "", "", 2,
     "A one-pager on the core renter protections (just cause, rent stabilisation, anti-harassment, "
     "source-of-income discrimination) and which ones localities can pass under state law.", True),
    ("Inclusionary Zoning: What Local Governments Can Do", "policy-brief", ["housing", "equitable-development"],
     "", "", 7,
     "How inclusionary zoning works, the trade-offs in set-aside levels and in-lieu fees, and questions to ask "
     "your planning staff.", False),
    ("Community Responder Programs", "policy-brief", ["community-safety"], "", "", 0,
     "A one-pager on sending trained responders, not police, to mental health and quality-of-life calls: "
     "models, costs, and the data to collect from day one.", True),
    ("Building a Non-Police Crisis Response Team", "toolkit", ["community-safety", "police-accountability"],
     "Durham, NC", "NC", 5,
     "A step-by-step toolkit from planning to launch: call-type analysis, 911 integration, staffing, and "
     "community engagement.", True),
    ("Policy & Strategy Primer: Community Safety (recording)", "training-recording", ["community-safety"], "", "",
     4, "Recording of the primer on fostering community safety from a public health perspective: responder "
     "programs, violence prevention, infrastructure and youth programming.", False),
    ("Independent Police Oversight Commission Ordinance", "model-ordinance",
     ["police-accountability", "governance-and-oversight"], "Oakland, CA", "CA", 9,
     "Ordinance text establishing a civilian oversight commission with investigative and disciplinary powers, "
     "and a summary of what made it hold up.", True),
    ("Surveillance Technology Oversight Ordinance", "model-ordinance", ["police-accountability"], "Seattle, WA",
     "WA", 12,
     "Requires council approval and public reporting before any department acquires surveillance technology.",
     True),
    ("Use of Force Policy Checklist", "toolkit", ["police-accountability"], "", "", 6,
     "A checklist for reviewing your department's use-of-force policy against current best practice.", True),
    ("Passing Nondiscrimination Ordinances Across North Carolina", "case-study",
     ["governance-and-oversight", "economic-justice"], "Hillsborough, NC", "NC", 14,
     "How Local Progress members coordinated to pass LGBTQ-inclusive nondiscrimination ordinances in 15 "
     "municipalities once state preemption expired, with Hillsborough going first.", False),
    ("Worker Boards and Labor Standards Agencies", "policy-brief", ["workers-rights"], "", "", 2,
     "How local worker boards and offices of labor standards enforce the law and give workers a voice.", True),
    ("Using Contracting and Licensing Power for Workers", "toolkit", ["workers-rights", "local-budgets-and-finance"],
     "", "", 8, "Labor standards in city contracts, responsible-bidder rules and licensing conditions, with "
     "sample language.", True),
    ("Wage Theft Ordinance", "model-ordinance", ["workers-rights", "economic-justice"], "Chicago, IL", "IL", 16,
     "Denies business licenses to repeat wage-theft offenders and sets up local enforcement.", True),
    ("Being a Model Employer", "report", ["workers-rights", "governance-and-oversight"], "", "", 11,
     "How cities, counties and school districts can lead by example on wages, scheduling and collective "
     "bargaining for their own workforce.", False),
    ("Workers' Rights in Preempted States", "policy-brief", ["workers-rights", "governance-and-oversight"], "", "",
     5, "The levers localities still hold when the state has preempted minimum wage and other labor standards.",
     True),
    ("Participatory Budgeting Toolkit", "toolkit", ["local-budgets-and-finance"], "Boston, MA", "MA", 10,
     "Run a participatory budgeting cycle: rulebook, timeline, outreach plan and ballot templates.", True),
    ("Reading Your City's Budget", "slide-deck", ["local-budgets-and-finance"], "", "", 3,
     "Slides from the Local Budgets & Finance workshop: the budget cycle, where the discretion is, and how to "
     "use the process to center workers' rights and housing justice.", True),
    ("Budget Season Talking Points", "talking-points", ["local-budgets-and-finance", "communications"], "", "", 1,
     "Messages that connect budget choices to residents' daily lives, for hearings, town halls and the press.",
     True),
    ("Community Benefits Agreements", "policy-brief", ["equitable-development"], "", "", 13,
     "What community benefits agreements can require of developers, and how local governments can back them.",
     True),
    ("Local Hire Ordinance", "model-ordinance", ["equitable-development", "workers-rights"], "Los Angeles, CA", "CA",
     18, "Targets a share of hours on public projects to local and disadvantaged workers, with apprenticeship "
     "pathways.", True),
    ("Municipal ID Programs", "policy-brief", ["immigrant-justice"], "New Haven, CT", "CT", 20,
     "How a city ID card opens banking, libraries and services to every resident, regardless of status.", False),
    ("Welcoming City Ordinance", "model-ordinance", ["immigrant-justice"], "", "", 15,
     "Limits local cooperation with federal immigration enforcement and protects residents' data.", True),
    ("Legal Defense Fund for Immigrant Residents", "case-study", ["immigrant-justice"], "Denver, CO", "CO", 22,
     "How one city funded universal representation in immigration court, and what it changed.", False),
    ("Earned Media Playbook for Local Electeds", "toolkit", ["communications"], "", "", 2,
     "Proactive press strategies: pitching, building relationships with reporters and getting your community's "
     "stories told.", True),
    ("Social Media Strategies (recording)", "training-recording", ["communications"], "", "", 6,
     "Recording of the workshop on choosing platforms, establishing your voice and engaging your community "
     "online.", False),
    ("Talking Points: Community Safety", "talking-points", ["community-safety", "communications"], "", "", 4,
     "How to talk about safety as care: messages tested with voters across the political spectrum.", True),
    ("Governance & Oversight Tools (recording)", "training-recording", ["governance-and-oversight"], "", "", 9,
     "Recording of the workshop on procurement, the municipal workforce, working with city staff, and oversight.",
     False),
    ("State Preemption: What Localities Can Still Do", "report", ["governance-and-oversight", "economic-justice"],
     "", "", 12, "An analysis of preemption trends and the strategies members have used to protect local power.",
     True),
    ("Guaranteed Income Pilot", "case-study", ["economic-justice"], "Stockton, CA", "CA", 24,
     "Lessons from a guaranteed income pilot: design, funding, evaluation and the politics of going first.", False),
]  # fmt: skip

RECORDING_URL = "https://www.youtube.com/watch?v=impact-lab-primer"


def ensure_library(home, log):
    library = get_child(home, "resources")
    if library:
        return library
    library = ResourceLibraryPage(
        title="Resource library",
        slug="resources",
        show_in_menus=True,
        intro=(
            "<p>We highlight solutions to the most pressing problems and the best practices from the network: "
            "ordinances from other jurisdictions, one-pagers, toolkits and recordings of past trainings.</p>"
        ),
        search_description="Model ordinances, policy briefs, toolkits and training recordings for local elected "
        "officials, searchable by issue, type and state.",
    )
    add_child(home, library)
    log("Created the resource library")
    return library


def demo_document(title, summary, issue_names):
    lines = textwrap.wrap(summary, 88) + ["", "Issue areas: " + ", ".join(issue_names), ""]
    lines += ["Local Progress Impact Lab resource library.", "Questions? Ask the Help Desk."]
    Document = get_document_model()
    slug = slugify(title)[:60]
    document = Document(title=title)
    document.file.save(f"{slug}.pdf", ContentFile(make_pdf(title, lines)), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def ensure_resources(library, log):
    today = timezone.localdate()
    types = {t.slug: t for t in ResourceType.objects.all()}
    areas = {a.slug: a for a in IssueArea.objects.all()}
    existing = set(library.get_children().values_list("slug", flat=True))
    created = 0
    for number, row in enumerate(RESOURCES, start=1):
        title, type_slug, area_slugs, jurisdiction, state, months_ago, summary, has_document = row
        slug = slugify(title)[:80]
        if slug in existing:
            continue
        published = today - datetime.timedelta(days=30 * months_ago + (len(title) % 20))
        resource = ResourcePage(
            title=title,
            slug=slug,
            summary=summary,
            resource_type=types[type_slug],
            jurisdiction=jurisdiction,
            state=state,
            published_date=published,
            external_url=RECORDING_URL if type_slug == "training-recording" else "",
            body=stream(
                ("heading", {"text": "What it is", "level": "h2"}),
                ("paragraph", f"<p>{summary}</p>"),
                ("heading", {"text": "Using it where you are", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Every jurisdiction is different: state law, your charter and local politics shape what "
                    "will work. The Help Desk can review a draft with you, run a state preemption analysis, or "
                    "connect you with members who have done this before.</p>",
                ),
            ),
        )
        # Its picture from the start (number 0 is the Primers series'): one publish, not two.
        resource.lead_image = numbered_demo_image(title, number)
        resource.issue_areas = [areas[a] for a in area_slugs]
        if has_document:
            document = demo_document(title, summary, [areas[a].name for a in area_slugs])
            resource.documents = [ResourceDocument(document=document, title=f"{title} (PDF)")]
        add_child(library, resource)
        created += 1
    if created:
        log(f"Created {created} resources")


def seed_library(home, log):
    library = ensure_library(home, log)
    ensure_resources(library, log)
    return library
