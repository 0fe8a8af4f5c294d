"""Stored files sent back to a browser: always an opaque attachment the browser cannot run.

A network document or a decision's source file may be anything someone uploaded, an ``.html``
page included. Served with the type guessed from its name, such a file would render (and run its
scripts) on cicnet's origin if a browser ever displayed it instead of saving it. So every stored
file goes out as ``application/octet-stream`` (what docs/api.md documents), with
``X-Content-Type-Options: nosniff`` and a Content-Security-Policy that sandboxes it and allows
nothing, whatever its name says.
"""

from __future__ import annotations

from typing import IO

from django.http import FileResponse

ATTACHMENT_CONTENT_TYPE = "application/octet-stream"
ATTACHMENT_CSP = "default-src 'none'; sandbox"


def file_attachment(handle: IO[bytes], *, filename: str) -> FileResponse:
    """``handle`` as a download named ``filename``, never interpreted by the browser."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=ATTACHMENT_CONTENT_TYPE
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    return response
