"""The spaCy adapter's speed-ups must not change what the model finds.

Real pipelines, real judgment text (TAB dev documents shipped with the demo data).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cicnet.anonymisation import pipelines
from cicnet.anonymisation.detect import NER_KINDS

TAB_DEV = Path(__file__).resolve().parents[2] / "src" / "cicnet" / "demo" / "data" / "tab_dev.json"


def test_ner_runs_without_the_shared_tok2vec_it_does_not_listen_to() -> None:
    for language in ("en", "fr"):
        nlp = pipelines.pipeline(language)
        assert nlp is not None
        assert nlp.pipe_names == ["ner"]


def test_paragraph_of_ordinary_words_is_skipped_and_one_with_a_name_is_not() -> None:
    text = "12. The court found the witness credible. Detention was ordered."
    ordinary = pipelines.ordinary_words(text + " the court detention")
    assert not pipelines.may_name("12. The court found the witness credible.", ordinary)
    assert not pipelines.may_name("(2) Detention was ordered.", ordinary)
    assert pipelines.may_name("Zelimkhan was detained.", ordinary)  # never written in lower case
    assert pipelines.may_name("He saw the Court.", ordinary)  # capitalised inside a sentence
    assert pipelines.may_name("ACCUSED IS GUILTY.", ordinary)
    assert pipelines.may_name("the court heard زينب", ordinary)  # a script without capitals


def reference_entities(language: str, text: str) -> list[tuple[int, int, str]]:
    """The model over every paragraph in one process: what the speed-ups must reproduce (the
    labels the anonymiser uses; a skipped paragraph may hold a number the model calls CARDINAL)."""
    nlp = pipelines.pipeline(language)
    assert nlp is not None
    pieces = list(pipelines.chunks(text))
    out = []
    for (offset, _), doc in zip(pieces, nlp.pipe(p for _, p in pieces), strict=True):
        out += [(offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents]
    return [e for e in out if e[2] in NER_KINDS[language]]


def test_worker_process_and_skipped_paragraphs_find_the_same_entities(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = json.loads(TAB_DEV.read_text("utf-8"))[:8]
    text = "\n\n".join(d["text"] for d in docs)
    assert len(text) > 2 * pipelines._PARALLEL_MIN_CHARS
    monkeypatch.setenv(pipelines._PROCESSES_ENV, "2")
    pipelines._pool.cache_clear()
    try:
        found = list(pipelines.entities("en", text))
    finally:
        pipelines._pool().shutdown()
        pipelines._pool.cache_clear()
    assert [e for e in found if e[2] in NER_KINDS["en"]] == reference_entities("en", text)
    assert len(found) > 50


def test_processes_setting_that_is_not_a_number_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(pipelines._PROCESSES_ENV, "two")
    with pytest.raises(ValueError, match="CICNET_NER_PROCESSES"):
        pipelines._processes()
