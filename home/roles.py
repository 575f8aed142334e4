"""Staff groups: their names, used by code, tests and `seed_demo`.

The groups and their permissions are created by the data migration
``home/migrations/0003_staff_roles.py``; ``docs/roles.md`` is the table of
what each can see and do.
"""

EDITORS = "Editors"
COMMUNICATIONS_LEADS = "Communications leads"
EVENTS_STAFF = "Events staff"
HELP_DESK_STAFF = "Help Desk staff"

ALL_GROUPS = [EDITORS, COMMUNICATIONS_LEADS, EVENTS_STAFF, HELP_DESK_STAFF]

REVIEW_WORKFLOW = "Communications review"
REVIEW_TASK = "Communications lead approval"

# Each inbox's permission, on its own model.
MANAGE_REGISTRATIONS = "events.manage_event_registrations"
MANAGE_HELPDESK = "helpdesk.manage_helpdesk_requests"
MANAGE_COLLABORATIVE_INTEREST = "collaborative.manage_collaborative_interest"
