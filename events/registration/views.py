"""Views for registering, the thank-you page and "manage my registration"."""

from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from home.spam import RATE_LIMIT_MESSAGE, rate_limited

from . import rules
from .forms import MultiSessionForm, RegistrationForm, form_class_with_questions
from .statuses import CANCELLABLE, Status


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
    """Apply the rules for one session; the thank-you page's entry for it."""
    try:
        registration, created = rules.register(
            event, **form.core_data(), form_data=form.answers(), spam_reason=form.spam_reason
        )
    except rules.RegistrationClosed as closed:
        return {"registration": None, "error": str(closed), "event": event}
    return {"registration": registration, "created": created, "event": event}


def _thanks(request, page, results):
    return TemplateResponse(
        request, "events/registration_thanks.html", {"page": page, "self": page, "results": results}
    )


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


@require_http_methods(["GET", "HEAD", "POST"])
def manage_registration(request, signed):
    """The signed link in every email: status, cancel, calendar file."""
    registration = rules.registration_for_signature(signed)
    if registration is None or registration.status == Status.SPAM:
        raise Http404("Unknown registration link")
    event = registration.event.specific
    can_cancel = registration.status in CANCELLABLE and not event.has_ended()
    just_cancelled = False
    if request.method == "POST" and request.POST.get("action") == "cancel" and can_cancel:
        registration = rules.cancel_by_member(registration)
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
