"""Demo issue areas and resource types (idempotent; see home/demo.py)."""

from .models import IssueArea, ResourceType

ISSUE_AREAS = [
    ("housing", "Housing", "Renter protections, affordable housing preservation and new development."),
    ("community-safety", "Community safety", "Safety from a public health perspective: responders, prevention."),
    ("economic-justice", "Economic justice", "Policies that close racial and economic gaps."),
    ("workers-rights", "Workers' rights", "Labor standards, enforcement and support for organizing."),
    ("immigrant-justice", "Immigrant justice", "Protections and services for immigrant residents."),
    ("police-accountability", "Police accountability", "Oversight, use of force, demilitarization, surveillance."),
    ("local-budgets-and-finance", "Local budgets and finance", "Using the budget process to advocate for change."),
    ("governance-and-oversight", "Governance and oversight", "Procurement, the public workforce, oversight tools."),
    ("equitable-development", "Equitable development", "Community benefits, local hire, equitable planning."),
    ("communications", "Communications", "Messaging, earned media and social media for local electeds."),
]

RESOURCE_TYPES = [
    ("model-ordinance", "Model ordinance", "Ordinance text from other jurisdictions to adapt."),
    ("policy-brief", "Policy brief / one-pager", "A short overview of a policy and how it works."),
    ("toolkit", "Toolkit", "Step-by-step guides, checklists and templates."),
    ("report", "Report", "Longer research and analysis."),
    ("training-recording", "Training recording", "Recordings of past Impact Lab trainings and primers."),
    ("slide-deck", "Slide deck", "Presentation slides from trainings and convenings."),
    ("talking-points", "Talking points", "Messages for meetings, hearings and the press."),
    ("case-study", "Case study", "How members got it done, and what they learned."),
]


def ensure_taxonomy(log):
    created = 0
    for slug, name, description in ISSUE_AREAS:
        _, was_created = IssueArea.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
        created += was_created
    for slug, name, description in RESOURCE_TYPES:
        _, was_created = ResourceType.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        created += was_created
    if created:
        log(f"Created {created} issue areas and resource types")
