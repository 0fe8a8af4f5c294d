"""The translation memory's ranking is exactly difflib's on the paragraphs' words: the bounds that
skip most comparisons (translation/memory.py) never drop a paragraph that would have scored."""

from __future__ import annotations

import difflib
import gzip
import json
from pathlib import Path

from cicnet.jurisprudence.models import Decision
from cicnet.translation.memory import MIN_SIMILARITY, Memory, _words, rank
from cicnet.translation.models import Segment, TranslationJob
from cicnet.translation.services import normalised_hash

DATA = Path(__file__).resolve().parents[2] / "src/cicnet/demo/data/echr_en_fr_es_40.jsonl.gz"


def _paragraphs() -> list[str]:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh][:6]
    return [p["en"] for d in docs for p in d["paragraphs"] if not p.get("heading")]


def test_rank_scores_every_paragraph_difflib_would_offer() -> None:
    job = TranslationJob(decision=Decision(uid="memory-test"), target_language="fr")
    texts = _paragraphs()
    segments = []
    for pk, text in enumerate(texts, start=1):
        seg = Segment(pk=pk, source_body=text, body=f"translation {pk}", status="reviewed")
        seg.source_hash = normalised_hash(text)
        seg.job = job
        segments.append(seg)
    memory = Memory.of(segments)
    offered = 0
    for seg in segments:
        words = _words(seg.source_body)
        keys = {w for w in words if len(w) >= 5}
        ratios = (
            difflib.SequenceMatcher(None, words, other, autojunk=False).ratio()
            for other in (_words(c.source_body) for c in segments if c.pk != seg.pk)
            if keys & set(other)
        )
        expected = sorted((round(x, 2) for x in ratios if x >= MIN_SIMILARITY), reverse=True)[:3]
        got = [s.similarity for s in rank(seg, memory)]
        assert got == expected, seg.source_body[:80]
        offered += len(got)
    # Court boilerplate recurs across these judgments: the test compared real offers.
    assert offered >= 10
