"""Communications leads own the taxonomies and the navigation (docs/roles.md); Editors only pick from them."""

from django.db import migrations

LEADS = "Communications leads"
GRANTS = [
    ("library", "issuearea", "add_issuearea", "Can add issue area"),
    ("library", "issuearea", "change_issuearea", "Can change issue area"),
    ("library", "resourcetype", "add_resourcetype", "Can add resource type"),
    ("library", "resourcetype", "change_resourcetype", "Can change resource type"),
    ("home", "navigationsettings", "change_navigationsettings", "Can change navigation"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    leads = Group.objects.filter(name=LEADS).first()
    if leads is None:
        return
    for app_label, model, codename, name in GRANTS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        leads.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    leads = Group.objects.filter(name=LEADS).first()
    if leads is not None:
        leads.permissions.remove(*leads.permissions.filter(codename__in=[g[2] for g in GRANTS]))


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0004_alter_resourcepage_issue_areas_and_more"),
        ("home", "0007_navigationsettings_mainnavigationlink_footerlink"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
