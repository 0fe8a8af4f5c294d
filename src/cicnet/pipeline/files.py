"""Which files ingestion may read: regular files inside the folder it was given, nothing else.

A symbolic link in an ingestion folder once made ``cicnet ingest`` publish ``/etc/passwd`` and the
vault's key-encryption key as decision texts. So every path is checked before it is read, and
read so that the check still holds when the file is opened:

- a symbolic link is refused, wherever it points (inside the folder too: copy the file in);
- so is anything that is not a regular file (a FIFO would block the run, a device could be
  read), and a file with other hard links (it may be another file of this machine under a
  second name);
- the file must lie inside the resolved root folder;
- it is opened with ``O_NOFOLLOW`` and checked again on the open descriptor (``fstat``), so a
  file swapped for a link between the check and the read is refused too.

Each refusal is one line naming the file and what to do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class RefusedFile(OSError):
    """A path ingestion will not read; ``str()`` is the one-line message."""


def _problem(st: os.stat_result) -> str | None:
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link; ingestion reads only regular files: copy the file in instead"
    if not stat.S_ISREG(st.st_mode):
        kind = next((label for test, label in _KINDS if test(st.st_mode)), "not a regular file")
        return f"is {kind}, not a regular file; ingestion reads only regular files"
    if st.st_nlink > 1:
        return (
            "has other hard links (it may be another file under a second name); copy the file "
            "in instead"
        )
    return None


def file_problem(path: Path, root: Path) -> str | None:
    """Why ingestion refuses ``path`` under ``root`` (a resolved folder), or None."""
    try:
        st = path.lstat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    problem = _problem(st)
    if problem:
        return problem
    if not path.resolve().is_relative_to(root):
        return f"lies outside {root}; ingestion reads only files inside the folder it was given"
    return None


def read_regular_file(path: Path, root: Path) -> bytes:
    """The bytes of ``path``, a regular file inside ``root``; ``RefusedFile`` otherwise."""
    problem = file_problem(path, root)
    if problem:
        raise RefusedFile(f"{path}: refused: {problem}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise RefusedFile(f"{path}: refused: cannot be opened safely ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as fh:
        problem = _problem(os.fstat(fd))
        if problem:
            raise RefusedFile(f"{path}: refused: {problem}")
        return fh.read()
