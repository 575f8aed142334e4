"""OutboundEmail moves here from ``home``: its table (``home_outboundemail``) and rows stay as they are.

Only Django's idea of the model moves (``SeparateDatabaseAndState``; ``home`` 0013 drops it from
``home``'s state). Its content type is relabelled first, so its permissions, the groups holding
them and the admin's log entries keep pointing at it, and no second content type is ever made.
"""

from django.db import migrations, models

from lpsite.migration_moves import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0012_outbox_for_every_email"),
    ]

    operations = [
        migrations.RunPython(*move_content_types("home", "inbox", ("outboundemail",))),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OutboundEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("to", models.JSONField(default=list, help_text="Recipient addresses.")),
                        ("cc", models.JSONField(blank=True, default=list, help_text="Copied addresses.")),
                        ("bcc", models.JSONField(blank=True, default=list, help_text="Blind-copied addresses.")),
                        (
                            "from_email",
                            models.CharField(
                                blank=True,
                                help_text="The sender, when not the site's default (DEFAULT_FROM_EMAIL).",
                                max_length=254,
                            ),
                        ),
                        (
                            "headers",
                            models.JSONField(blank=True, default=dict, help_text="Other headers the sender set."),
                        ),
                        (
                            "reply_to",
                            models.JSONField(
                                blank=True, default=list, help_text="Reply-To addresses (e.g. the member)."
                            ),
                        ),
                        ("subject", models.CharField(help_text="Subject line, one line.", max_length=255)),
                        ("text_body", models.TextField(help_text="Plain-text body.")),
                        ("html_body", models.TextField(blank=True, help_text="HTML body (optional).")),
                        (
                            "attachments",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="Files to attach: filename, mimetype and base64 content.",
                            ),
                        ),
                        (
                            "purpose",
                            models.CharField(
                                blank=True, db_index=True, help_text="What it is, e.g. 'confirmed'.", max_length=80
                            ),
                        ),
                        (
                            "related_key",
                            models.CharField(
                                blank=True,
                                db_index=True,
                                help_text="What it is about, e.g. 'events.registration:42'.",
                                max_length=120,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                db_index=True,
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveSmallIntegerField(default=0, help_text="Delivery attempts so far."),
                        ),
                        (
                            "last_error",
                            models.TextField(blank=True, help_text="The mail server's answer on the last failure."),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, help_text="When it was saved.")),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, help_text="When the mail server accepted it.", null=True),
                        ),
                        (
                            "claimed_at",
                            models.DateTimeField(
                                blank=True, help_text="When a worker started sending it (status 'sending').", null=True
                            ),
                        ),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                blank=True,
                                db_index=True,
                                help_text="Not retried before this time (backoff after a failure).",
                                null=True,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "outbound email",
                        "db_table": "home_outboundemail",
                        "ordering": ["-created_at"],
                        "permissions": [("retry_outboundemail", "Can see failed emails and send them again")],
                    },
                ),
            ],
        ),
    ]
