"""The inbox's permission lives on its own model now (it was on home.StaffPermissions): same row, same
holders (lpsite/migration_moves.py)."""

from django.db import migrations

from lpsite.migration_moves import move_permission


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0011_merge_taxonomy_and_inbox_indexes"),
        ("home", "0014_merge_news_and_outbox_moves"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(name="registration", options={'ordering': ['created_at', 'pk'], 'permissions': [('manage_event_registrations', 'Can see and act on event registrations')], 'verbose_name': 'registration'}),
        migrations.RunPython(*move_permission("manage_event_registrations", "home.staffpermissions", "events.registration")),
    ]
