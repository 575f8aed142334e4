"""Blocks of a convening's agenda."""

from wagtail import blocks


class AgendaItemBlock(blocks.StructBlock):
    day = blocks.CharBlock(max_length=40, required=False, help_text="Which day, e.g. 'Day 1' or 'Friday'.")
    time = blocks.CharBlock(max_length=40, required=False, help_text="When, in the convening's local time, e.g. '9am'.")
    title = blocks.CharBlock(max_length=150, help_text="What happens, e.g. 'Peer-to-peer workshops'.")
    description = blocks.TextBlock(required=False, help_text="A sentence or two about the session.")

    class Meta:
        icon = "time"
        template = "collaborative/blocks/agenda_item.html"
        preview_value = {
            "day": "Day 1",
            "time": "9am",
            "title": "Welcome and community building",
            "description": "Members from every state meet each other and set goals for the two days.",
        }
        description = "One session of the agenda: day, time, title and a short description."


class AgendaStreamBlock(blocks.StreamBlock):
    item = AgendaItemBlock()

    class Meta:
        block_counts = {}
