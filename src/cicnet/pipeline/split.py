"""Stage ``split``: cut each text into numbered paragraphs with stable numbers.

Two ways, chosen per text:
- **court numbering**: when the text numbers its own paragraphs (``12.``, ``(12)`` or ``[12]`` at
  the start of a line, in sequence), each numbered paragraph keeps the court's number, so that
  ``p12`` is the paragraph a lawyer cites as ¶ 12 and an original and its translation line up
  by number. Text before the first numbered paragraph (court, parties, date) is paragraph 0.
- **sequence**: otherwise blocks separated by blank lines are numbered 1, 2, 3 … in order.

The same text always gives the same paragraphs (numbers depend on nothing but the text).
Lines inside a paragraph are joined into one line; a word hyphenated across a line break is
joined back.
"""

from __future__ import annotations

import re

from cicnet.pipeline.base import Document, InputError, Stage, StageResult

_MARKER = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})\.)(?=\s|$)")
_BLANK = re.compile(r"\n[ \t]*\n")
_TERMINAL = (".", ":", ";", "!", "?", '"', "”", "»", ")")
# A jump in numbering (an excerpt) is accepted only after a blank line and within this distance.
_MAX_GAP = 50


def _reflow(lines: list[str]) -> str:
    out = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].islower() and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}"
    return out


def _blocks(text: str) -> list[str]:
    """Blank-line separated blocks, each reflowed into one line."""
    return [b for b in (_reflow(chunk.split("\n")) for chunk in _BLANK.split(text)) if b]


def _numbered(lines: list[str]) -> list[tuple[int, int]]:
    """(line index, number) of the lines that start a court-numbered paragraph, in sequence."""
    accepted: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        m = _MARKER.match(line)
        if not m:
            continue
        n = int(next(g for g in m.groups() if g is not None))
        if not accepted:
            accepted.append((i, n))
            continue
        last = accepted[-1][1]
        after_blank = i > 0 and not lines[i - 1].strip()
        if n == last + 1 or (after_blank and last + 1 < n <= last + _MAX_GAP):
            accepted.append((i, n))
    if len(accepted) >= 3 or (len(accepted) == 2 and accepted[0][1] == 1):
        return accepted
    return []


def _join_blocks(lines: list[str]) -> str:
    return "\n".join(_blocks("\n".join(lines)))


def split_paragraphs(text: str) -> tuple[list[tuple[int, str]], str]:
    """``([(number, body), …], numbering)`` for a text; numbering is 'court' or 'sequence'."""
    lines = text.split("\n")
    markers = _numbered(lines)
    if markers:
        out: list[tuple[int, str]] = []
        preamble = _join_blocks(lines[: markers[0][0]])
        if preamble:
            out.append((0, preamble))
        for k, (start, number) in enumerate(markers):
            end = markers[k + 1][0] if k + 1 < len(markers) else len(lines)
            first = _MARKER.sub("", lines[start], count=1)
            body = _join_blocks([first, *lines[start + 1 : end]])
            if body:
                out.append((number, body))
        return out, "court"
    blocks = _blocks(text)
    if len(blocks) == 1:
        # One block of several lines: when most lines end a sentence, each line is a paragraph
        # (a text exported one paragraph per line, without blank lines between).
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if len(lines) > 1 and sum(ln.endswith(_TERMINAL) for ln in lines) * 2 >= len(lines):
            blocks = [" ".join(ln.split()) for ln in lines]
    return [(i, b) for i, b in enumerate(blocks, start=1)], "sequence"


class Split(Stage):
    """Number the paragraphs of every extracted text."""

    name = "split"
    version = "1"

    def run(self, document: Document) -> StageResult:
        count = 0
        for text in document.texts:
            text.paragraphs, text.numbering = split_paragraphs(text.body)
            if not text.paragraphs:
                raise InputError(text.path, "file", "has no paragraphs of text; check the file")
            count += len(text.paragraphs)
        return StageResult(detail=f"{count} paragraphs")
