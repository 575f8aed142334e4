"""IssueArea and ResourceType moved to the taxonomy app with their tables and rows (taxonomy 0001): state only.

Resources point at them there first, as do trainings, pillars and Help Desk requests (their migrations
below); then the models leave this app's state. No table is created, altered or dropped.
"""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('library', '0008_resource_listing_index'),
        ('taxonomy', '0001_initial'),
        ('collaborative', '0002_issue_areas_from_taxonomy'),
        ('events', '0010_issue_areas_from_taxonomy'),
        ('helpdesk', '0003_issue_areas_from_taxonomy'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of where the models live changes.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='resourcepage',
                    name='resource_type',
                    field=models.ForeignKey(help_text='What kind of resource this is. Missing a type? Ask a Communications lead to add it (Snippets in the admin menu).', on_delete=django.db.models.deletion.PROTECT, related_name='resources', to='taxonomy.resourcetype'),
                ),
                migrations.AlterField(
                    model_name='resourcepage',
                    name='issue_areas',
                    field=modelcluster.fields.ParentalManyToManyField(help_text='One or more issues it addresses. Missing a issue area? Ask a Communications lead to add it (Snippets in the admin menu).', related_name='resources', to='taxonomy.issuearea'),
                ),
                migrations.DeleteModel(
                    name='IssueArea',
                ),
                migrations.DeleteModel(
                    name='ResourceType',
                ),
            ],
        ),
    ]
