"""Trainings' issue areas now point at taxonomy.IssueArea (moved from library, same table): state only."""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0009_session_truth'),
        ('taxonomy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of where the models live changes.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='eventpage',
                    name='issue_areas',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='The issues it covers; members filter trainings by these, and related resources follow them. Missing an issue area? Ask a Communications lead to add it (Snippets in the admin menu).', related_name='events', to='taxonomy.issuearea'),
                ),
            ],
        ),
    ]
