"""IssueArea and ResourceType, moved here from library with their tables, rows and content types.

The models keep the tables library made (library_issuearea, library_resourcetype); library 0009 takes them out
of library's state once every field pointing at them points here (collaborative 0002, events 0010, helpdesk 0003).
"""

import modelsearch.index
from django.db import migrations, models

from lpsite.migration_moves import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('library', '0008_resource_listing_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # No table is created: each model keeps the table it had (Meta.db_table), rows and all.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='IssueArea',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text="As members will see it, e.g. 'Housing'.", max_length=100, unique=True)),
                        ('slug', models.SlugField(help_text='Used in addresses such as /resources/?issue=housing.', max_length=100, unique=True)),
                        ('description', models.TextField(blank=True, help_text='One or two sentences shown on the library page.')),
                    ],
                    options={
                        'verbose_name': 'issue area',
                        'db_table': 'library_issuearea',
                        'ordering': ['name'],
                        'abstract': False,
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
                migrations.CreateModel(
                    name='ResourceType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text="As members will see it, e.g. 'Housing'.", max_length=100, unique=True)),
                        ('slug', models.SlugField(help_text='Used in addresses such as /resources/?issue=housing.', max_length=100, unique=True)),
                        ('description', models.TextField(blank=True, help_text='One or two sentences shown on the library page.')),
                    ],
                    options={
                        'verbose_name': 'resource type',
                        'db_table': 'library_resourcetype',
                        'ordering': ['name'],
                        'abstract': False,
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
            ],
        ),
        migrations.RunPython(*move_content_types('library', 'taxonomy', ('issuearea', 'resourcetype'))),
    ]
