"""What event and series pages need for registration, as a mixin (``events.models`` imports it)."""

from functools import partial

from django.apps import apps
from django.shortcuts import redirect
from django.utils import timezone
from wagtail.contrib.routable_page.models import path

from home.shell import held
from inbox.validators import PublicFormBuilder

from .. import listing
from .models import Registration
from .rules import registration_closed_reason
from .views import (
    event_form_class,
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
            # The sessions open for registration, from the kept facts (events/listing.py): the same as
            # open_sessions(), which a submission is checked against. Read only when the form's fields are
            # rendered (they are kept per generation and epoch: registration_form.html).
            open_ids = [
                fact.pk for fact in listing.open_for_registration(listing.children(self), now or timezone.now())
            ]
            if not open_ids:
                return None
            # events.models imports this module before it defines EventPage: the model by its name.
            sessions = apps.get_model("events", "EventPage").objects.filter(pk__in=open_ids).order_by("start", "pk")
            return self.registration_form_class(request)(page=self, user=request.user, sessions=sessions)
        if registration_closed_reason(self, now):
            return None
        return self.registration_form_class(request)(page=self, user=request.user)

    def registration_form_class(self, request):
        """The form with this page's questions: kept per content generation by the process, as its
        questions change only with the content; built afresh in a preview (unsaved questions)."""
        build = partial(series_form_class if self.is_series else event_form_class, self)
        if getattr(request, "is_preview", False) or not self.pk:
            return build()
        return held("registration-form-class", build, self.pk)

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
