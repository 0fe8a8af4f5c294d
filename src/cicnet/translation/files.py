"""Read a file into numbered paragraphs the way ingestion does, for alignment.

A file's paragraphs are its blank-line separated blocks, in order (their 0-based positions are the
indices ``cicnet align`` prints); ``.html``, ``.docx`` and text-layer ``.pdf`` go through the
ingestion extractor first. A block that opens with the court's paragraph number (``12.``,
``(12)``, ``[12]``, the markers ``pipeline/split.py`` recognises) keeps that number, and when
both texts number most blocks this way they are aligned by number. A file that cannot be read
is an ``AlignmentError`` naming it and saying what to do.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from cicnet.errors import UserInputError
from cicnet.pipeline.base import InputError
from cicnet.pipeline.extract import text_of

from .align import Pair, align, align_numbered

MAX_FILE_BYTES = 20 * 1024 * 1024
_BLANK = re.compile(r"\n[ \t]*\n")
_MARKER = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})\.)(?=\s|$)")


class AlignmentError(UserInputError):
    """A file or a correction that cannot be aligned; the message names it."""


@dataclass(frozen=True)
class ParagraphList:
    """A text cut into blank-line blocks: (number, body) in order, and where the numbers come
    from: 'court' (most blocks open with the court's number, in increasing order; a block
    without one, such as a heading, gets 0) or 'sequence' (the 1-based position)."""

    paragraphs: list[tuple[int, str]]
    numbering: str

    @property
    def bodies(self) -> list[str]:
        return [body for _, body in self.paragraphs]


def _court_number(block: str) -> int | None:
    m = _MARKER.match(block)
    return int(next(g for g in m.groups() if g is not None)) if m else None


def paragraphs_of_text(text: str, *, name: str = "text") -> ParagraphList:
    """The blank-line blocks of ``text``, each reflowed into one line."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [" ".join(chunk.split()) for chunk in _BLANK.split(normalised)]
    blocks = [b for b in blocks if b]
    if not blocks:
        raise AlignmentError(f"{name}: has no paragraphs of text; check the file", field=name)
    numbers = [_court_number(b) for b in blocks]
    given = [n for n in numbers if n is not None]
    increasing = all(b > a for a, b in itertools.pairwise(given))
    if len(given) >= 3 and len(given) * 2 > len(blocks) and increasing:
        return ParagraphList([(n or 0, b) for n, b in zip(numbers, blocks, strict=True)], "court")
    return ParagraphList(list(enumerate(blocks, start=1)), "sequence")


def paragraphs_of_file(path: Path) -> ParagraphList:
    """The paragraphs of the file at ``path`` (txt, html, docx, pdf with a text layer)."""
    if not path.is_file():
        raise AlignmentError(f"{path}: no such file", field=str(path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise AlignmentError(
            f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split the file",
            field=str(path),
        )
    return paragraphs_of_upload(path.name, path.read_bytes(), label=str(path))


def paragraphs_of_upload(name: str, data: bytes, *, label: str = "") -> ParagraphList:
    """The paragraphs of an uploaded or read file named ``name``."""
    label = label or name
    try:
        text = text_of(name, data)
    except InputError as exc:
        raise AlignmentError(f"{label}: {exc.field}: {exc.message}", field=label) from exc
    if text is None:
        raise AlignmentError(
            f"{label}: not a text file; give a .txt, .html, .docx or .pdf with a text layer",
            field=label,
        )
    return paragraphs_of_text(text, name=label)


def align_texts(original: ParagraphList, translation: ParagraphList) -> list[Pair]:
    """Align two paragraph lists: by the court's numbers where both have them, else by length
    and anchors."""
    if original.numbering == "court" and translation.numbering == "court":
        return align_numbered(original.paragraphs, translation.paragraphs)
    return align(original.bodies, translation.bodies)
