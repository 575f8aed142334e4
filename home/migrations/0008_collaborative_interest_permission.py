"""Communications leads follow up the Leadership Collaborative's interest list (docs/roles.md)."""

from django.db import migrations

LEADS = "Communications leads"
CODENAME = "manage_collaborative_interest"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="home", model="staffpermissions")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Can see and act on Leadership Collaborative interest"},
    )
    group, _ = Group.objects.get_or_create(name=LEADS)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="home", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_newsindexpage_alter_staffpermissions_options_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
