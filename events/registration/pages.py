"""What event and series pages need for registration, as a mixin (``events.models`` imports it)."""

from django.shortcuts import redirect
from wagtail.contrib.routable_page.models import path

from home.validators import PublicFormBuilder

from .models import Registration
from .rules import registration_closed_reason
from .views import (
    event_form_class,
    open_sessions,
    register_for_event,
    register_for_series,
    registration_thanks,
    series_form_class,
)


class RegistrationPageMixin:
    """Wagtail's form-builder API (questions editors add) without FormMixin's serve().

    Registration is handled by the ``register/`` route of each page (the
    page's class must also be a ``RoutablePageMixin``), so the code owns the
    core fields and rules. Series pages set ``is_series = True``.
    """

    form_builder = PublicFormBuilder
    is_series = False

    def get_form_fields(self):
        return self.form_fields.all()

    def get_data_fields(self):
        return [("submit_time", "Registered at")] + [(f.clean_name, f.label) for f in self.get_form_fields()]

    def get_submission_class(self):
        return Registration

    def registration_form(self, request, now=None):
        """An empty form while registration is open, else None."""
        if self.is_series:
            sessions = open_sessions(self, now)
            if not sessions.exists():
                return None
            return series_form_class(self)(page=self, user=request.user, sessions=sessions)
        if registration_closed_reason(self, now):
            return None
        return event_form_class(self)(page=self, user=request.user)

    @path("register/", name="register")
    def register_view(self, request):
        if request.method != "POST":
            return redirect(self.url)
        if self.is_series:
            return register_for_series(request, self)
        return register_for_event(request, self)

    @path("register/thanks/", name="register_thanks")
    def register_thanks_view(self, request):
        return registration_thanks(request, self)
