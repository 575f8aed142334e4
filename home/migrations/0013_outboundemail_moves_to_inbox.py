"""OutboundEmail moved to ``inbox`` (inbox 0001): gone from ``home``'s state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0012_outbox_for_every_email"),
        ("inbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="OutboundEmail")],
        ),
    ]
