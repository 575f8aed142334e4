"""home.StaffPermissions (no table) held the three inboxes' permissions; each now lives on its inbox's model,
moved there row and holders intact by the migrations this one follows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0014_merge_news_and_outbox_moves"),
        ("events", "0012_registration_permission"),
        ("helpdesk", "0004_helpdeskrequest_permission"),
        ("collaborative", "0003_collaborativeinterest_permission"),
    ]

    operations = [
        migrations.DeleteModel(name="StaffPermissions"),
    ]
