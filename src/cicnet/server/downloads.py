"""Stored files sent back to a browser: always an opaque attachment the browser cannot run.

A network document or a decision's source file may be anything someone uploaded, an ``.html``
page included. Served with the type guessed from its name, such a file would render (and run its
scripts) on cicnet's origin if a browser ever displayed it instead of saving it. So every stored
file goes out as ``application/octet-stream`` (what docs/api.md documents), with
``X-Content-Type-Options: nosniff`` and a Content-Security-Policy that sandboxes it and allows
nothing, whatever its name says.

Stored files are opened through ``open_stored_file`` only: a regular file under ``MEDIA_ROOT``
reached without any symbolic link (a link planted in the file store could otherwise serve any
file of the machine through a policy-checked download).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from django.conf import settings
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


def open_stored_file(relative: str | os.PathLike[str]) -> IO[bytes] | None:
    """The stored file at ``relative`` under ``MEDIA_ROOT``, opened for reading; None when it is
    missing, outside the store, reached through a symbolic link or not a regular file."""
    root = Path(settings.MEDIA_ROOT).resolve()
    candidate = root / relative
    # With a resolved root, the path resolves to itself only when no part of it is a link or "..".
    if candidate.resolve() != candidate or not candidate.is_relative_to(root):
        return None
    try:
        fd = os.open(candidate, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")
