"""The admin's "Sessions" listing: every training with its start in its own zone, PT and ET.

A flat page listing (Wagtail's ``PageListingViewSet``) of EventPages: upcoming
sessions first (soonest first), then past ones (latest first), filtered to
upcoming or past sessions, with each one's registrations (confirmed of its
capacity, waitlisted, pending: the counts the public pages keep, events/listing.py) and the series it
belongs to, so sessions that share a title across a series stay apart.
"""

import django_filters
from django import forms
from django.db.models import Case, F, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet

from . import listing
from .models import EventPage
from .times import short_when


def when_text(event):
    """'Thu, Feb 22, 2026 | 1pm PT / 4pm ET' (the date in the event's own zone)."""
    when = short_when(event.start, event.timezone)
    return f"{when['date']}, {event.local_start:%Y} | {when['times']}"


class StartColumn(Column):
    """The start in the event's zone, PT and ET, with 'Upcoming', 'Past' or 'Cancelled'."""

    def get_value(self, instance):
        ended = instance.end <= timezone.now()
        if getattr(instance, "cancelled_at", None):
            label, style = "Cancelled", "lp-status-cancelled"
        else:
            label, style = ("Past", "") if ended else ("Upcoming", "w-status--primary")
        return format_html(
            '<time datetime="{}">{}</time><br><span class="w-status {}">{}</span>',
            instance.start.isoformat(),
            when_text(instance),
            style,
            label,
        )


class SessionFilterSet(PageFilterSet):
    timing = django_filters.ChoiceFilter(
        label="Upcoming or past",
        method="filter_timing",
        choices=[("upcoming", "Upcoming"), ("past", "Past")],
        empty_label="All",
        widget=forms.RadioSelect,
    )

    def filter_timing(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(end__gt=now)
        if value == "past":
            return queryset.filter(end__lte=now)
        return queryset

    class Meta:
        model = EventPage
        fields = []


class RegistrationsColumn(Column):
    """Seats taken of the capacity, the waitlist and what waits for approval, linked to the registrations."""

    def get_value(self, instance):
        seated, waitlisted, pending = getattr(instance, "registration_counts", listing.Counts())
        taken = f"{seated} / {instance.capacity}" if instance.capacity is not None else f"{seated}"
        parts = [f"{taken} confirmed"]
        if waitlisted:
            parts.append(f"{waitlisted} waitlisted")
        if pending:
            parts.append(f"{pending} pending")
        if getattr(instance, "cancelled_at", None):
            return format_html('<a href="{}">{}</a>', registrations_url(instance), "Cancelled: see its registrations")
        return format_html('<a href="{}">{}</a>', registrations_url(instance), ", ".join(parts))


def registrations_url(event):
    return reverse("events_registration_modeladmin_index") + f"?event__page_ptr__exact={event.pk}"


class SessionIndexView(IndexView):
    """Upcoming sessions first (soonest first), then past ones (latest first), unless a column is chosen."""

    default_ordering = "timing"

    def get_valid_orderings(self):
        return [*super().get_valid_orderings(), "timing"]

    def order_queryset(self, queryset):
        if self.ordering != "timing" or self.is_searching:
            return super().order_queryset(queryset)
        now = timezone.now()
        upcoming = Case(When(end__gt=now, then=F("start")))
        past = Case(When(end__lte=now, then=F("start")))
        return queryset.order_by(upcoming.asc(nulls_last=True), past.desc(nulls_last=True), "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = listing.seat_counts()
        for page in context["object_list"]:
            page.registration_counts = counts.get(page.pk, listing.Counts())
        return context


class SessionListingViewSet(PageListingViewSet):
    model = EventPage
    icon = "date"
    menu_label = "Sessions"
    menu_order = 105
    add_to_admin_menu = True
    name = "sessions"
    index_view_class = SessionIndexView
    filterset_class = SessionFilterSet
    columns = [
        IndexView.base_columns[0],  # bulk actions
        IndexView.base_columns[1],  # title (with its date, see EventPage.get_admin_display_title)
        StartColumn("start", label="Starts", sort_key="start", width="28%"),
        RegistrationsColumn("registrations", label="Registrations", width="20%"),
        IndexView.base_columns[2],  # parent: the series, or the trainings index for a standalone event
        IndexView.base_columns[4],  # status
    ]
