"""Help Desk staff manage the Experts and Saved replies snippets (nobody else but superusers)."""

from django.db import migrations

HELP_DESK = "Help Desk staff"
MODELS = ["expert", "savedreply"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=HELP_DESK)
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="helpdesk", model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=HELP_DESK).first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="helpdesk"))


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0001_initial"),
        ("home", "0003_staff_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
