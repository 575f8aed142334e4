"""Reports → Help Desk (Help Desk staff, Communications leads, superusers) and Reports → Impact (Communications
leads, superusers) in the admin menu."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import helpdesk_report, impact_report, may_see_helpdesk_report, may_see_impact_report


class HelpDeskReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_helpdesk_report(request.user)


@hooks.register("register_reports_menu_item")
def helpdesk_report_menu_item():
    return HelpDeskReportMenuItem("Help Desk", reverse("reports_helpdesk"), icon_name="help", order=700)


class ImpactReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_impact_report(request.user)


@hooks.register("register_reports_menu_item")
def impact_report_menu_item():
    return ImpactReportMenuItem("Impact", reverse("reports_impact"), icon_name="group", order=710)


@hooks.register("register_admin_urls")
def report_urls():
    return [
        path("reports/helpdesk/", helpdesk_report, name="reports_helpdesk"),
        path("reports/impact/", impact_report, name="reports_impact"),
    ]
