"""Requests' and experts' issue areas now point at taxonomy.IssueArea (moved from library, same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('helpdesk', '0002_help_desk_staff_snippets'),
        ('taxonomy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of where the models live changes.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='expert',
                    name='issue_areas',
                    field=models.ManyToManyField(blank=True, help_text='What they know about.', related_name='experts', to='taxonomy.issuearea'),
                ),
                migrations.AlterField(
                    model_name='helpdeskrequest',
                    name='issue_area',
                    field=models.ForeignKey(blank=True, help_text="The library's issue area it is about, if any.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='helpdesk_requests', to='taxonomy.issuearea'),
                ),
            ],
        ),
    ]
