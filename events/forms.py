"""Forms: the admin form for events (times typed in the event's own zone) and the public filters."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from .times import equivalence, from_wall_clock, get_zone, to_wall_clock

# Fields an editor types as wall-clock times in the event's own zone.
WALL_CLOCK_FIELDS = ("start", "end", "registration_closes")


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time exactly as typed, without the admin user's time zone.

    Django would read "2026-02-22 13:00" in the current zone (ET here); an
    event in Los Angeles means 1pm there. The form attaches the event's zone.
    """

    def to_python(self, value):
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        return None if result is None else result.replace(tzinfo=None)

    def prepare_value(self, value):
        return value


class EventPageForm(WagtailAdminPageForm):
    """Start, end and registration deadline are read and shown in the event's own time zone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        series_zone = self.series_zone()
        if series_zone and not self.instance.pk:
            # A new session of a series starts in the series' zone (an unsaved page has the site default).
            self.instance.timezone = series_zone
            self.initial["timezone"] = series_zone
        zone_name = self.instance.timezone
        for name in WALL_CLOCK_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            replacement = WallClockDateTimeField(
                required=field.required,
                label=field.label,
                help_text=field.help_text,
                widget=field.widget,
            )
            self.fields[name] = replacement
            value = getattr(self.instance, name, None)
            if value is not None and timezone.is_aware(value):
                self.initial[name] = to_wall_clock(value, zone_name)
        start = self.fields.get("start")
        if start is not None:
            start.widget.attrs["data-event-time-hint"] = "start"
            if self.instance.start is not None:
                start.help_text = f"{start.help_text} Saved: {equivalence(self.instance.start, zone_name)}."

    def series_zone(self):
        parent = getattr(self, "parent_page", None)
        if parent is None:
            return None
        return (
            getattr(parent.specific, "timezone", None) if parent.specific_class.__name__ == "EventSeriesPage" else None
        )

    def clean(self):
        cleaned_data = super().clean()
        zone_name = cleaned_data.get("timezone")
        if get_zone(zone_name) is None:
            # The time zone field reports the problem; read the times in the site's zone meanwhile.
            zone_name = timezone.get_default_timezone_name()
        for name in WALL_CLOCK_FIELDS:
            value = cleaned_data.get(name)
            if value is None or name not in self.fields:
                continue
            aware = from_wall_clock(value, zone_name)
            if aware is None:
                self.add_error(
                    name,
                    f"{value:%Y-%m-%d %H:%M} does not exist in {zone_name}: the clocks skip it. Choose another time.",
                )
                cleaned_data[name] = None
            else:
                cleaned_data[name] = aware
        return cleaned_data


class EventFilterForm(forms.Form):
    """GET filters on the trainings listings: ``series`` and ``issue`` (slugs). Unknown values are ignored."""

    series = forms.ChoiceField(required=False, label="Series")
    issue = forms.ChoiceField(required=False, label="Issue area")

    def __init__(self, data, *, series_pages, issue_areas):
        super().__init__(data or None, auto_id="filter-%s")
        self.series_by_slug = {page.slug: page for page in series_pages}
        self.issues_by_slug = {area.slug: area for area in issue_areas}
        self.fields["series"].choices = [("", "All series and workshops")] + [
            (page.slug, page.title) for page in series_pages
        ]
        self.fields["issue"].choices = [("", "All issue areas")] + [(area.slug, area.name) for area in issue_areas]

    def chosen(self):
        """{'series': EventSeriesPage | None, 'issue': IssueArea | None} from the valid values only."""
        if not self.is_bound:
            return {"series": None, "issue": None}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "series": self.series_by_slug.get(data.get("series") or ""),
            "issue": self.issues_by_slug.get(data.get("issue") or ""),
        }

    def selected(self):
        """The slugs of the active filters ('' for none), to mark the chosen options."""
        chosen = self.chosen()
        return {name: chosen[name].slug if chosen[name] else "" for name in ("series", "issue")}

    def query_string(self):
        """The active filters, urlencoded, for pagination links."""
        return urlencode({name: slug for name, slug in self.selected().items() if slug})
