"""Smoke test on real TAB documents: recall floors that fail if detection regresses.

The full benchmark is ``bench/anonymisation.py``; this runs five dev documents only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cicnet.anonymisation.engine import anonymise
from cicnet.anonymisation.evaluation import is_masked, score_tab, skip_regex

TAB_DEV = Path(__file__).resolve().parents[2] / "src" / "cicnet" / "demo" / "data" / "tab_dev.json"


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    docs = json.loads(TAB_DEV.read_text("utf-8"))[:5]
    spans = {
        d["doc_id"]: [(s.start, s.end) for s in anonymise(d["text"], policy="strict").spans]
        for d in docs
    }
    return score_tab(docs, spans)


def test_direct_identifiers_and_persons_are_recalled(scores: dict[str, float]) -> None:
    assert scores["entity_recall_direct"] >= 0.95
    assert scores["person_mention_recall"] >= 0.95


def test_quasi_identifiers_recall_and_precision_floors(scores: dict[str, float]) -> None:
    assert scores["entity_recall_quasi"] >= 0.8
    assert scores["token_precision"] >= 0.65


def test_metric_ignores_titles_and_punctuation_but_not_name_words() -> None:
    text = "Mr Anwar Raslan, born 1963."
    skip = skip_regex()
    name = (0, len("Mr Anwar Raslan"))
    covered_name = set(range(3, 15))  # "Anwar Raslan" without "Mr"
    assert is_masked(text, *name, covered_name, skip)
    covered_surname = set(range(9, 15))  # "Raslan" only
    assert not is_masked(text, *name, covered_surname, skip)
