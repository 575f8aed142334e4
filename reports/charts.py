"""Small charts as server-rendered SVG: no JavaScript, readable by a screen reader (a ``<title>`` and a
``<desc>`` naming every bar), and always drawn beside the table that holds the same figures."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

BAR = 22
GAP = 6
LABEL_WIDTH = 170
CHART_WIDTH = 320


def bar_chart(title, rows, *, unit=""):
    """A horizontal bar chart of ``rows`` [(label, value)]; "" when there is nothing to draw."""
    rows = [(str(label), value or 0) for label, value in rows]
    if not rows or not any(value for _label, value in rows):
        return ""
    top = max(value for _label, value in rows)
    height = len(rows) * (BAR + GAP)
    width = LABEL_WIDTH + CHART_WIDTH + 60
    desc = "; ".join(f"{label}: {value}{unit}" for label, value in rows)
    bars = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" class="lp-chart__label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="lp-chart__bar"></rect>'
        '<text x="{}" y="{}" class="lp-chart__value">{}{}</text></g>',
        (
            (
                LABEL_WIDTH - 8,
                n * (BAR + GAP) + BAR * 0.7,
                label[:28],
                LABEL_WIDTH,
                n * (BAR + GAP),
                max(1, round(CHART_WIDTH * value / top)),
                BAR,
                LABEL_WIDTH + round(CHART_WIDTH * value / top) + 6,
                n * (BAR + GAP) + BAR * 0.7,
                value,
                unit,
            )
            for n, (label, value) in enumerate(rows)
        ),
    )
    slug = _slug(title)
    return format_html(
        '<svg class="lp-chart" role="img" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{}-t {}-d"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        width,
        height,
        slug,
        slug,
        slug,
        title,
        slug,
        desc,
        mark_safe(bars),  # built by format_html_join above
    )


def _slug(text):
    return "chart-" + "".join(c if c.isalnum() else "-" for c in text.lower())[:40]
