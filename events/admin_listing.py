"""The admin's "Sessions" listing: every training with its start in its own zone, PT and ET.

A flat page listing (Wagtail's ``PageListingViewSet``) of EventPages, sorted by
start (soonest first by default), filtered to upcoming or past sessions, with
the series each belongs to, so sessions that share a title across a series
stay apart.
"""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet

from .models import EventPage
from .times import short_when


def when_text(event):
    """'Thu, Feb 22, 2026 | 1pm PT / 4pm ET' (the date in the event's own zone)."""
    when = short_when(event.start, event.timezone)
    return f"{when['date']}, {event.local_start:%Y} | {when['times']}"


class StartColumn(Column):
    """The start in the event's zone, PT and ET, with 'Upcoming' or 'Past'."""

    def get_value(self, instance):
        ended = instance.end <= timezone.now()
        return format_html(
            '<time datetime="{}">{}</time><br><span class="w-status {}">{}</span>',
            instance.start.isoformat(),
            when_text(instance),
            "" if ended else "w-status--primary",
            "Past" if ended else "Upcoming",
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


class SessionIndexView(IndexView):
    default_ordering = "start"


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
        StartColumn("start", label="Starts", sort_key="start", width="30%"),
        IndexView.base_columns[2],  # parent: the series, or the trainings index for a standalone event
        IndexView.base_columns[4],  # status
    ]
