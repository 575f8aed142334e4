"""Files members sent, handed to staff: always a download, never shown in the admin's origin."""

from django.http import FileResponse


def private_download(fieldfile, filename):
    """A ``FileResponse`` of ``fieldfile`` saved as ``filename``: ``application/octet-stream`` with ``nosniff``, so a
    file claiming to be HTML never renders, and never cached."""
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=True, filename=filename, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
