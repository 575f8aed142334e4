"""The registered inboxes, kept apart from the admin so the models can look theirs up (the admin imports them)."""

# The registered inboxes (InboxModelAdmin instances, added by ``inbox.admin.register_inbox``), for the
# dashboard, the Forms screens and tests.
INBOXES = []


def inbox_for(model):
    """The registered ``InboxModelAdmin`` of ``model`` (a submission model), or None."""
    return next((model_admin for model_admin in INBOXES if model_admin.model is model), None)
