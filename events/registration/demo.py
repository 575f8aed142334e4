"""Demo registrations so the inbox, and every state of a session, have something in them (dev only).

They obey the rules: the statuses come from ``workflow.initial_status`` one
person at a time, so a waitlist only forms on a full session with a capacity,
"pending" only where approval is required, and attendance only on sessions
that have happened. No email is sent for the registrations themselves; the
session-level acts are the real ones and send theirs (printed to the console
in development): the latest past session's follow-ups (two attendees then rate
it) and a cancelled session with a message from staff.

- the furthest upcoming session: full (3 seats), two on the waitlist, one spam;
- the next furthest: staff approve each registration;
- the third furthest: cancelled, its two registrants told;
- the latest past session: attendance taken, follow-ups sent, rated.
"""

from django.conf import settings
from django.utils import timezone
from wagtail import hooks

from . import rules
from .models import Registration
from .statuses import Status
from .workflow import initial_status

DEMO_PEOPLE = [
    ("Jenn Weaver", "jenn.weaver@example.org", "elected", "Hillsborough, NC"),
    ("Marcus Lee", "marcus.lee@example.org", "staff", "Office of Councilmember Diaz, Denver, CO"),
    ("Ana Ortiz", "ana.ortiz@example.org", "elected", "Durham County, NC"),
    ("Priya Shah", "priya.shah@example.org", "alumni", "Former council member, Oakland, CA"),
    ("Sam Rivers", "sam.rivers@example.org", "other", "Tenant union organiser"),
]
SPAMMER = ("Cheap Pills", "winner@spam.example", "other", "http://spam.example")
DEMO_CAPACITY = 3  # the first upcoming session gets a capacity, so its waitlist is real
CANCELLATION_MESSAGE = "Our presenter is unwell, so we have to cancel this session. We're sorry for the short notice."


def create(event, person, status, spam_reason=""):
    name, email, role, organisation = person
    return Registration.objects.create(
        event=event,
        page=event,
        name=name,
        email=email,
        role=role,
        organisation=organisation,
        status=status,
        spam_reason=spam_reason,
        form_data={"name": name, "email": email, "role": role, "organisation": organisation},
    )


def publish_change(event, **changes):
    event = event.specific  # a convening is an EventPage subclass: revisions need the specific page
    for name, value in changes.items():
        setattr(event, name, value)
    event.save_revision().publish()
    return event


@hooks.register("lpsite_seed_demo")
def seed_demo_registrations(home, log):
    if not getattr(settings, "LPSITE_DEMO_USERS", False) or Registration.objects.exists():
        return
    EventPage = Registration._meta.get_field("event").related_model
    now = timezone.now()
    # The two furthest sessions: the nearest stay open to all, as most sessions are.
    # Trainings only: convenings (an EventPage subclass) take registrations only when editors say so.
    sessions = EventPage.objects.live().exact_type(EventPage)
    upcoming = list(sessions.filter(start__gt=now).order_by("-start")[:3])
    past = sessions.filter(end__lt=now).order_by("-start").first()
    created = 0
    if upcoming:
        full = upcoming[0]
        if full.capacity is None:
            full = publish_change(full, capacity=DEMO_CAPACITY)
        for person in DEMO_PEOPLE:  # the first three get the seats, the others wait
            create(full, person, initial_status(full))
            created += 1
        create(
            full,
            SPAMMER,
            initial_status(full, "Filled in the hidden honeypot field"),
            "Filled in the hidden honeypot field",
        )
        created += 1
    if len(upcoming) > 1:
        approval = upcoming[1]
        if not approval.requires_approval:
            approval = publish_change(approval, requires_approval=True)
        for person in DEMO_PEOPLE[:3]:
            create(approval, person, initial_status(approval))
            created += 1
        create(approval, DEMO_PEOPLE[3], Status.CANCELLED)  # signed up, then cancelled
        created += 1
    if len(upcoming) > 2:
        cancelled = upcoming[2]
        for person in DEMO_PEOPLE[1:3]:
            create(cancelled, person, initial_status(cancelled))
            created += 1
        told = rules.cancel_session(cancelled, message=CANCELLATION_MESSAGE)
        log(f"Cancelled “{cancelled.title}” ({told} registrants told)")
    if past is not None:
        if not past.slides_url:
            past = publish_change(past, slides_url=f"{past.recording_url.rstrip('/')}/slides.pdf")
        for n, person in enumerate(DEMO_PEOPLE[:4]):
            create(past, person, Status.NO_SHOW if n == 3 else Status.ATTENDED)
            created += 1
        sent = rules.send_followups(now)  # due an hour after it ended; until then `send_event_followups` sends them
        attendees = past.registrations.filter(status=Status.ATTENDED).order_by("pk")[:2]
        for registration, score in zip(attendees, (5, 4), strict=False):
            rules.rate(registration, score, "Clear and practical." if score == 5 else "")
        log(f"Sent {sent} follow-ups for “{past.title}”")
    if created:
        log(f"Created {created} demo registrations")


seed_demo_registrations.seed_order = 30
