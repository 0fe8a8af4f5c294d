"""What a file is, from its first bytes: the media type recorded with an item, and the refusal
of executables disguised as something else (a ``.jpg`` that is a Windows program).

Only signatures of the formats evidence usually comes in are listed; anything else is recorded
as the type its name suggests, or ``application/octet-stream``. Files are always served as
downloads whatever their type (``views.item_download``).
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

HEAD_BYTES = 64

# (offset, signature, media type)
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"fLaC", "audio/flac"),
    (4, b"ftypqt", "video/quicktime"),
    (4, b"ftypheic", "image/heic"),
    (4, b"ftyp", "video/mp4"),
)
# Executable formats: Windows PE ("MZ"), ELF, Mach-O (both byte orders, 32/64-bit), scripts with
# an interpreter line.
_EXECUTABLES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program (ELF)"),
    (b"\xfe\xed\xfa\xce", "a macOS program (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "a macOS program (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"#!", "a script with an interpreter line"),
)
# Names that honestly say "this is a program": such files are accepted (malware can be evidence)
# and, like every file, only ever served as downloads.
EXECUTABLE_SUFFIXES = frozenset(
    {
        ".exe",
        ".dll",
        ".sys",
        ".scr",
        ".com",
        ".msi",
        ".elf",
        ".so",
        ".bin",
        ".dylib",
        ".app",
        ".sh",
        ".bash",
        ".py",
        ".pl",
        ".rb",
        ".command",
        ".run",
        ".out",
    }
)


def media_type(filename: str, head: bytes) -> str:
    """The media type of a file from its first bytes, else from its name."""
    for offset, signature, kind in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if kind == "application/zip":
                guessed = mimetypes.guess_type(filename)[0]
                # DOCX, XLSX, ODT … are zip containers: keep the name's more precise type.
                return guessed if guessed and guessed != "application/x-zip-compressed" else kind
            return kind
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def disguised_executable(filename: str, head: bytes) -> str:
    """A message when ``head`` is an executable but ``filename`` does not say so, else ""."""
    suffix = PurePath(filename).suffix.lower()
    for signature, what in _EXECUTABLES:
        if head.startswith(signature) and suffix not in EXECUTABLE_SUFFIXES:
            return (
                f"{filename}: the content is {what}, but the name says "
                f"{suffix or 'no type'}; executables disguised as other files are refused. "
                "If the program itself is evidence, upload it under a name that says what it "
                "is (e.g. .exe) and describe it."
            )
    return ""
