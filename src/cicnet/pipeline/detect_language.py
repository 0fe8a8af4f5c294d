"""Stage ``detect_language``: the language of each text and of each paragraph (lingua).

Runs after ``split`` and before ``store``, so what it finds is stored with the text and drives
what follows: anonymisation picks its NER pipeline by the text's language, the search index
stems by it, and the reader labels a paragraph written in another language (a quotation) with
its own language (``lang`` attribute, "Quoted in French").

The file name's language code is checked, not trusted: when lingua is sure (confidence at least
``REFUSE_CONFIDENCE`` on a text of at least ``MIN_TEXT_WORDS`` words) that a text is in another
language, the decision is refused with a line naming the file and the code to use, because a
text anonymised with the wrong language's model leaks names. A weaker disagreement is a
warning recorded on the run (``DocumentResult.warnings``, shown by ``cicnet ingest`` and on the
import page) and kept with the text (``Text.detected_language`` / ``language_confidence``).
"""

from __future__ import annotations

from cicnet.pipeline.base import Document, InputError, Stage, StageResult, TextSource
from cicnet.pipeline.language import detect, language_name, same_language, word_count

MIN_TEXT_WORDS = 30
REFUSE_CONFIDENCE = 0.9
# A paragraph gets its own language only when it is long enough to judge and lingua is sure.
MIN_PARAGRAPH_WORDS = 10
PARAGRAPH_CONFIDENCE = 0.8


def _check_text(text: TextSource) -> None:
    found = detect(text.body)
    if found is None:
        return
    text.detected_language = found.language
    text.language_confidence = round(found.confidence, 4)
    if same_language(found.language, text.language):
        return
    words = word_count(text.body)
    said = f"the file name says '{text.language}' ({language_name(text.language)})"
    seen = (
        f"the text reads as {language_name(found.language)} "
        f"(lingua confidence {found.confidence:.2f}, {words} words)"
    )
    if words >= MIN_TEXT_WORDS and found.confidence >= REFUSE_CONFIDENCE:
        stem = text.path.name.split(".")[0]
        raise InputError(
            text.path,
            "language",
            f"{said} but {seen}; rename the file {stem}.{found.language}.{text.ext} (and its "
            "entry under texts:) if lingua is right, or give the text in the language named",
        )
    text.warnings.append(f"{text.path}: language: {said} but {seen}; check the file")


def _paragraph_languages(text: TextSource) -> dict[int, str]:
    out: dict[int, str] = {}
    for number, body in text.paragraphs:
        if word_count(body) < MIN_PARAGRAPH_WORDS:
            continue
        found = detect(body)
        if (
            found is not None
            and found.confidence >= PARAGRAPH_CONFIDENCE
            and not same_language(found.language, text.language)
        ):
            out[number] = found.language
    return out


class DetectLanguage(Stage):
    """Detect each text's language, check it against the file name, and mark quotations."""

    name = "detect_language"
    version = "1"

    def run(self, document: Document) -> StageResult:
        quoted = 0
        for text in document.texts:
            _check_text(text)
            text.paragraph_languages = _paragraph_languages(text)
            quoted += len(text.paragraph_languages)
        found = ", ".join(f"{t.language}→{t.detected_language or '?'}" for t in document.texts)
        return StageResult(detail=f"{found}; {quoted} paragraphs in another language")
