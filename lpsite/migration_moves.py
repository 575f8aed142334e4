"""Moving models between apps without touching their rows: the migrations' shared step.

Used by the first migration of each app that took models over from another (inbox, news, taxonomy): the
models keep their tables (``Meta.db_table``, ``SeparateDatabaseAndState``) and this relabels their content
types. Kept here, not in an app, so that old migrations keep importing it whatever the apps become.
"""

from django.contrib.contenttypes.models import ContentType as CurrentContentType


def move_content_types(old_app, new_app, model_names):
    """RunPython pair that gives the moved models' ContentType rows their new app label.

    Done before ``migrate`` ends, so Django's post-migrate step finds the rows and makes no new ones: the
    same ids go on pointing at these models from permissions (and the groups holding them), page rows,
    revisions, log entries, search index entries and everything else that names a content type.
    """

    def references(apps, db, content_type):
        """How many rows of any model point at ``content_type``."""
        ContentType = apps.get_model("contenttypes", "ContentType")
        found = 0
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if (field.many_to_one or field.one_to_one) and field.concrete and field.related_model is ContentType:
                    found += model._base_manager.using(db).filter(**{field.name: content_type}).count()
        return found

    def rename(apps, schema_editor, source, target):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        rows = ContentType.objects.using(db)
        for model in model_names:
            old = rows.filter(app_label=source, model=model).first()
            if old is None:
                continue  # renamed already, or a database that never had the model
            made = rows.filter(app_label=target, model=model).first()
            if made is not None:
                # Made since, by code that ran against this database before it was migrated (e.g. Wagtail's
                # snippet permissions after a `migrate` back): unused, it gives way to the row in use.
                if references(apps, db, made):
                    raise RuntimeError(
                        f"Content types {source}.{model} (id {old.pk}) and {target}.{model} (id {made.pk}) are "
                        f"both in use: repoint what uses id {made.pk} to id {old.pk}, delete it and migrate again."
                    )
                made.delete()
            rows.filter(pk=old.pk).update(app_label=target)
        CurrentContentType.objects.clear_cache()  # this process may hold the rows under their old labels

    def forwards(apps, schema_editor):
        rename(apps, schema_editor, old_app, new_app)

    def backwards(apps, schema_editor):
        rename(apps, schema_editor, new_app, old_app)

    return forwards, backwards


def move_permission(codename, old, new):
    """RunPython pair that moves the permission ``codename`` from the model ``old`` to the model ``new``
    ("app_label.model"), keeping its row: the groups and users that hold it keep holding it.

    A database that never had it gets it from Django's post-migrate step, on ``new``.
    """

    def content_type(apps, db, label):
        app_label, model = label.split(".")
        ContentType = apps.get_model("contenttypes", "ContentType")
        return ContentType.objects.db_manager(db).get_or_create(app_label=app_label, model=model)[0]

    def repoint(apps, schema_editor, source, target):
        Permission = apps.get_model("auth", "Permission")
        db = schema_editor.connection.alias
        rows = Permission.objects.using(db).filter(codename=codename)
        app_label, model = source.split(".")
        held = rows.filter(content_type__app_label=app_label, content_type__model=model).first()
        if held is None:
            return  # moved already, or never made
        destination = content_type(apps, db, target)
        # One made on the new model in the meantime (post-migrate on a half-migrated database) gives way.
        rows.filter(content_type=destination).exclude(pk=held.pk).delete()
        rows.filter(pk=held.pk).update(content_type=destination)
        CurrentContentType.objects.clear_cache()

    def forwards(apps, schema_editor):
        repoint(apps, schema_editor, old, new)

    def backwards(apps, schema_editor):
        repoint(apps, schema_editor, new, old)

    return forwards, backwards
