"""The shared body StreamBlock every content page uses.

Each block has an icon, a label editors read, a template in
``templates/blocks/``, a preview value and a description for the editor's
block picker. The picker previews a block by rendering its preview value with
``templates/wagtailcore/shared/block_preview.html`` (the site's own CSS); the
image and document blocks preview the sample media of ``home.samples``.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .samples import sample_document, sample_image

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr", "blockquote"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, help_text="The heading's words.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading (H2)"), ("h3", "Sub-heading (H3)"), ("h4", "Minor heading (H4)")],
        default="h2",
        help_text="Keep one H1 per page (the title); sections start at H2.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "How it works", "level": "h2"}
        description = "A section heading that also shapes the page outline for screen readers."


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(help_text="The picture to show.")
    alt_text = blocks.CharBlock(
        max_length=250,
        required=False,
        help_text="Describe the picture for people who cannot see it. Leave empty only if it is purely decorative.",
    )
    decorative = blocks.BooleanBlock(
        required=False, help_text="Tick if the picture adds nothing the text does not say (screen readers skip it)."
    )
    caption = blocks.CharBlock(max_length=300, required=False, help_text="Shown under the picture.")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not value.get("alt_text"):
            raise blocks.StructBlockValidationError(
                block_errors={"alt_text": ErrorList([ValidationError("Add alt text or mark the image as decorative.")])}
            )
        return value

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        preview_value = staticmethod(
            lambda: {
                "image": sample_image(),
                "alt_text": "Members meeting at the national convening",
                "caption": "Local Progress members at the 2022 National Convening in Denver, CO.",
            }
        )
        description = "A picture with alt text and an optional caption."


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text="The quoted words, without quotation marks.")
    attribution = blocks.CharBlock(max_length=200, required=False, help_text="Who said it, and their role.")

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {
            "quote": "Governing is a team sport.",
            "attribution": "Sarah Johnson, Executive Director",
        }
        description = "A pull quote with the name of the person quoted."


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=80, help_text="The button's words, e.g. 'Ask the Help Desk'.")
    page = blocks.PageChooserBlock(required=False, help_text="A page on this site to link to.")
    url = blocks.URLBlock(required=False, help_text="Or an address elsewhere (used when no page is chosen).")
    style = blocks.ChoiceBlock(
        choices=[("primary", "Primary (filled)"), ("secondary", "Secondary (outline)")],
        default="primary",
        help_text="Use one primary button per section.",
    )

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ErrorList([ValidationError("Choose a page or enter an address.")])}
            )
        return value

    class Meta:
        icon = "link"
        template = "blocks/cta_block.html"
        preview_value = {"text": "Check out our resource library", "url": "https://example.org/resources/"}
        description = "A button that sends the reader to the next step."


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250, help_text="The question as a member would ask it.")
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, help_text="The answer.")

    class Meta:
        icon = "help"
        label = "Question"


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=120, required=False, default="Frequently asked questions", help_text="Shown above the questions."
    )
    items = blocks.ListBlock(FAQItemBlock(), help_text="Questions open and close one at a time.")

    class Meta:
        icon = "list-ul"
        template = "blocks/faq_block.html"
        preview_value = {
            "heading": "Frequently asked questions",
            "items": [
                {
                    "question": "Can I invite my staff to join?",
                    "answer": "<p>Yes! They can sign up for as many sessions as they like.</p>",
                }
            ],
        }
        description = "Questions and answers that open one at a time (works without JavaScript)."


class EmbedVideoBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="A YouTube or Vimeo address.")
    title = blocks.CharBlock(max_length=200, help_text="What the video is, for screen readers and search.")

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"
        preview_value = {
            "embed": "https://www.youtube.com/watch?v=HvvTAm_0bcM",
            "title": "Policy & Strategy Primer recording",
        }
        description = "A video or other embedded media, with a title."


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(help_text="The file to download.")
    title = blocks.CharBlock(max_length=200, required=False, help_text="Link text; the document's title if empty.")

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        preview_value = staticmethod(lambda: {"document": sample_document(), "title": "Model ordinance (PDF)"})
        description = "A download link that shows the file's type and size."


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text_block.html"
        preview_value = (
            "<p>Local Progress Impact Lab works with members on policy, strategy, and communications "
            "support related to our core issue areas.</p>"
        )
        description = "Paragraphs, lists and links."


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock(label="Heading")
    paragraph = RichTextBlock(label="Paragraph")
    image = ImageBlock(label="Image")
    quote = QuoteBlock(label="Quote")
    call_to_action = CallToActionBlock(label="Button (call to action)")
    faq = FAQBlock(label="FAQ")
    embed = EmbedVideoBlock(label="Video or embed")
    document = DocumentLinkBlock(label="Document download")

    class Meta:
        block_counts = {}
