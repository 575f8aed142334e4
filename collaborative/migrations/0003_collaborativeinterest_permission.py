"""The inbox's permission lives on its own model now (it was on home.StaffPermissions): same row, same
holders (lpsite/migration_moves.py)."""

from django.db import migrations

from lpsite.migration_moves import move_permission


class Migration(migrations.Migration):
    dependencies = [
        ("collaborative", "0002_issue_areas_from_taxonomy"),
        ("home", "0014_merge_news_and_outbox_moves"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(name="collaborativeinterest", options={'ordering': ['-created_at', '-pk'], 'permissions': [('manage_collaborative_interest', 'Can see and act on Leadership Collaborative interest')], 'verbose_name': 'collaborative interest', 'verbose_name_plural': 'collaborative interest'}),
        migrations.RunPython(*move_permission("manage_collaborative_interest", "home.staffpermissions", "collaborative.collaborativeinterest")),
    ]
