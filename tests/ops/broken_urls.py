"""A URLconf with a view that fails, to exercise the 500 page."""

from django.urls import path


def boom(request, **kwargs):
    raise RuntimeError("boom")


urlpatterns = [
    path("boom/", boom),
    path("registrations/manage/<str:signed>/", boom),  # a member's private link that fails
]
