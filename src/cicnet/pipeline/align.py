"""Stage ``align``: a translation whose paragraphs do not match its original's is regrouped so
that each of its paragraphs carries the number of the original paragraph it translates.

Runs after ``split``, before ``store``, with the aligner of ``cicnet align``
(``translation/align.py``). A translation with as many paragraphs as the original, or whose
paragraphs carry the court's numbers as the original's do, is left as split (the numbers
already pair them). Otherwise the aligner's groups decide: the paragraphs of a group become one
paragraph numbered like the group's first original paragraph, and a translation paragraph with
no counterpart joins the paragraph before it, so no text is dropped. The stage reports what it
regrouped and the lowest confidence, for the curator to check in the reader.
"""

from __future__ import annotations

from cicnet.pipeline.base import Document, Stage, StageResult, TextSource
from cicnet.translation.align import Pair, align, align_numbered


def regroup(original: TextSource, translation: TextSource) -> tuple[list[tuple[int, str]], float]:
    """The translation's paragraphs renumbered by the original's, and the lowest confidence."""
    if original.numbering == "court" and translation.numbering == "court":
        pairs: list[Pair] = align_numbered(original.paragraphs, translation.paragraphs)
    else:
        pairs = align(
            [body for _, body in original.paragraphs], [body for _, body in translation.paragraphs]
        )
    out: list[tuple[int, list[str]]] = []
    for pair in pairs:
        bodies = [translation.paragraphs[j][1] for j in pair.translation]
        if not bodies:
            continue
        if pair.original:
            out.append((original.paragraphs[pair.original[0]][0], bodies))
        elif out:
            out[-1][1].extend(bodies)
        else:
            out.append((original.paragraphs[0][0] if original.paragraphs else 1, bodies))
    merged: dict[int, list[str]] = {}
    for number, bodies in out:
        merged.setdefault(number, []).extend(bodies)
    lowest = min((p.confidence for p in pairs if p.original and p.translation), default=1.0)
    return [(n, " ".join(b)) for n, b in sorted(merged.items())], lowest


class Align(Stage):
    """Give a translation's paragraphs the numbers of the original paragraphs they translate."""

    name = "align"
    version = "1"

    def run(self, document: Document) -> StageResult:
        original = next((t for t in document.texts if t.is_original), None)
        if original is None or not original.paragraphs:
            return StageResult(status="skipped", detail="no original text")
        notes = []
        for text in document.texts:
            if text is original or not text.paragraphs:
                continue
            both_court = original.numbering == "court" and text.numbering == "court"
            if both_court or len(text.paragraphs) == len(original.paragraphs):
                continue
            before = len(text.paragraphs)
            text.paragraphs, lowest = regroup(original, text)
            text.numbering = original.numbering
            notes.append(
                f"{text.language}: {before} paragraphs regrouped into {len(text.paragraphs)} "
                f"by the {original.language} original (lowest confidence {lowest:.2f})"
            )
        if not notes:
            return StageResult(status="skipped", detail="translations already match")
        return StageResult(detail="; ".join(notes))
