"""The registrations inbox, on the inbox kit (``inbox``), and the session's own screens.

Visible to Events staff (``events.manage_event_registrations``) and
superusers. The kit gives the list with status tabs and counts, bulk actions,
export, the inspect view with history and the action endpoint; this adds the
session column and filter (with the session's date: series share titles),
the waitlist's order, the seats and rating of a session, and a session's
screens: its attendance sheet (with Zoom's participants report and walk-ins),
a message to its registrants, and cancelling it.
"""

import uuid

from django.contrib import messages
from django.contrib.admin import RelatedFieldListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction, UnpublishPagePermissionError

from home.roles import MANAGE_REGISTRATIONS
from inbox.admin import InboxIndexView, InboxInspectView, InboxModelAdmin, register_inbox
from inbox.transitions import TransitionError, apply_transition

from . import attendance, rules
from .forms import AttendanceUploadForm, CancelSessionForm, MessageRegistrantsForm, WalkInForm
from .models import AttendanceImport, Registration, new_manage_token
from .seats import waitlist_position
from .statuses import CANCELLABLE, SEATED, Status

EVENT_PARAM = "event__page_ptr__exact"


def event_model():
    return Registration._meta.get_field("event").related_model


def session_label(event):
    """ "Housing (Wed, Mar 4, 2026)": sessions of different series share titles."""
    return f"{event.title} ({event.local_start:%a, %b %-d, %Y})"


class SessionFilter(RelatedFieldListFilter):
    """The event filter, each session named with its date, newest first."""

    def field_choices(self, field, request, model_admin):
        # The list builds its filters more than once a request: read the sessions once. "Has a registration"
        # as a semi-join on the registrations' event index, not a DISTINCT over the join (50 ms at 20,000).
        if not hasattr(request, "lpsite_session_choices"):
            with_registrations = Registration.objects.order_by().values("event_id")
            events = event_model().objects.filter(pk__in=with_registrations).order_by("-start")
            request.lpsite_session_choices = [(event.pk, session_label(event)) for event in events]
        return request.lpsite_session_choices


def session_urls(event):
    return {
        "attendance_url": reverse("events_registration_attendance", args=[event.pk]),
        "message_url": reverse("events_registration_message", args=[event.pk]),
        "cancel_url": reverse("events_session_cancel", args=[event.pk]),
        "registrations_url": registration_admin.index_url_with(**{EVENT_PARAM: event.pk}),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
    }


def event_stats(event_id):
    event = event_model().objects.filter(pk=event_id).first() if str(event_id).isdecimal() else None
    if event is None:
        return None
    counts = dict(event.registrations.order_by().values_list("status").annotate(n=Count("pk")))
    rating = event.registrations.filter(rating__isnull=False).aggregate(average=Avg("rating"), count=Count("pk"))
    now = timezone.now()
    return {
        "event": event,
        "label": session_label(event),
        "confirmed": sum(counts.get(s, 0) for s in SEATED),
        "capacity": event.capacity,
        "waitlist": counts.get(Status.WAITLISTED, 0),
        "pending": counts.get(Status.PENDING, 0),
        "attended": counts.get(Status.ATTENDED, 0),
        "no_show": counts.get(Status.NO_SHOW, 0),
        "rating": rating["average"],
        "ratings": rating["count"],
        "cancelled": event.cancelled_at is not None,
        "can_cancel": event.cancelled_at is None and event.end > now,
        "started": event.start <= now,
        **session_urls(event),
    }


def number_the_waitlisted(rows):
    """Give each waitlisted row of ``rows`` (a page of the list) its place on its session's waitlist, in one
    query over those sessions' waitlists. Not a subquery per row of the list's statement: PostgreSQL ran
    it for every row the OFFSET skips too (13 s for page 200 at 20,000 registrations)."""
    waiting = [row for row in rows if row.status == Status.WAITLISTED]
    if not waiting:
        return
    places = dict(
        Registration.objects.filter(event_id__in={row.event_id for row in waiting}, status=Status.WAITLISTED)
        .annotate(place=Window(RowNumber(), partition_by=[F("event_id")], order_by=[F("created_at"), F("pk")]))
        .values_list("pk", "place")
    )
    for row in waiting:
        row.waitlist_place_number = places.get(row.pk)


class RegistrationIndexView(InboxIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page's rows, read once here (the template iterates the same, already-read rows).
        number_the_waitlisted(list(context["object_list"]))
        event_id = self.params.get(EVENT_PARAM)
        context["event_stats"] = event_stats(event_id) if event_id else None
        return context


class RegistrationInspectView(InboxInspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stats"] = event_stats(self.instance.event_id)
        context["session"] = session_label(self.instance.event)
        context["waitlist_place"] = waitlist_position(self.instance)
        return context


class RegistrationAdmin(InboxModelAdmin):
    model = Registration
    menu_label = "Registrations"
    menu_icon = "date"
    menu_order = 100
    permission = MANAGE_REGISTRATIONS
    index_view_class = RegistrationIndexView
    inspect_view_class = RegistrationInspectView
    index_template_name = "events/admin/registration_index.html"
    inspect_template_name = "events/admin/registration_inspect.html"
    list_display = ("name", "member_email", "session", "status_badge", "waitlist_place", "created_at")
    list_filter = ("status", ("event", SessionFilter), "created_at")
    search_fields = ("name", "email", "organisation")
    list_select_related = ("event",)
    list_export = (
        "name",
        "email",
        "role",
        "organisation",
        "event_title",
        "event_date",
        "status",
        "rating",
        "rating_comment",
        "created_at",
    )
    export_headings = {
        "event_title": "Event",
        "event_date": "Event date (event's time zone)",
        "organisation": "Jurisdiction or organisation",
        "rating": "Rating (1–5)",
        "rating_comment": "Rating comment",
        "created_at": "Registered",
    }
    export_filename = "registrations"
    dashboard_statuses = (Status.PENDING, Status.WAITLISTED, Status.SPAM)
    assignable = True

    def get_ordering(self, request):
        """The waitlist in the order seats go to it: first come, first served (else newest first)."""
        if request.GET.get("status__exact") == Status.WAITLISTED:
            return ("event__start", "created_at", "pk")
        return super().get_ordering(request)

    def session(self, obj):
        return session_label(obj.event)

    session.short_description = "Session"

    personal_fields = ("name", "organisation", "rating_comment")

    def erased_email(self, obj):
        return f"erased-{obj.pk}@erased.invalid"  # one active registration per address and session

    def erase(self, obj):
        obj.manage_token = new_manage_token()  # the member's link stops working
        super().erase(obj)

    def member_erase(self, email):
        count = super().member_erase(email)
        # A participants report that could not match them keeps their name and address: they go from it.
        for report in AttendanceImport.objects.filter(unmatched__icontains=email):
            report.unmatched = [p for p in report.unmatched if (p.get("email") or "").lower() != email]
            report.save(update_fields=["unmatched"])
        return count

    def member_queryset(self, email):
        return super().member_queryset(email).select_related("event")

    def member_entry(self, obj):
        entry = super().member_entry(obj)
        entry.title = session_label(obj.event)
        if obj.rating:
            entry.details.append(f"Rated the session {obj.rating} of 5")
        return entry

    def waitlist_place(self, obj):
        if obj.status != Status.WAITLISTED:
            return ""
        place = getattr(obj, "waitlist_place_number", None)
        return f"#{place}" if place else ""

    waitlist_place.short_description = "Waitlist"

    def event_title(self, obj):
        return obj.event.title

    def event_date(self, obj):
        """When the session starts, in its own zone (as announced), with the zone: '2026-03-04 19:00 CST'."""
        return obj.event.local_start.strftime("%Y-%m-%d %H:%M %Z")

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path(
                "events/registration/attendance/<int:event_id>/",
                attendance_view,
                name="events_registration_attendance",
            ),
            path(
                "events/registration/message/<int:event_id>/",
                message_view,
                name="events_registration_message",
            ),
        )


registration_admin = register_inbox(RegistrationAdmin)


def _session_or_403(request, event_id):
    if not registration_admin.user_can_manage(request.user):
        raise PermissionDenied
    return get_object_or_404(event_model(), pk=event_id).specific


# Attendance --------------------------------------------------------------------------------


def attendance_view(request, event_id):
    """Take attendance for a whole session: the sheet, Zoom's participants report, matching by hand, walk-ins.

    Only once the session has started; before, the screen says when it can be taken."""
    event = _session_or_403(request, event_id)
    upload_form, walk_in_form = AttendanceUploadForm(), WalkInForm()
    status = 200
    not_open = ""
    try:
        attendance.check_open(event)
    except attendance.AttendanceNotOpen as closed:
        not_open = str(closed)
    if request.method == "POST":
        if not_open:
            messages.error(request, not_open)
            status = 409
        else:
            action = request.POST.get("action", "sheet")
            handler = {
                "sheet": _save_sheet,
                "import": _import_report,
                "match": _match_by_hand,
                "walk_in": _walk_in,
            }.get(action)
            if handler is None:
                messages.error(request, "Choose one of the actions on this page.")
                status = 400
            else:
                result = handler(request, event)
                if isinstance(result, HttpResponseRedirect):
                    return result
                status, forms = result
                upload_form = forms.get("upload", upload_form)
                walk_in_form = forms.get("walk_in", walk_in_form)
    registrations = list(event.registrations.filter(status__in=SEATED).order_by("name", "pk"))
    latest = AttendanceImport.objects.filter(event=event).select_related("created_by").first()
    candidates = [r for r in registrations if r.status != Status.ATTENDED]
    return TemplateResponse(
        request,
        "events/admin/attendance.html",
        {
            "event": event,
            "session": session_label(event),
            "registrations": registrations,
            "not_open": not_open,
            "upload_form": upload_form,
            "walk_in_form": walk_in_form,
            "latest_import": latest,
            "unmatched": list(enumerate(latest.unmatched)) if latest else [],
            "candidates": candidates,
            "index_url": registration_admin.index_url_with(**{EVENT_PARAM: event.pk}),
            "attended": sum(1 for r in registrations if r.status == Status.ATTENDED),
            "no_show": sum(1 for r in registrations if r.status == Status.NO_SHOW),
        },
        status=status,
    )


def _back_to_sheet(event):
    return redirect(reverse("events_registration_attendance", args=[event.pk]))


def _save_sheet(request, event):
    changed = 0
    for registration in event.registrations.filter(status__in=SEATED).order_by("name", "pk"):
        choice = request.POST.get(f"attendance-{registration.pk}")
        target = {"attended": Status.ATTENDED, "no_show": Status.NO_SHOW}.get(choice)
        if target and registration.status != target:
            try:
                apply_transition(registration, choice, actor=request.user)
            except TransitionError:
                continue  # changed meanwhile; the sheet shows the truth after the redirect
            changed += 1
    messages.success(request, f"Attendance saved for {changed} registration{'s' if changed != 1 else ''}.")
    return _back_to_sheet(event)


def _import_report(request, event):
    form = AttendanceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return 400, {"upload": form}
    upload = form.cleaned_data["report"]
    try:
        participants = attendance.read_participants(upload)
    except attendance.AttendanceFileError as error:
        form.add_error("report", str(error))
        return (413 if upload.size > attendance.MAX_BYTES else 400), {"upload": form}
    if not participants:
        form.add_error("report", "The report lists nobody who joined.")
        return 400, {"upload": form}
    report = attendance.import_participants(
        event,
        participants,
        actor=request.user,
        filename=upload.name,
        others_no_show=form.cleaned_data["others_no_show"],
    )
    left = len(report.unmatched)
    messages.success(
        request,
        f"Read {report.participants} participant{'s' if report.participants != 1 else ''}: {report.matched} "
        f"matched a registration and {'are' if report.matched != 1 else 'is'} marked attended"
        + (f"; {left} to match by hand below." if left else "."),
    )
    return _back_to_sheet(event)


def _entry(request, event):
    chosen = request.POST.get("import", "")
    report = AttendanceImport.objects.filter(event=event, pk=chosen).first() if chosen.isdecimal() else None
    raw = request.POST.get("entry", "")
    if report is None or not raw.isdecimal() or int(raw) >= len(report.unmatched):
        return None, None
    return report, int(raw)


def _match_by_hand(request, event):
    report, index = _entry(request, event)
    raw = request.POST.get("registration", "")
    registration = (
        event.registrations.filter(pk=raw, status__in=(Status.CONFIRMED, Status.NO_SHOW)).first()
        if raw.isdecimal()
        else None
    )
    if report is None or registration is None:
        messages.error(request, "Choose who this participant is from the list, then “Match”.")
        return 400, {}
    try:
        attendance.mark_attended(registration, actor=request.user)
    except (TransitionError, attendance.AttendanceNotOpen) as error:
        messages.error(request, str(error))
        return 409, {}
    who = report.unmatched[index]["name"] or report.unmatched[index]["email"] or "The participant"
    attendance.resolve(report, index)
    messages.success(request, f"{who} is {registration.name}: attended.")
    return _back_to_sheet(event)


def _walk_in(request, event):
    form = WalkInForm(request.POST)
    report, index = _entry(request, event)
    if not form.is_valid():
        return 400, {"walk_in": form}
    registration, created = attendance.add_walk_in(
        event,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        organisation=form.cleaned_data["organisation"],
        actor=request.user,
    )
    if report is not None:
        attendance.resolve(report, index)
    if created:
        messages.success(request, f"{registration.name} added as a walk-in: attended.")
    else:
        messages.success(request, f"{registration.name} was already registered: now marked attended.")
    return _back_to_sheet(event)


# Messages to registrants ---------------------------------------------------------------------


def message_view(request, event_id):
    """Write to a session's registrants (or some of them): one email each, logged on each registration."""
    event = _session_or_403(request, event_id)
    counts = rules.audience_counts(event)
    status = 200
    if request.method == "POST":
        form = MessageRegistrantsForm(request.POST, counts=counts)
        if form.is_valid():
            data = form.cleaned_data
            message, sent_now = rules.message_registrants(
                event,
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                include_link=data["include_link"],
                sender=request.user,
                token=data["token"],
            )
            if sent_now:
                messages.success(
                    request,
                    f"Message “{message.subject}” sent to {message.recipients} "
                    f"{'person' if message.recipients == 1 else 'people'}.",
                )
            else:
                messages.info(request, f"This message was already sent, to {message.recipients} people; not again.")
            return redirect(registration_admin.index_url_with(**{EVENT_PARAM: event.pk}))
        status = 400
    else:
        default = "confirmed" if counts.get("confirmed") else "active"
        form = MessageRegistrantsForm(counts=counts, initial={"audience": default, "token": uuid.uuid4().hex})
    return TemplateResponse(
        request,
        "events/admin/message.html",
        {
            "event": event,
            "session": session_label(event),
            "form": form,
            "sent": event.messages.select_related("sent_by")[:10],
            "index_url": registration_admin.index_url_with(**{EVENT_PARAM: event.pk}),
        },
        status=status,
    )


# Cancelling a session -------------------------------------------------------------------------


def user_can_cancel(user, event):
    """Events staff, and anyone who may unpublish the page (unpublishing it cancels it just the same)."""
    return registration_admin.user_can_manage(user) or event.permissions_for_user(user).can_unpublish()


def cancel_view(request, event_id):
    """Cancel a session as one act (rules.cancel_session), optionally unpublishing its page after."""
    event = get_object_or_404(event_model(), pk=event_id).specific
    if not user_can_cancel(request.user, event):
        raise PermissionDenied
    may_unpublish = event.live and event.permissions_for_user(request.user).can_unpublish()
    active = event.registrations.filter(status__in=CANCELLABLE).count()
    refusal = ""
    if event.cancelled_at:
        refusal = "This session was already cancelled."
    elif event.has_ended():
        refusal = "This session has already taken place, so it can't be cancelled."
    status = 200
    if request.method == "POST" and not refusal:
        form = CancelSessionForm(request.POST)
        if form.is_valid():
            try:
                told = rules.cancel_session(
                    event, actor=request.user, message=form.cleaned_data["message"], reason="cancelled"
                )
            except rules.SessionNotCancellable as error:
                messages.error(request, str(error))
                return redirect(request.path)
            messages.success(
                request,
                f"“{event.title}” is cancelled. "
                + (
                    f"{told} registrant{'s were' if told != 1 else ' was'} told by email."
                    if told
                    else "Nobody was registered."
                ),
            )
            if form.cleaned_data["unpublish"] and may_unpublish:
                try:
                    UnpublishPageAction(event_model().objects.get(pk=event.pk), user=request.user).execute()
                except UnpublishPagePermissionError:
                    messages.error(request, "You may not unpublish this page; it stays up, marked cancelled.")
                else:
                    messages.success(request, "The page is unpublished.")
            return redirect(registration_admin.index_url_with(**{EVENT_PARAM: event.pk}))
        status = 400
    elif request.method == "POST":
        messages.error(request, refusal)
        status = 409
        form = CancelSessionForm()
    else:
        form = CancelSessionForm(initial={"unpublish": request.GET.get("then") == "unpublish"})
    if not may_unpublish:
        form.fields.pop("unpublish")
    return TemplateResponse(
        request,
        "events/admin/cancel_session.html",
        {
            "event": event,
            "session": session_label(event),
            "form": form,
            "active": active,
            "refusal": refusal,
            "reason": request.GET.get("from", ""),
            "next_session": rules.next_session(event),
            "index_url": registration_admin.index_url_with(**{EVENT_PARAM: event.pk}),
        },
        status=status,
    )
