"""Public Help Desk URLs outside the page tree: the thank-you page, the member's private link, suggestions."""

from django.urls import path

from . import views

urlpatterns = [
    path("thanks/<str:signed>/", views.thanks, name="helpdesk_thanks"),
    path("request/<str:signed>/", views.member_request, name="helpdesk_member"),
    path("suggestions/", views.suggestions, name="helpdesk_suggestions"),
]
