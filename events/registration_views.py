"""Views for registering, the thank-you page and "manage my registration"."""

from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from home.spam import RATE_LIMIT_MESSAGE, rate_limited

from . import registration as rules
from .registration_forms import MultiSessionForm, RegistrationForm, form_class_with_questions
from .registration_models import Registration


def event_form_class(event):
    return form_class_with_questions(RegistrationForm, event.questions_page())


def series_form_class(series):
    return form_class_with_questions(MultiSessionForm, series)


def open_sessions(series, now=None):
    from .models import EventPage

    now = now or timezone.now()
    return (
        EventPage.objects.live()
        .public()
        .child_of(series)
        .filter(start__gt=now)
        .filter(Q(registration_closes__isnull=True) | Q(registration_closes__gt=now))
        .order_by("start", "pk")
    )


def _form_error_response(request, page, form, status):
    """The page as usual, with the submitted form and its errors, and a 4xx status."""
    context = page.get_context(request)
    context["series_form" if "sessions" in form.fields else "registration_form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)


def register_for_event(request, event):
    """POST to an event's register/ route."""
    form_class = event_form_class(event)
    form = form_class(request.POST, page=event, user=request.user)
    if rate_limited(request, scope="registration"):
        form.is_valid()
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _form_error_response(request, event, form, 429)
    if not form.is_valid():
        return _form_error_response(request, event, form, 400)
    try:
        registration, created = rules.register(
            event,
            **form.core_data(),
            form_data=form.answers(),
            spam_reason=form.spam_reason,
        )
    except rules.RegistrationClosed as closed:
        form.add_error(None, str(closed))
        return _form_error_response(request, event, form, 409)
    return TemplateResponse(
        request,
        "events/registration_thanks.html",
        {
            "page": event,
            "self": event,
            "results": [{"registration": registration, "created": created, "event": event}],
        },
    )


def register_for_series(request, series):
    """POST to a series' register/ route: one registration per ticked session."""
    sessions = open_sessions(series)
    form = series_form_class(series)(request.POST, page=series, user=request.user, sessions=sessions)
    if rate_limited(request, scope="registration"):
        form.is_valid()
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _form_error_response(request, series, form, 429)
    if not form.is_valid():
        return _form_error_response(request, series, form, 400)
    results = []
    for event in form.cleaned_data["sessions"]:
        try:
            registration, created = rules.register(
                event, **form.core_data(), form_data=form.answers(), spam_reason=form.spam_reason
            )
            results.append({"registration": registration, "created": created, "event": event})
        except rules.RegistrationClosed as closed:
            results.append({"registration": None, "error": str(closed), "event": event})
    return TemplateResponse(
        request, "events/registration_thanks.html", {"page": series, "self": series, "results": results}
    )


@require_http_methods(["GET", "POST"])
def manage_registration(request, signed):
    """The signed link in every email: status, cancel, calendar file."""
    registration = rules.registration_for_signature(signed)
    if registration is None or registration.status == Registration.Status.SPAM:
        raise Http404("Unknown registration link")
    event = registration.event.specific
    can_cancel = (
        registration.status
        in (
            Registration.Status.PENDING,
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
        )
        and not event.has_ended()
    )
    just_cancelled = False
    if request.method == "POST" and request.POST.get("action") == "cancel" and can_cancel:
        registration = rules.cancel(registration, by_member=True)
        can_cancel = False
        just_cancelled = True
    return TemplateResponse(
        request,
        "events/manage_registration.html",
        {
            "registration": registration,
            "event": event,
            "can_cancel": can_cancel,
            "just_cancelled": just_cancelled,
            "page": None,
        },
    )
