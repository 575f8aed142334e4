from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from events.registration.views import email_manage_link, manage_registration, rate_session, registration_calendar
from helpdesk import webhooks as helpdesk_webhooks
from home import views as home_views
from ops.security import RateLimitedPasswordResetView
from search import views as search_views

handler400 = "home.views.bad_request"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Wagtail's password reset, rate-limited per client address (ops/security.py).
    path("admin/password_reset/", RateLimitedPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("registrations/manage/", email_manage_link, name="email_manage_link"),
    path("registrations/manage/<str:signed>/", manage_registration, name="manage_registration"),
    path("registrations/manage/<str:signed>/calendar.ics", registration_calendar, name="registration_calendar"),
    path("registrations/rate/<str:signed>/", rate_session, name="rate_session"),
    path("registrations/rate/<str:signed>/<int:score>/", rate_session, name="rate_session"),
    path("helpdesk/", include("helpdesk.urls")),
    # Email services' inbound webhooks into the Help Desk (404 unless ANYMAIL_WEBHOOK_SECRET is set).
    helpdesk_webhooks.url(),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
