"""NewsIndexPage, ArticlePage and ArticleRelatedPage, moved here from home with their tables, rows and content types.

The models keep the tables home made (home_newsindexpage, home_articlepage, home_articlerelatedpage); home 0013
takes them out of home's state. Pages keep their content type (its row is renamed), so every page, revision and
log entry of these types stays as it was.
"""

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

from lpsite.migration_moves import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('home', '0012_outbox_for_every_email'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # No table is created: each model keeps the table it had (Meta.db_table), rows and all.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='NewsIndexPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', wagtail.fields.RichTextField(blank=True, help_text='A sentence under the title about what we publish.')),
                    ],
                    options={
                        'verbose_name': 'news index',
                        'db_table': 'home_newsindexpage',
                    },
                    bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),  # as home 0007 made it
                ),
                migrations.CreateModel(
                    name='ArticlePage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('date', models.DateField(default=django.utils.timezone.localdate, help_text="The article's publication date, shown on it.")),
                        ('author', models.CharField(blank=True, help_text="Who wrote it, e.g. 'Local Progress staff'. Hidden when empty.", max_length=120)),
                        ('summary', models.TextField(blank=True, help_text='One or two sentences for cards, feeds and search results.', max_length=400)),
                        ('lead_image_caption', models.CharField(blank=True, help_text='Shown under the lead image, e.g. who is pictured and where.', max_length=300)),
                        ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('image', 8), ('quote', 11), ('call_to_action', 16), ('faq', 22), ('embed', 25), ('document', 28)], block_lookup={0: ('wagtail.blocks.CharBlock', (), {'help_text': "The heading's words.", 'max_length': 120}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section heading (H2)'), ('h3', 'Sub-heading (H3)'), ('h4', 'Minor heading (H4)')], 'help_text': 'Keep one H1 per page (the title); sections start at H2.'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {'label': 'Heading'}), 3: ('home.blocks.RichTextBlock', (), {'label': 'Paragraph'}), 4: ('wagtail.images.blocks.ImageChooserBlock', (), {'help_text': 'The picture to show.'}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe the picture for people who cannot see it. Leave empty only if it is purely decorative.', 'max_length': 250, 'required': False}), 6: ('wagtail.blocks.BooleanBlock', (), {'help_text': 'Tick if the picture adds nothing the text does not say (screen readers skip it).', 'required': False}), 7: ('wagtail.blocks.CharBlock', (), {'help_text': 'Shown under the picture.', 'max_length': 300, 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('image', 4), ('alt_text', 5), ('decorative', 6), ('caption', 7)]], {'label': 'Image'}), 9: ('wagtail.blocks.TextBlock', (), {'help_text': 'The quoted words, without quotation marks.'}), 10: ('wagtail.blocks.CharBlock', (), {'help_text': 'Who said it, and their role.', 'max_length': 200, 'required': False}), 11: ('wagtail.blocks.StructBlock', [[('quote', 9), ('attribution', 10)]], {'label': 'Quote'}), 12: ('wagtail.blocks.CharBlock', (), {'help_text': "The button's words, e.g. 'Ask the Help Desk'.", 'max_length': 80}), 13: ('wagtail.blocks.PageChooserBlock', (), {'help_text': 'A page on this site to link to.', 'required': False}), 14: ('wagtail.blocks.URLBlock', (), {'help_text': 'Or an address elsewhere (used when no page is chosen).', 'required': False}), 15: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('primary', 'Primary (filled)'), ('secondary', 'Secondary (outline)')], 'help_text': 'Use one primary button per section.'}), 16: ('wagtail.blocks.StructBlock', [[('text', 12), ('page', 13), ('url', 14), ('style', 15)]], {'label': 'Button (call to action)'}), 17: ('wagtail.blocks.CharBlock', (), {'default': 'Frequently asked questions', 'help_text': 'Shown above the questions.', 'max_length': 120, 'required': False}), 18: ('wagtail.blocks.CharBlock', (), {'help_text': 'The question as a member would ask it.', 'max_length': 250}), 19: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link', 'hr', 'blockquote'], 'help_text': 'The answer.'}), 20: ('wagtail.blocks.StructBlock', [[('question', 18), ('answer', 19)]], {}), 21: ('wagtail.blocks.ListBlock', (20,), {'help_text': 'Questions open and close one at a time.'}), 22: ('wagtail.blocks.StructBlock', [[('heading', 17), ('items', 21)]], {'label': 'FAQ'}), 23: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'A YouTube or Vimeo address.'}), 24: ('wagtail.blocks.CharBlock', (), {'help_text': 'What the video is, for screen readers and search.', 'max_length': 200}), 25: ('wagtail.blocks.StructBlock', [[('embed', 23), ('title', 24)]], {'label': 'Video or embed'}), 26: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'help_text': 'The file to download.'}), 27: ('wagtail.blocks.CharBlock', (), {'help_text': "Link text; the document's title if empty.", 'max_length': 200, 'required': False}), 28: ('wagtail.blocks.StructBlock', [[('document', 26), ('title', 27)]], {'label': 'Document download'})}, help_text='The article. Use the quote block for pull quotes and the image block for photos.')),
                        ('lead_image', models.ForeignKey(blank=True, help_text="The picture at the top of the article and on its cards. Its alt text is the image's description (edit it under Images); an image without a description is shown as decorative.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image')),
                    ],
                    options={
                        'verbose_name': 'article',
                        'db_table': 'home_articlepage',
                        'ordering': ['-date'],
                    },
                    bases=('wagtailcore.page',),  # as home 0007 made it
                ),
                migrations.CreateModel(
                    name='ArticleRelatedPage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('article', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='related_links', to='news.articlepage')),
                        ('page', models.ForeignKey(help_text='A page on this site to read next.', on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                    ],
                    options={
                        'db_table': 'home_articlerelatedpage',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
            ],
        ),
        migrations.RunPython(*move_content_types('home', 'news', ('newsindexpage', 'articlepage', 'articlerelatedpage'))),
    ]
