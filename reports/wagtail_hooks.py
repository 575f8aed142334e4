"""Reports → Help Desk in the admin menu, for Help Desk staff, Communications leads and superusers."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import helpdesk_report, may_see_helpdesk_report


class HelpDeskReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_helpdesk_report(request.user)


@hooks.register("register_reports_menu_item")
def helpdesk_report_menu_item():
    return HelpDeskReportMenuItem("Help Desk", reverse("reports_helpdesk"), icon_name="help", order=700)


@hooks.register("register_admin_urls")
def report_urls():
    return [path("reports/helpdesk/", helpdesk_report, name="reports_helpdesk")]
