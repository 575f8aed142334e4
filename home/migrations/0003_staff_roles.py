"""Create the staff groups and the "Communications review" workflow.

Replaces Wagtail's default "Moderators" group (renamed to "Communications
leads", so existing members keep their access) and redefines "Editors", so
every environment has exactly one clear set of roles. See docs/roles.md.
"""

from django.db import migrations

EDITORS = "Editors"
LEADS = "Communications leads"
EVENTS = "Events staff"
HELP_DESK = "Help Desk staff"

REVIEW_WORKFLOW = "Communications review"
REVIEW_TASK = "Communications lead approval"

# Page permissions, granted on the tree's root so they cover every site.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    LEADS: ["add_page", "change_page", "lock_page", "publish_page", "unlock_page", "bulk_delete_page"],
    EVENTS: [],  # the trainings section grants theirs on /trainings/ when it exists
    HELP_DESK: ["add_page", "change_page", "lock_page"],
}
# Image and document permissions, granted on the root collection. In Wagtail
# "add" also lets a user edit and delete what they uploaded themselves, and
# "change" covers editing and deleting anyone's (Wagtail treats delete as change).
UPLOADER = [
    ("wagtailimages", "image", ["add", "choose"]),
    ("wagtaildocs", "document", ["add", "choose"]),
]
COLLECTION_PERMISSIONS = {
    EDITORS: UPLOADER,
    LEADS: [
        ("wagtailimages", "image", ["add", "change", "delete", "choose"]),
        ("wagtaildocs", "document", ["add", "change", "delete", "choose"]),
    ],
    EVENTS: UPLOADER,
    HELP_DESK: UPLOADER,
}
# Model permissions held by the group itself.
GROUP_PERMISSIONS = {
    EDITORS: [("wagtailadmin", "admin", "access_admin")],
    LEADS: [("wagtailadmin", "admin", "access_admin"), ("home", "sitesettings", "change_sitesettings")],
    EVENTS: [("wagtailadmin", "admin", "access_admin"), ("home", "staffpermissions", "manage_event_registrations")],
    HELP_DESK: [("wagtailadmin", "admin", "access_admin"), ("home", "staffpermissions", "manage_helpdesk_requests")],
}
PERMISSION_NAMES = {
    "access_admin": "Can access Wagtail admin",
    "change_sitesettings": "Can change site settings",
    "manage_event_registrations": "Can see and act on event registrations",
    "manage_helpdesk_requests": "Can see and act on Help Desk requests",
}


def get_permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": PERMISSION_NAMES.get(codename, codename.replace("_", " ").capitalize())},
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    moderators = Group.objects.filter(name="Moderators").first()
    if moderators and not Group.objects.filter(name=LEADS).exists():
        moderators.name = LEADS
        moderators.save()

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()

    for name in (EDITORS, LEADS, EVENTS, HELP_DESK):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [get_permission(apps, app, model, codename) for app, model, codename in GROUP_PERMISSIONS[name]]
        )
        GroupPagePermission.objects.filter(group=group).delete()
        if root_page:
            for codename in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.create(
                    group=group, page=root_page, permission=get_permission(apps, "wagtailcore", "page", codename)
                )
        GroupCollectionPermission.objects.filter(group=group).delete()
        if root_collection:
            for app, model, actions in COLLECTION_PERMISSIONS[name]:
                for action in actions:
                    GroupCollectionPermission.objects.create(
                        group=group,
                        collection=root_collection,
                        permission=get_permission(apps, app, model, f"{action}_{model}"),
                    )

    create_review_workflow(apps, root_page)


def create_review_workflow(apps, root_page):
    """One workflow for the whole site: a Communications lead approves."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    leads = Group.objects.get(name=LEADS)
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        # Wagtail's default "Moderators approval" task now belongs to the leads.
        task = GroupApprovalTask.objects.filter(groups=leads).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK, content_type=task_type, active=True)
    task.name = REVIEW_TASK
    task.active = True
    task.save()
    task.groups.set([leads])

    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.filter(workflow_tasks__task=task).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=REVIEW_WORKFLOW, active=True)
    workflow.name = REVIEW_WORKFLOW
    workflow.active = True
    workflow.save()
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    if root_page:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_staff_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
