"""Help Desk demo content from seed 000: the page, experts, saved replies, and (dev only) a few requests.

Idempotent like the rest of ``seed_demo``: it creates what is missing and
leaves what exists alone. The page goes in the main navigation
(``show_in_menus``) and becomes the home page's call-out target when the
call-out has none.
"""

import datetime
import random
from email.message import EmailMessage

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from home.seeding import add_child
from library.models import ResourceLibraryPage
from taxonomy.models import IssueArea

from . import inbound, mail_thread
from .cases import due_date_for
from .models import Expert, HelpDeskPage, HelpDeskRequest, HelpDeskStep, RequestActivity, SavedReply, SupportType

INTRO = (
    "<p>Local Progress Impact Lab works with members on policy, strategy, and communications support related to "
    "our core issue areas and other topics, by sharing our own knowledge and resources, making connections to "
    "other Local Progress members, and drawing on the issue area expertise of partners.</p>"
)
HOW_INTRO = (
    "<p>Via the Help Desk, Local Progress Impact Lab provides policy, strategy, and communications assistance to "
    "Local Progress members. We are here to support you by sharing the expertise of Impact Lab staff, making "
    "connections to other Local Progress members, and drawing on the issue area expertise of national, state, and "
    "local partners.</p>"
)
STEPS = [
    "Send a request to the Help Desk including the details of your request and your timeline. This helps us know "
    "how to best respond!",
    "Your request will be reviewed by an Impact Lab staff person who will get back to you with relevant "
    "information and next steps. If appropriate, we will also let you know if we can connect you with other Local "
    "Progress members or issue area experts that can support.",
    "We'll continue working together as needed! Our goal is to ensure you get the immediate answers you need while "
    "also supporting your capacity to sustain the work long-term.",
]
SUPPORT_INTRO = (
    "<p>We welcome questions on all issues that further our goal of advancing a racial and economic justice agenda "
    "at the local level, and will be able to provide the most robust support in our core issue areas.</p>"
    "<p>Some examples of the type of support we can offer include:</p>"
)
SUPPORT_TYPES = [
    (
        "Policy",
        "Examples of ordinances from other jurisdictions\nPolicy review and analysis\nState preemption analysis\n"
        "Implementation\nOne-pager development",
    ),
    (
        "Strategy",
        "Planning and trouble-shooting process and procedure\nCommunity engagement and engagement with "
        "stakeholders\nPower mapping",
    ),
    (
        "Communications",
        "Workshopping a communications strategy\nDrafting talking points\nMessaging and media prep best practices",
    ),
]
THANK_YOU = (
    "<p>Your request will be reviewed by an Impact Lab staff person who will get back to you with relevant "
    "information and next steps. If appropriate, we will also let you know if we can connect you with other Local "
    "Progress members or issue area experts that can support.</p>"
)

EXPERTS = [
    (
        "Dana Whitfield",
        "National Housing Law Project",
        "dana.whitfield@example.org",
        "partner",
        ["housing"],
        "Housing attorney who has drafted just-cause and right-to-counsel ordinances with a dozen cities.",
    ),
    (
        "Councilmember Rosa Martinez",
        "Tucson City Council, AZ",
        "rosa.martinez@example.org",
        "member",
        ["community-safety"],
        "Led Tucson's non-police crisis response programme from pilot to citywide service.",
    ),
    (
        "Jamal Carter",
        "Economic Policy Institute",
        "jamal.carter@example.org",
        "partner",
        ["workers-rights", "economic-justice"],
        "Researcher on local minimum wage and wage theft enforcement.",
    ),
    (
        "Supervisor Lin Okafor",
        "Durham County, NC",
        "lin.okafor@example.org",
        "member",
        ["local-budgets-and-finance"],
        "Ran Durham County's first participatory budgeting cycle.",
    ),
    (
        "Maya Greene",
        "Frameworks for Change",
        "maya.greene@example.org",
        "partner",
        ["communications"],
        "Messaging strategist who preps local officials for hearings and press.",
    ),
]
SAVED_REPLIES = [
    (
        "Ordinance examples",
        "policy",
        "Hello {name},\n\nThank you for your question ({reference}). Here are examples of ordinances other "
        "jurisdictions have passed, with notes on what made them work. Let us know which fits your situation best "
        "and we can go through implementation together.\n\nIn solidarity,\nThe Impact Lab Help Desk",
    ),
    (
        "Need a little more detail",
        "",
        "Hello {name},\n\nThank you for writing to the Help Desk ({reference}). To point you to the right people "
        "and resources, could you tell us a little more: your timeline, who else is involved, and what you have "
        "tried so far? You can answer through the link in your confirmation email.\n\nThe Impact Lab Help Desk",
    ),
]

DEMO_REQUESTS = [
    # name, email, role, jurisdiction, category, issue, question, status, days ago, assigned
    (
        "Jenn Weaver",
        "jenn.weaver@example.org",
        "elected",
        "Hillsborough, NC",
        "policy",
        "housing",
        "Just-cause eviction ordinance examples?",
        "new",
        1,
        False,
    ),
    (
        "Marcus Lee",
        "marcus.lee@example.org",
        "staff",
        "Denver, CO",
        "communications",
        "community-safety",
        "Talking points for a crisis response pilot hearing",
        "in_progress",
        4,
        True,
    ),
    (
        "Ana Ortiz",
        "ana.ortiz@example.org",
        "elected",
        "Durham County, NC",
        "strategy",
        "local-budgets-and-finance",
        "How do we start participatory budgeting?",
        "waiting_on_member",
        9,
        True,
    ),
    (
        "Priya Shah",
        "priya.shah@example.org",
        "alumni",
        "Oakland, CA",
        "policy",
        "workers-rights",
        "Wage theft enforcement: what works for a small city?",
        "connected",
        15,
        True,
    ),
    (
        "Sam Rivers",
        "sam.rivers@example.org",
        "elected",
        "Madison, WI",
        "policy",
        "housing",
        "Right to counsel funding models",
        "resolved",
        30,
        True,
    ),
    ("Cheap Pills", "winner@spam.example", "other", "", "policy", "", "Best prices online!!!", "spam", 2, False),
]


def ensure_help_desk_page(home, log):
    page = HelpDeskPage.objects.first()
    if page:
        return page
    library = ResourceLibraryPage.objects.live().first()
    page = HelpDeskPage(
        title="Help Desk",
        slug="help-desk",
        show_in_menus=True,
        seo_title="Ask the Help Desk: policy, strategy and communications support",
        search_description=(
            "Local Progress members can ask the Impact Lab Help Desk for policy, strategy and communications "
            "support, with a tracked request and a reply from staff."
        ),
        subtitle="Have a policy, strategy or communications question? Ask the Help Desk!",
        intro=INTRO,
        how_it_works_heading="How it works",
        how_it_works_intro=HOW_INTRO,
        support_heading="What types of support does the Help Desk offer?",
        support_intro=SUPPORT_INTRO,
        library_heading="Looking for more resources?",
        library_text=(
            "Check out our resource library! We highlight solutions to the most pressing problems and the best "
            "practices from the network."
        ),
        library_page=library,
        form_heading="Send a request to the Help Desk",
        form_intro="Include the details of your request and your timeline: it helps us know how to best respond.",
        thank_you_text=THANK_YOU,
    )
    page.steps = [HelpDeskStep(text=text) for text in STEPS]
    page.support_types = [SupportType(heading=h, examples=e) for h, e in SUPPORT_TYPES]
    add_child(home, page)
    log("Created the Help Desk page")
    return page


def link_home_call_out(home, page, log):
    """The home page's "Ask the Help Desk" call-out links to the page (unless an editor chose another)."""
    # Read it again: earlier seed steps may have published changes the caller's copy lacks.
    home = type(home.specific).objects.get(pk=home.pk)
    if home.callout_page_id:
        return
    home.callout_page = page
    revision = home.save_revision(log_action=False)
    revision.publish()
    log("Linked the home page's Help Desk call-out to /help-desk/")


def ensure_experts(log):
    if Expert.objects.exists():
        return
    for name, organisation, email, kind, issues, bio in EXPERTS:
        expert = Expert.objects.create(name=name, organisation=organisation, email=email, kind=kind, bio=bio)
        expert.issue_areas.set(IssueArea.objects.filter(slug__in=issues))
    log(f"Created {len(EXPERTS)} Help Desk experts")


def ensure_saved_replies(log):
    if SavedReply.objects.exists():
        return
    for title, category, body in SAVED_REPLIES:
        SavedReply.objects.create(title=title, category=category, body=body)
    log(f"Created {len(SAVED_REPLIES)} saved replies")


def demo_reply(request_obj, asked):
    """A member's emailed answer as Gmail writes it: threaded under the request, the question quoted below, a
    signature, and a file."""
    message = EmailMessage()
    message["From"] = f"{request_obj.name} <{request_obj.email}>"
    message["To"] = f"Help Desk <{mail_thread.reply_address(request_obj) or 'helpdesk@localhost'}>"
    message["Subject"] = f"Re: {request_obj.question} [{request_obj.reference}]"
    message["Message-ID"] = f"<demo-reply.{request_obj.reference}@mail.example.org>"
    message["In-Reply-To"] = message["References"] = mail_thread.thread_id(request_obj)
    quoted = "\n".join(f"> {line}" for line in asked.text.splitlines())
    message.set_content(
        "The hearing is on the 18th; the police chief and two council members will testify.\n"
        f"I've attached the agenda.\n\n-- \n{request_obj.name}\n{request_obj.jurisdiction}\n\n"
        f"On {timezone.localtime(asked.created_at):%a, %b %-d, %Y at %-I:%M %p} Help Desk wrote:\n\n{quoted}\n"
    )
    message.add_attachment(
        b"Item,Time\nCall to order,5:30 pm\nCrisis response pilot (public hearing),6:00 pm\n",
        maintype="text",
        subtype="csv",
        filename="hearing-agenda.csv",
    )
    return message.as_bytes()


def ensure_demo_requests(page, log):
    """A living inbox for `make run` (dev only, like the demo registrations; never in production)."""
    if not getattr(settings, "LPSITE_DEMO_USERS", False) or HelpDeskRequest.objects.exists():
        return
    staff = get_user_model().objects.filter(username="helpdesk").first()
    now = timezone.now()
    emailed_replies = []
    for name, email, role, place, category, issue, question, status, days, assigned in DEMO_REQUESTS:
        created = now - datetime.timedelta(days=days, hours=3)
        details = (
            f"{question} We are working on this in {place or 'our city'} and would like examples, pitfalls to "
            "avoid and anyone we could talk to."
        )
        issue_area = IssueArea.objects.filter(slug=issue).first()
        request_obj = HelpDeskRequest.objects.create(
            page=page,
            name=name,
            email=email,
            role=role,
            jurisdiction=place,
            category=category,
            issue_area=issue_area,
            question=question,
            details=details,
            status=status,
            spam_reason="Filled in the hidden honeypot field" if status == "spam" else "",
            assignee=staff if assigned else None,
            due_date=due_date_for(None, today=timezone.localtime(created).date()),  # as a real request's
            created_at=created,
            closed_at=now - datetime.timedelta(days=2) if status == "resolved" else None,
            form_data={"name": name, "email": email, "question": question, "details": details},
        )
        RequestActivity.objects.create(
            request=request_obj, kind=RequestActivity.Kind.SUBMITTED, text=details, created_at=created
        )
        if status in ("waiting_on_member", "connected", "resolved"):
            RequestActivity.objects.create(
                request=request_obj,
                kind=RequestActivity.Kind.REPLY,
                author=staff,
                text=f"Hello {name},\n\nThanks for your question. Could you tell us your timeline?",
                created_at=created + datetime.timedelta(days=1),
            )
        if status == "in_progress":
            # Staff asked; the member answered by email, with the Reply button: "Member replied" in the inbox.
            asked = RequestActivity.objects.create(
                request=request_obj,
                kind=RequestActivity.Kind.REPLY,
                author=staff,
                text=f"Hello {name},\n\nWhen is the hearing, and who will testify?",
                created_at=created + datetime.timedelta(days=1),
            )
            emailed_replies.append((request_obj, asked))
    # Received the way a real reply is (helpdesk/inbound.py), after the requests are saved.
    for request_obj, asked in emailed_replies:
        inbound.receive(demo_reply(request_obj, asked), source="demo")
    log(f"Created {len(DEMO_REQUESTS)} demo Help Desk requests")


# Two quarters of answered requests, so the Help Desk report has history after `make run`.
HISTORY_MEMBERS = [
    ("Jenn Weaver", "jenn.weaver@example.org", "elected", "Hillsborough, NC"),
    ("Ana Ortiz", "ana.ortiz@example.org", "elected", "Durham County, NC"),
    ("Luis Ramos", "luis.ramos@example.org", "staff", "Tucson, AZ"),
    ("Keisha Grant", "keisha.grant@example.org", "elected", "Atlanta, GA"),
    ("Tom Becker", "tom.becker@example.org", "elected", "Madison, WI"),
    ("Mei Chen", "mei.chen@example.org", "staff", "Seattle, WA"),
    ("Rosa Delgado", "rosa.delgado@example.org", "alumni", "San Antonio, TX"),
    ("Omar Haddad", "omar.haddad@example.org", "elected", "Dearborn, MI"),
    ("Grace Kim", "grace.kim@example.org", "elected", "Saint Paul, MN"),
    ("Dev Patel", "dev.patel@example.org", "staff", "Philadelphia, PA"),
]
HISTORY_QUESTIONS = [
    ("policy", "housing", "Rent stabilization: what survived a court challenge?"),
    ("policy", "workers-rights", "Fair workweek ordinance for a mid-size city?"),
    ("strategy", "local-budgets-and-finance", "How do we move budget toward violence prevention?"),
    ("communications", "community-safety", "Messaging a non-police crisis response pilot"),
    ("policy", "housing", "Tenant opportunity to purchase: model language?"),
    ("strategy", "workers-rights", "Building a coalition for a wage theft ordinance"),
    ("communications", "housing", "Op-ed support on right to counsel"),
    ("policy", "local-budgets-and-finance", "Participatory budgeting rules for a first cycle"),
]
HISTORY_COUNT = 36


def ensure_report_history(page, staff, log):
    """Answered requests over the last two quarters (dev only): replies within hours to days, some waiting on the
    member for a while, each resolved or closed. Skipped if any exists (a second seed adds nothing)."""
    if not getattr(settings, "LPSITE_DEMO_USERS", False) or HelpDeskRequest.objects.filter(status="closed").exists():
        return
    rng = random.Random(30)  # noqa: S311 - demo data
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    entries = []
    for n in range(HISTORY_COUNT):
        name, email, role, place = HISTORY_MEMBERS[n % len(HISTORY_MEMBERS)]
        category, issue, question = HISTORY_QUESTIONS[(n * 3) % len(HISTORY_QUESTIONS)]
        created = now - datetime.timedelta(days=15 + n * 5, hours=rng.randint(0, 8))
        details = f"{question} We are working on this in {place}."
        request_obj = HelpDeskRequest.objects.create(
            page=page,
            name=name,
            email=email,
            role=role,
            jurisdiction=place,
            category=category,
            issue_area=IssueArea.objects.filter(slug=issue).first(),
            question=question,
            details=details,
            status="closed" if n % 3 == 0 else "resolved",
            assignee=staff,
            due_date=due_date_for(None, today=timezone.localtime(created).date()),
            created_at=created,
            form_data={"name": name, "email": email, "question": question, "details": details},
        )
        thread = [(0, RequestActivity.Kind.SUBMITTED, details, {})]
        replied = rng.randint(2, 60)
        thread.append((replied, RequestActivity.Kind.REPLY, f"Hello {name}, here is what we found.", {}))
        done = replied + rng.randint(4, 48)
        if n % 4 == 1:  # staff asked something; the member answered a day or three later
            thread.append((replied + 1, RequestActivity.Kind.STATUS, "", {"to": "waiting_on_member"}))
            answered = replied + rng.randint(24, 72)
            thread.append((answered, RequestActivity.Kind.MEMBER_UPDATE, "Here are the numbers you asked for.", {}))
            thread.append((answered, RequestActivity.Kind.STATUS, "", {"to": "in_progress", "by_member": True}))
            done = answered + rng.randint(4, 24)
        thread.append((done, RequestActivity.Kind.STATUS, "", {"to": "resolved"}))
        if request_obj.status == "closed":
            thread.append((done + 24, RequestActivity.Kind.STATUS, "", {"to": "closed"}))
        entries.extend(
            RequestActivity(
                request=request_obj,
                kind=kind,
                author=staff if kind in (RequestActivity.Kind.REPLY, RequestActivity.Kind.STATUS) else None,
                text=text,
                data=data,
                created_at=created + hours * hour,
            )
            for hours, kind, text, data in thread
        )
        HelpDeskRequest.objects.filter(pk=request_obj.pk).update(closed_at=created + done * hour)
    RequestActivity.objects.bulk_create(entries)
    log(f"Created {HISTORY_COUNT} answered Help Desk requests over two quarters (for the reports)")


@hooks.register("lpsite_seed_demo")
def seed_help_desk(home, log):
    with transaction.atomic():
        page = ensure_help_desk_page(home, log)
        link_home_call_out(home, page, log)
        ensure_experts(log)
        ensure_saved_replies(log)
        ensure_demo_requests(page, log)
        ensure_report_history(page, get_user_model().objects.filter(username="helpdesk").first(), log)


seed_help_desk.seed_order = 40
