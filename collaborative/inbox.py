"""Inbox › Collaborative interest: the get-involved form's submissions, on the inbox kit (``inbox``).

Visible to Communications leads (``collaborative.manage_collaborative_interest``) and
superusers: status tabs new / contacted / closed / spam with counts, search,
assignment, notes (the "Add a note" transition, kept in the history), bulk
actions, CSV/XLSX export and a dashboard count of what waits.
"""

from home.roles import MANAGE_COLLABORATIVE_INTEREST
from inbox.admin import InboxModelAdmin, register_inbox

from .interest import CollaborativeInterest


class CollaborativeInterestAdmin(InboxModelAdmin):
    model = CollaborativeInterest
    menu_label = "Collaborative interest"
    menu_icon = "group"
    menu_order = 300
    permission = MANAGE_COLLABORATIVE_INTEREST
    list_display = ("name", "member_email", "jurisdiction", "position", "status_badge", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("name", "email", "form_data")
    list_export = ("name", "email", "role", "jurisdiction", "position", "message", "status", "assignee", "created_at")
    export_headings = {"position": "Leadership position", "role": "I am", "created_at": "Sent"}
    export_filename = "collaborative-interest"
    dashboard_statuses = (CollaborativeInterest.Status.NEW, CollaborativeInterest.Status.SPAM)
    assignable = True

    def answers(self, obj):
        """The answers as sent, with the choices' labels rather than their codes ("Steering committee")."""
        labels = {"role": obj.role_label, "leadership_position": obj.position_label}
        keys = [key for key in (obj.form_data or {}) if key not in self.hidden_answers]
        return [(label, labels.get(key, value)) for (label, value), key in zip(super().answers(obj), keys, strict=True)]

    def jurisdiction(self, obj):
        return obj.jurisdiction

    jurisdiction.short_description = "Jurisdiction"

    def position(self, obj):
        return obj.position_label

    position.short_description = "Leadership position"

    def role(self, obj):
        return obj.role_label

    role.short_description = "I am"

    def message(self, obj):
        return obj.message

    message.short_description = "Message"


collaborative_interest_admin = register_inbox(CollaborativeInterestAdmin)
