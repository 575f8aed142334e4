"""Reports → Help Desk (and the period form every report shares)."""

import csv
import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from home.roles import COMMUNICATIONS_LEADS, MANAGE_HELPDESK
from inbox.csv_export import safe_cell

from . import helpdesk, impact
from .charts import bar_chart

MAX_DAYS = 3 * 366


def quarter_start(day):
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def presets(today):
    this_quarter = quarter_start(today)
    last_quarter = quarter_start(this_quarter - datetime.timedelta(days=1))
    return [
        ("Last 90 days", today - datetime.timedelta(days=89), today),
        ("This quarter", this_quarter, today),
        ("Last quarter", last_quarter, this_quarter - datetime.timedelta(days=1)),
        ("This year", datetime.date(today.year, 1, 1), today),
    ]


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end comes before the start.")
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", "Choose at most three years.")
        return cleaned


def period(request, default=None):
    """(form, start, end): the period asked for, or the default preset (the last 90 days); a bad one is a form
    with its errors."""
    today = timezone.localdate()
    default = default or presets(today)[0]
    if "start" not in request.GET and "end" not in request.GET:
        form = PeriodForm(initial={"start": default[1], "end": default[2]})
        return form, default[1], default[2]
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    for name in form.errors:
        if name in form.fields:  # the message beside the field is its description
            form.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})
    return form, None, None


def may_see_helpdesk_report(user):
    return user.is_active and (
        user.is_superuser or user.has_perm(MANAGE_HELPDESK) or user.groups.filter(name=COMMUNICATIONS_LEADS).exists()
    )


def may_see_impact_report(user):
    return user.is_active and (user.is_superuser or user.groups.filter(name=COMMUNICATIONS_LEADS).exists())


def helpdesk_report(request):
    if not may_see_helpdesk_report(request.user):
        raise PermissionDenied
    form, start, end = period(request)
    if start is None:
        return TemplateResponse(
            request, "reports/helpdesk.html", {"form": form, "presets": presets(timezone.localdate())}, status=400
        )
    figures = helpdesk.report(start, end)
    if request.GET.get("export") == "csv":
        return helpdesk_csv(figures)
    charted = {"category", "state"}
    breakdowns = [
        (name, heading, figures["by"][name], bar_chart(f"Requests by {heading.lower()}", figures["by"][name][:12]))
        if name in charted
        else (name, heading, figures["by"][name], "")
        for name, heading in BREAKDOWNS
    ]
    return TemplateResponse(
        request,
        "reports/helpdesk.html",
        {
            "form": form,
            "figures": figures,
            "breakdowns": breakdowns,
            "charts": {"backlog": bar_chart("Open requests by age", figures["backlog"])},
            "presets": presets(timezone.localdate()),
        },
    )


BREAKDOWNS = [
    ("category", "Category"),
    ("issue_area", "Issue area"),
    ("state", "State"),
    ("role", "Member role"),
    ("status", "Status now"),
]


def helpdesk_csv(figures):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="helpdesk-{figures["start"]}-{figures["end"]}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Section", "Label", "Value"])
    writer.writerow(["Period", f"{figures['start']} to {figures['end']}", figures["total"]])
    for name, heading in BREAKDOWNS:
        for label, count in figures["by"][name]:
            writer.writerow([heading, safe_cell(label), count])
    for name, heading in (("first_response", "First response (hours)"), ("resolution", "Resolution (hours)")):
        for key, label in (("count", "requests"), ("median", "median"), ("p90", "90th percentile")):
            writer.writerow([heading, label, "" if figures[name][key] is None else figures[name][key]])
    for person in figures["staff"]:
        writer.writerow(["Staff: requests", safe_cell(person["name"]), person["requests"]])
        writer.writerow(["Staff: resolved", safe_cell(person["name"]), person["resolved"]])
        median = "" if person["median_response"] is None else person["median_response"]
        writer.writerow(["Staff: median first response (hours)", safe_cell(person["name"]), median])
    for label, count in figures["backlog"]:
        writer.writerow(["Open backlog now", label, count])
    return response


def impact_report(request):
    if not may_see_impact_report(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form, start, end = period(request, default=presets(today)[1])  # this quarter
    context = {"form": form, "presets": presets(today)}
    if start is None:
        return TemplateResponse(request, "reports/impact.html", context, status=400)
    figures = impact.report(start, end)
    if request.GET.get("export") == "csv":
        return impact_csv(figures)
    context.update(
        figures=figures,
        charts={
            "service": bar_chart("Members served, by service", figures["members_by_service"]),
            "state": bar_chart("Members served, by state", figures["by_state"][:12]),
        },
    )
    return TemplateResponse(request, "reports/impact.html", context)


def impact_csv(figures):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impact-{figures["start"]}-{figures["end"]}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Section", "Label", "Value"])
    writer.writerow(["Period", f"{figures['start']} to {figures['end']}", ""])
    writer.writerow(["Members served", "all (each counted once)", figures["members"]])
    writer.writerow(["Members served", "new", figures["new"]])
    writer.writerow(["Members served", "returning", figures["returning"]])
    for service, count in figures["counts"]:
        writer.writerow(["Services", service, count])
    for service, count in figures["members_by_service"]:
        writer.writerow(["Members by service", service, count])
    for label, count in figures["by_state"]:
        writer.writerow(["Members by state", safe_cell(label), count])
    for label, count in figures["by_area"]:
        writer.writerow(["Members by issue area", safe_cell(label), count])
    return response
