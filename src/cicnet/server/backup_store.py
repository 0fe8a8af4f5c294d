"""Files in and out of a backup: what ``cicnet backup`` copies and ``cicnet restore`` writes.

The stores (``MEDIA_ROOT``, ``CICNET_EVIDENCE_DIR``, ``CICNET_KEYS_DIR``) are read as the rest of
cicnet reads them (``server/downloads.py``, ``pipeline/files.py``): only regular files, reached
without a symbolic link, opened with ``O_NOFOLLOW`` and checked again on the open descriptor. A
link or a FIFO planted in a store is skipped and named, never followed into the backup.

Restored files are written the same careful way: every path of a manifest must be a plain
relative path (no ``..``, nothing absolute), every folder on the way is a real folder (not a
link), and each file goes to a temporary name first and is renamed into place once complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; ``str()`` names the file, folder or setting."""


@dataclass(frozen=True)
class FileEntry:
    """One file of a backup: its path inside the backup (POSIX), size and SHA-256."""

    path: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def _open_regular(path: Path) -> int:
    """A read descriptor on ``path`` if it is a regular file reached without following a link."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BackupError(f"{path}: not a regular file")
    return fd


def walk_store(root: Path) -> tuple[list[Path], list[str]]:
    """The regular files under ``root`` (relative paths, sorted) and one line for every entry
    skipped: symbolic links (to files or folders) and anything that is not a regular file."""
    files: list[Path] = []
    skipped: list[str] = []
    if not root.is_dir():
        return files, skipped
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in sorted(dirnames):
            if (base / name).is_symlink():  # os.walk lists links to folders but never enters them
                skipped.append(f"{base / name}: a symbolic link to a folder; not followed")
        for name in sorted(filenames):
            path = base / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                skipped.append(f"{path}: a symbolic link; not followed")
            elif not stat.S_ISREG(mode):
                skipped.append(f"{path}: not a regular file; skipped")
            else:
                files.append(path.relative_to(root))
    return sorted(files), skipped


def hash_file(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a regular file, read without following a link."""
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(_open_regular(path), "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _chunks(path: Path) -> Iterator[bytes]:
    with os.fdopen(_open_regular(path), "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def copy_file(source: Path, target: Path, *, mode: int = 0o600) -> tuple[int, str]:
    """Copy ``source`` (a regular file, no link followed) to the new file ``target``, which must
    not exist; returns its size and SHA-256. The copy is flushed to disk before returning."""
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "wb") as out:
        for chunk in _chunks(source):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as indented JSON to the new file ``path`` (mode 0600), flushed to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())


def checked_relative(text: object, *, where: str) -> PurePosixPath:
    """A manifest path as a plain relative path; ``BackupError`` for anything that could
    point outside the folder it is read from or written to."""
    if not isinstance(text, str) or not text or "\\" in text or "\x00" in text:
        raise BackupError(f"{where}: {text!r} is not a file path")
    path = PurePosixPath(text)
    if path.is_absolute() or any(part in ("..", ".", "") for part in text.split("/")):
        raise BackupError(f"{where}: {text!r} is not a plain relative path")
    return path


def safe_target(root: Path, relative: PurePosixPath) -> Path:
    """``root/relative`` with every folder on the way created as a real folder (mode 0700);
    ``BackupError`` if one of them is a symbolic link or not a folder."""
    current = root
    current.mkdir(mode=0o700, parents=True, exist_ok=True)
    if current.is_symlink() or not current.is_dir():
        raise BackupError(f"{current}: not a folder; the restore writes nothing through links")
    for part in relative.parts[:-1]:
        current = current / part
        try:
            current.mkdir(mode=0o700)
        except FileExistsError:
            pass
        if current.is_symlink() or not current.is_dir():
            raise BackupError(f"{current}: not a folder; the restore writes nothing through links")
    return current / relative.parts[-1]


def place_file(source: Path, target: Path, *, mode: int) -> None:
    """Copy ``source`` to ``target`` through a temporary name in the same folder, then rename:
    a reader never sees half a file, and a link at ``target`` is replaced, not followed."""
    temporary = target.with_name(f".{target.name}.restoring")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    copy_file(source, temporary, mode=mode)
    os.replace(temporary, target)
