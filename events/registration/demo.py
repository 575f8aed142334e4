"""Demo registrations so the inbox has something in it (dev only, never in production)."""

from django.conf import settings
from django.utils import timezone
from wagtail import hooks

from .models import Registration

DEMO_PEOPLE = [
    ("Jenn Weaver", "jenn.weaver@example.org", "elected", "Hillsborough, NC", "confirmed"),
    ("Marcus Lee", "marcus.lee@example.org", "staff", "Office of Councilmember Diaz, Denver, CO", "confirmed"),
    ("Ana Ortiz", "ana.ortiz@example.org", "elected", "Durham County, NC", "waitlisted"),
    ("Priya Shah", "priya.shah@example.org", "alumni", "Former council member, Oakland, CA", "pending"),
    ("Sam Rivers", "sam.rivers@example.org", "other", "Tenant union organiser", "cancelled"),
    ("Cheap Pills", "winner@spam.example", "other", "http://spam.example", "spam"),
]


@hooks.register("lpsite_seed_demo")
def seed_demo_registrations(home, log):
    if not getattr(settings, "LPSITE_DEMO_USERS", False) or Registration.objects.exists():
        return
    EventPage = Registration._meta.get_field("event").related_model
    events = list(EventPage.objects.live().filter(start__gt=timezone.now()).order_by("start")[:2])
    for event in events:
        for name, email, role, organisation, status in DEMO_PEOPLE:
            Registration.objects.create(
                event=event,
                page=event,
                name=name,
                email=email,
                role=role,
                organisation=organisation,
                status=status,
                spam_reason="Filled in the hidden honeypot field" if status == "spam" else "",
                form_data={"name": name, "email": email, "role": role, "organisation": organisation},
            )
    if events:
        log(f"Created {len(DEMO_PEOPLE) * len(events)} demo registrations")


seed_demo_registrations.seed_order = 30
