"""tantivy counts the facets a decision may hold several values of from their shared sets
(decision 0191): the counts must be those of the values themselves, for every query, when the
sets are too many to come back (counted from the values instead) and for values that cannot be
joined into a set."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import tantivy

from cicnet.search import tantivy_backend as tb
from cicnet.search.documents import DecisionRecord, ParagraphRecord

PROVISION_CRIMES = {
    "DE:1": ["6(a)", "6(b)", "6(c)"],
    "DE:2": ["7(1)(a)", "7(1)(f)", "7(1)(g)", "7(1)(k)"],
    "FR:212-1": ["7(1)(a)", "7(1)(f)", "7(1)(h)"],
    "NL:4": ["8(2)(a)(i)", "8(2)(a)(ii)", "8(2)(b)(xxii)"],
}
GROUPS = {"6": "genocide", "7": "crimes_against_humanity", "8": "war_crimes"}
STATED = ["6(a)", "7(1)(a)", "7(1)(f)", "7(1)(d)", "8(2)(a)(ii)", "8(2)(c)(i)", "terrorism"]


def _records(n: int, seed: int = 7) -> list[DecisionRecord]:
    rng = random.Random(seed)  # noqa: S311 - seeded test data
    out = []
    for i in range(n):
        keys = rng.sample(sorted(PROVISION_CRIMES), rng.choice([0, 0, 1, 1, 2]))
        derived = list(dict.fromkeys(c for k in keys for c in PROVISION_CRIMES[k]))
        crimes = list(dict.fromkeys([*rng.sample(STATED, rng.randint(0, 3)), *derived]))
        groups = list(dict.fromkeys(GROUPS.get(c[0], "terrorism") for c in crimes))
        langs = sorted(rng.sample(["de", "en", "fr", "nl", "sv"], rng.randint(0, 3)))
        out.append(
            DecisionRecord(
                uid=f"d{i}",
                title=f"Decision {i}",
                court="Court",
                country=rng.choice(["DE", "FR", "NL"]),
                decision_date=dt.date(2000 + i % 20, 1, 1),
                access="public",
                state="published",
                updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                summary=rng.choice(["torture of detainees", "pillage of a town", "a summary"]),
                facets={
                    "country": ["DE"],
                    "crime": crimes,
                    "crime_group": groups,
                    "provision": keys,
                    "language": langs,
                },
                facet_base={"crime": derived},
                paragraphs=[ParagraphRecord(lang, 1, "witness statement") for lang in langs],
            )
        )
    return out


def _by_values(searcher: Any, query: Any, name: str) -> dict[str, int]:
    """The counts of a facet's values read from its column of values, as before 0191."""
    agg = {name: {"terms": {"field": f"f_{name}", "size": tb.FACET_SIZE}}}
    buckets = searcher.aggregate(query, agg)[name]["buckets"]
    return {str(b["key"]): int(b["doc_count"]) for b in buckets}


@pytest.fixture
def index(tmp_path: Path, settings: Any) -> tb.TantivyBackend:
    settings.CICNET_INDEX_LOCK_TIMEOUT = 5
    backend = tb.TantivyBackend(tmp_path / "index")
    records = _records(400)
    # in two commits, so the index has more than one segment
    backend.index_decisions(records[:250])
    backend.index_decisions(records[250:])
    return backend


def _queries(backend: tb.TantivyBackend) -> list[Any]:
    Q, Must, schema = tantivy.Query, tantivy.Occur.Must, backend.schema
    kind_d = Q.term_query(schema, "kind", "d")
    return [
        kind_d,
        Q.boolean_query([(Must, kind_d), (Must, Q.term_query(schema, "all", "torture"))]),
        Q.boolean_query([(Must, kind_d), (Must, Q.term_query(schema, "f_provision", "DE:2"))]),
        Q.boolean_query([(Must, kind_d), (Must, Q.term_query(schema, "f_language", "sv"))]),
    ]


def test_set_facets_count_what_their_values_count(index: tb.TantivyBackend) -> None:
    opened = index._open()
    assert opened is not None
    searcher = opened.searcher()
    assert searcher.num_segments >= 2
    for query in _queries(index):
        counted = index._facets(searcher, query, list(tb.SET_FACETS))
        for name in tb.SET_FACETS:
            expected = _by_values(searcher, query, name)
            got = {f.value: f.count for f in counted[name]}
            assert got == expected, name
            # by count, then value
            assert [f.value for f in counted[name]] == sorted(
                expected, key=lambda v: (-expected[v], v)
            )
    # the sets were counted, and they are fewer than the values they stand for
    sets = searcher.aggregate(
        _queries(index)[0], {"k": {"terms": {"field": "k_crime", "size": tb.SET_KEYS}}}
    )
    assert 0 < len(sets["k"]["buckets"]) < 400


def test_too_many_sets_are_counted_from_the_values(
    index: tb.TantivyBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = index._open()
    assert opened is not None
    searcher = opened.searcher()
    monkeypatch.setattr(tb, "SET_KEYS", 2)
    for query in _queries(index):
        counted = index._facets(searcher, query, ["crime", "language", "country"])
        for name in ("crime", "language"):
            assert {f.value: f.count for f in counted[name]} == _by_values(searcher, query, name)


def test_a_value_holding_the_separator_is_counted_outside_the_sets() -> None:
    key, extra = tb._set_values(["a", "b\x1fc", "a", "d"], None)
    assert key == "a\x1fd"
    assert extra == ["b\x1fc"]
    key, extra = tb._set_values(["6(a)", "7(1)(a)"], ["7(1)(a)", "8(2)"])
    assert (key, extra) == ("7(1)(a)", ["6(a)"])
    assert tb._set_values([], None) == (None, [])
