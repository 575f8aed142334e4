"""Views for registering, the thank-you page and "manage my registration"."""

from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from inbox.spam import RATE_LIMIT_MESSAGE, rate_limited
from inbox.validators import MultiLineTextField, PublicEmailField

from .. import ical
from . import rules
from .emails import manage_signature
from .forms import MultiSessionForm, RegistrationForm, form_class_with_questions
from .models import Registration
from .seats import waitlist_position
from .statuses import ACTIVE, CANCELLABLE, Status

THANKS_SESSION_KEY = "lpsite.registration.thanks"
MORE_SESSIONS = 4


def event_form_class(event):
    return form_class_with_questions(RegistrationForm, event.questions_page())


def series_form_class(series):
    return form_class_with_questions(MultiSessionForm, series)


def open_sessions(series, now=None):
    """The series' live sessions still open for registration, soonest first."""
    now = now or timezone.now()
    return (
        series.sessions()
        .filter(start__gt=now)
        .filter(Q(registration_closes__isnull=True) | Q(registration_closes__gt=now))
        .order_by("start", "pk")
    )


def _form_error_response(request, page, form, status):
    """The page as usual, with the submitted form and its errors, and a 4xx status."""
    context = page.get_context(request)
    context["series_form" if "sessions" in form.fields else "registration_form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)


def _refused(request, page, form):
    """The 429 or 400 response when the form can't be accepted, else None."""
    if rate_limited(request, scope="registration"):
        form.is_valid()
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _form_error_response(request, page, form, 429)
    if not form.is_valid():
        return _form_error_response(request, page, form, 400)
    return None


def _register(event, form):
    """Apply the rules for one session; the confirmation page's entry for it (kept in the session)."""
    try:
        registration, created = rules.register(
            event, **form.core_data(), form_data=form.answers(), spam_reason=form.spam_reason
        )
    except rules.RegistrationClosed as closed:
        return {"registration": None, "error": str(closed), "event": event.pk}
    return {
        "registration": registration.pk,
        "created": created,
        "resent": getattr(registration, "email_resent", False),
        "event": event.pk,
    }


def _thanks(request, page, results):
    """Redirect after the POST (a refresh never registers again): the confirmation page reads the session."""
    request.session[THANKS_SESSION_KEY] = {"page": page.pk, "results": results}
    return HttpResponseRedirect(page.url + "register/thanks/", status=303)


def own_google_calendar_url(registration, event):
    """ "Add to Google Calendar" for a confirmed registrant's private pages: with their meeting link."""
    if registration.status != Status.CONFIRMED or event.is_cancelled:
        return ""
    return ical.google_calendar_url(event, event.get_full_url() or "", meeting_url=event.meeting_url)


def registration_thanks(request, page):
    """The confirmation page: where each session stands, calendar, the manage link, the series' other sessions."""
    stored = request.session.get(THANKS_SESSION_KEY)
    if not stored or stored.get("page") != page.pk:
        return redirect(page.url)
    registrations = Registration.objects.select_related("event").in_bulk(
        [r["registration"] for r in stored["results"] if r["registration"]]
    )
    event_model = Registration._meta.get_field("event").related_model
    events = event_model.objects.in_bulk([r["event"] for r in stored["results"]])
    results = []
    for item in stored["results"]:
        event = events.get(item["event"])
        if event is None:
            continue
        registration = registrations.get(item["registration"])
        calendar_url = google_url = ""
        if registration is not None and registration.status == Status.CONFIRMED:
            calendar_url = reverse("registration_calendar", args=[manage_signature(registration)])
            google_url = own_google_calendar_url(registration, event.specific)
        results.append(
            {
                **item,
                "registration": registration,
                "event": event,
                "calendar_url": calendar_url,
                "google_calendar_url": google_url,
                "waitlist_position": waitlist_position(registration) if registration is not None else None,
            }
        )
    now = timezone.now()
    registered_ids = {r["event"].pk for r in results}
    series = page if page.is_series else page.series
    other_sessions = []
    if series is not None:
        other_sessions = list(open_sessions(series, now).exclude(pk__in=registered_ids)[:MORE_SESSIONS])
    told = [r for r in results if r["registration"] and r["registration"].status != Status.SPAM]
    response = TemplateResponse(
        request,
        "events/registration_thanks.html",
        {
            "page": page,
            "self": page,
            "results": results,
            "emailed": any(r["created"] or r["resent"] for r in told),
            "series": series,
            "other_sessions": other_sessions,
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def register_for_event(request, event):
    """POST to an event's register/ route."""
    form = event_form_class(event)(request.POST, page=event, user=request.user)
    refused = _refused(request, event, form)
    if refused:
        return refused
    result = _register(event, form)
    if result["registration"] is None:
        form.add_error(None, result["error"])
        return _form_error_response(request, event, form, 409)
    return _thanks(request, event, [result])


def register_for_series(request, series):
    """POST to a series' register/ route: one registration per ticked session."""
    form = series_form_class(series)(request.POST, page=series, user=request.user, sessions=open_sessions(series))
    refused = _refused(request, series, form)
    if refused:
        return refused
    return _thanks(request, series, [_register(event, form) for event in form.cleaned_data["sessions"]])


class LinkRequestForm(forms.Form):
    email = PublicEmailField(label="Your email address", help_text="The address you registered with.")


LINK_SENT_MESSAGE = (
    "If {email} has a registration for an upcoming session, we've emailed its link. "
    "It can take a few minutes; check your spam folder too."
)
LINK_EMAIL_INTERVAL = 600  # seconds: one "email me my link" message per address at most this often


def _bad_link(request, form=None, status=404, sent_to="", expired_event=None):
    """The page of a link that doesn't work: tampered with (404), or for a session that has ended (410)."""
    response = TemplateResponse(
        request,
        "events/manage_link_invalid.html",
        {
            "form": form or LinkRequestForm(),
            "sent_message": LINK_SENT_MESSAGE.format(email=sent_to) if sent_to else "",
            "expired_event": expired_event,
        },
        status=410 if expired_event is not None else status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["POST"])
def email_manage_link(request):
    """ "Email me my link": the same answer whether or not the address has a registration."""
    form = LinkRequestForm(request.POST)
    if rate_limited(request, scope="manage-link"):
        form.is_valid()
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _bad_link(request, form, status=429)
    if not form.is_valid():
        return _bad_link(request, form, status=400)
    email = form.cleaned_data["email"].strip().lower()
    if cache.add(f"lpsite:manage-link:{email}", 1, timeout=LINK_EMAIL_INTERVAL):
        rules.send_manage_links(email)
    return _bad_link(request, LinkRequestForm(), status=200, sent_to=email)


@require_http_methods(["GET", "HEAD", "POST"])
def manage_registration(request, signed):
    """The signed link in every email: status, calendar, cancel (after a confirmation), register again."""
    registration = rules.registration_for_signature(signed)
    if registration is None or registration.status == Status.SPAM:
        return _bad_link(request)
    event = registration.event.specific
    if event.has_ended():
        # A private link acts as the member: it works while there is something to do, until the session ends.
        return _bad_link(request, expired_event=event)
    can_cancel = registration.status in CANCELLABLE and not event.has_ended()
    if request.method == "POST":
        if request.POST.get("action") == "cancel" and can_cancel:
            rules.cancel_by_member(registration)
            return HttpResponseRedirect(request.path + "?cancelled=1", status=303)
        return HttpResponseRedirect(request.path, status=303)
    confirming = can_cancel and "cancel" in request.GET
    position = waitlist_position(registration)
    can_register_again = (
        registration.status == Status.CANCELLED
        and not rules.registration_closed_reason(event)
        and not event.registrations.filter(email=registration.email, status__in=ACTIVE).exists()
    )
    response = TemplateResponse(
        request,
        "events/manage_registration.html",
        {
            "registration": registration,
            "event": event,
            "can_cancel": can_cancel,
            "confirming": confirming,
            "just_cancelled": registration.status == Status.CANCELLED and "cancelled" in request.GET,
            "can_register_again": can_register_again,
            "has_waitlist": event.capacity is not None,
            "waitlist_position": position,
            "calendar_url": reverse("registration_calendar", args=[signed]),
            "google_calendar_url": own_google_calendar_url(registration, event),
            "in_calendar": registration.status == Status.CONFIRMED and not event.is_cancelled,
            "next_session": rules.next_session(event) if event.is_cancelled else None,
            "page": None,
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "HEAD"])
def registration_calendar(request, signed):
    """The registrant's own calendar entry: with the meeting link while they are confirmed, cancelled
    once they are not (or the session is). Never a public address: the link is signed."""
    registration = rules.registration_for_signature(signed)
    if registration is None or registration.status == Status.SPAM:
        return _bad_link(request)
    if registration.event.has_ended():
        return _bad_link(request, expired_event=registration.event)
    sequence = max(registration.event.sequence, registration.calendar_sequence or 0)
    calendar = ical.registrant_calendar(
        registration,
        sequence=sequence,
        manage_url=request.build_absolute_uri(reverse("manage_registration", args=[signed])),
    )
    response = ical.calendar_response(calendar, f"{registration.event.slug}.ics")
    patch_cache_control(response, private=True, no_store=True)
    return response


RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect, label="Your rating (5 is best)"
    )
    comment = MultiLineTextField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything to add? (optional)",
        help_text="What worked, what didn't, what you'd like a session on next. Staff read every comment.",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def rate_session(request, signed, score=None):
    """The follow-up email's one-click rating: the link records its score (the latest click counts) and
    shows a form to change it or add a comment. Signed: it rates only the registration it was sent for."""
    registration = rules.registration_for_rating(signed)
    if registration is None:
        return _rating_page(request, None, None, status=404)
    if request.method == "POST":
        form = RatingForm(request.POST)
        if not form.is_valid():
            return _rating_page(request, registration, form, status=400)
        rules.rate(registration, form.cleaned_data["rating"], form.cleaned_data["comment"])
        return HttpResponseRedirect(request.path + "?saved=1", status=303)
    if score is not None and request.method == "GET":
        if not 1 <= score <= 5:
            return _rating_page(request, registration, RatingForm(), status=404)
        registration = rules.rate(registration, score)
        return HttpResponseRedirect(reverse("rate_session", args=[signed]) + "?rated=1", status=303)
    form = RatingForm(initial={"rating": registration.rating, "comment": registration.rating_comment})
    return _rating_page(request, registration, form)


def _rating_page(request, registration, form, status=200):
    response = TemplateResponse(
        request,
        "events/rate_session.html",
        {
            "registration": registration,
            "event": registration.event.specific if registration else None,
            "form": form,
            "just_rated": "rated" in request.GET,
            "saved": "saved" in request.GET,
            "page": None,
        },
        status=status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
