"""Pillars' issue areas now point at taxonomy.IssueArea (moved from library, same table): state only."""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('collaborative', '0001_initial'),
        ('taxonomy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of where the models live changes.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='pillarpage',
                    name='issue_areas',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='The issues this pillar touches: related resources and trainings are chosen by these.', related_name='pillars', to='taxonomy.issuearea'),
                ),
            ],
        ),
    ]
