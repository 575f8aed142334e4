"""CSV exports that a spreadsheet cannot be tricked into running.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets; such cells get
a leading apostrophe so they show as text (OWASP "CSV injection").
"""

import csv

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """Stream ``rows`` (iterables of values) as a CSV download."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM so Excel reads UTF-8
        yield writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
