"""The impact report's figures (Reports → Impact, ``/admin/reports/impact/``): who the Impact Lab served in a
period, each member counted once across the inboxes (by their address, lower-case).

Served, in the period:

- **Help Desk**: a request answered in it (its first reply or introduction fell in the period); suspected spam
  never counts;
- **Trainings**: a session attended in it (marked attended, not just registered; the session started in it);
- **Collaborative interest**: an interest sent in it (not spam).

By state (the member's jurisdiction as they gave it, the first one known) and by issue area (the request's, the
session's; a member counted once per area). *New* members had sent nothing to any inbox before the period;
*returning* ones had. Seven queries whatever the period.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min
from django.db.models.functions import Lower

from collaborative.interest import CollaborativeInterest
from events.models import EventPage
from events.registration.models import Registration
from events.registration.statuses import Status as RegistrationStatus
from helpdesk.models import HelpDeskRequest, RequestActivity

from .helpdesk import period_bounds
from .states import state_of

SERVICES = ("Help Desk requests answered", "Trainings attended", "Collaborative interest")


@dataclass
class Member:
    state: str = ""
    services: set = field(default_factory=set)
    areas: set = field(default_factory=set)


def report(start, end):
    since, until = period_bounds(start, end)
    members = defaultdict(Member)
    counts = dict.fromkeys(SERVICES, 0)

    answered = (
        RequestActivity.objects.filter(kind__in=(RequestActivity.Kind.REPLY, RequestActivity.Kind.REFERRAL))
        .exclude(request__status=HelpDeskRequest.Status.SPAM)
        .exclude(request__email="")
        .values("request_id")
        .annotate(first=Min("created_at"))
        .filter(first__gte=since, first__lt=until)
        .values_list("request_id", flat=True)
    )
    for email, jurisdiction, area in HelpDeskRequest.objects.filter(pk__in=answered).values_list(
        "email", "jurisdiction", "issue_area__name"
    ):
        member = members[email.lower()]
        member.services.add(SERVICES[0])
        member.state = member.state or state_of(jurisdiction)
        if area:
            member.areas.add(area)
        counts[SERVICES[0]] += 1

    attended = Registration.objects.filter(
        status=RegistrationStatus.ATTENDED, event__start__gte=since, event__start__lt=until
    ).values_list("email", "organisation", "event_id")
    session_areas = defaultdict(set)
    attendances = list(attended)
    for event_id, name in EventPage.issue_areas.through.objects.filter(
        eventpage_id__in={row[2] for row in attendances}
    ).values_list("eventpage_id", "issuearea__name"):
        session_areas[event_id].add(name)
    for email, organisation, event_id in attendances:
        member = members[email.lower()]
        member.services.add(SERVICES[1])
        member.state = member.state or state_of(organisation)
        member.areas |= session_areas[event_id]
        counts[SERVICES[1]] += 1

    interest = (
        CollaborativeInterest.objects.filter(created_at__gte=since, created_at__lt=until)
        .exclude(status=CollaborativeInterest.Status.SPAM)
        .values_list("email", "form_data")
    )
    for email, form_data in interest:
        member = members[email.lower()]
        member.services.add(SERVICES[2])
        member.state = member.state or state_of((form_data or {}).get("jurisdiction", ""))
        counts[SERVICES[2]] += 1

    members.pop("", None)
    earlier = set()
    for model in (HelpDeskRequest, Registration, CollaborativeInterest):
        earlier |= set(
            model.objects.annotate(address=Lower("email"))
            .filter(created_at__lt=since, address__in=list(members))
            .values_list("address", flat=True)
        )
    by_state, by_area, by_service = defaultdict(int), defaultdict(int), defaultdict(int)
    for member in members.values():
        by_state[member.state or "Not given"] += 1
        for area in member.areas:
            by_area[area] += 1
        for service in member.services:
            by_service[service] += 1
    returning = len(set(members) & earlier)

    def ordered(counter):
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    return {
        "start": start,
        "end": end,
        "members": len(members),
        "new": len(members) - returning,
        "returning": returning,
        "counts": [(service, counts[service]) for service in SERVICES],
        "members_by_service": [(service, by_service[service]) for service in SERVICES],
        "by_state": ordered(by_state),
        "by_area": ordered(by_area),
    }
