"""NewsIndexPage, ArticlePage and ArticleRelatedPage moved to the news app with their tables and rows
(news 0001): they leave home's state only. No table is altered or dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0012_outbox_for_every_email'),
        ('news', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ArticleRelatedPage'),
                migrations.DeleteModel(name='ArticlePage'),
                migrations.DeleteModel(name='NewsIndexPage'),
            ],
        ),
    ]
