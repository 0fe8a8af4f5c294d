"""tantivy counts facets from packs (decision 0193): one key per decision for its values of
several facets, summed per value. The counts must be those of the values themselves, for every
facet, every query and any choice of facets, also when a pack's keys are too many to come back
(counted from the values instead) and for values that cannot go into a key."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import tantivy

from cicnet.search import tantivy_backend as tb
from cicnet.search.documents import DecisionRecord, ParagraphRecord
from cicnet.search.types import FACETS

PROVISION_CRIMES = {
    "DE:1": ["6(a)", "6(b)", "6(c)"],
    "DE:2": ["7(1)(a)", "7(1)(f)", "7(1)(g)", "7(1)(k)"],
    "FR:212-1": ["7(1)(a)", "7(1)(f)", "7(1)(h)"],
    "NL:4": ["8(2)(a)(i)", "8(2)(a)(ii)", "8(2)(b)(xxii)"],
}
GROUPS = {"6": "genocide", "7": "crimes_against_humanity", "8": "war_crimes"}
STATED = ["6(a)", "7(1)(a)", "7(1)(f)", "7(1)(d)", "8(2)(a)(ii)", "8(2)(c)(i)", "terrorism"]
COURTS = {"DE": ["de-olg-koblenz", "de-bgh"], "FR": ["fr-cass"], "NL": ["nl-rb-den-haag"]}


def _some(rng: random.Random, values: list[str]) -> list[str]:
    """None or one of ``values``, now and then a value holding a separator."""
    return rng.choice([[], [rng.choice(values)], [rng.choice(values)], ["odd\x1fvalue\x1e"]])


def _records(n: int, seed: int = 7) -> list[DecisionRecord]:
    rng = random.Random(seed)  # noqa: S311 - seeded test data
    out = []
    for i in range(n):
        keys = rng.sample(sorted(PROVISION_CRIMES), rng.choice([0, 0, 1, 1, 2]))
        derived = list(dict.fromkeys(c for k in keys for c in PROVISION_CRIMES[k]))
        crimes = list(dict.fromkeys([*rng.sample(STATED, rng.randint(0, 3)), *derived]))
        groups = list(dict.fromkeys(GROUPS.get(c[0], "terrorism") for c in crimes))
        langs = sorted(rng.sample(["de", "en", "fr", "nl", "sv"], rng.randint(0, 3)))
        country = rng.choice(sorted(COURTS))
        out.append(
            DecisionRecord(
                uid=f"d{i}",
                title=f"Decision {i}",
                court="Court",
                country=country,
                decision_date=dt.date(2000 + i % 20, 1, 1),
                access="public",
                state="published",
                updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                summary=rng.choice(["torture of detainees", "pillage of a town", "a summary"]),
                facets={
                    "country": [country],
                    "court": rng.choice([[], [rng.choice(COURTS[country])]]),
                    "year": [str(2000 + i % 20)],
                    "crime": crimes,
                    "crime_group": groups,
                    "provision": keys,
                    "language": langs,
                    "situation": _some(rng, ["Syria", "Iraq"]),
                    "outcome": _some(rng, ["convicted", "acquitted"]),
                    "instance": _some(rng, ["first_instance", "appeal"]),
                    "terrorism": ["yes" if "terrorism" in groups else "no"],
                    "has_text": [rng.choice(["yes", "excerpt", "no"])],
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
        Q.boolean_query([(Must, kind_d), (Must, Q.term_query(schema, "f_country", "FR"))]),
    ]


# every facet at once (the UI), each alone (a ticked facet's own job; facets=court), and a few
# choices that split packs
CHOICES = [
    list(FACETS),
    *([name] for name in FACETS),
    ["country", "crime"],
    ["court", "language", "outcome"],
    ["has_text", "terrorism", "year"],
]


def _searcher(index: tb.TantivyBackend) -> Any:
    opened = index._open()
    assert opened is not None
    searcher = opened.searcher()
    assert searcher.num_segments >= 2
    return searcher


def test_packed_facets_count_what_their_values_count(index: tb.TantivyBackend) -> None:
    searcher = _searcher(index)
    for query in _queries(index):
        for names in CHOICES:
            counted = index._facets(searcher, query, names)
            assert sorted(counted) == sorted(names)
            for name in names:
                expected = _by_values(searcher, query, name)
                got = {f.value: f.count for f in counted[name]}
                assert got == expected, (name, names)
                # by count, then value
                assert [f.value for f in counted[name]] == sorted(
                    expected, key=lambda v: (-expected[v], v)
                )
    # the packs were counted, and their keys are fewer than the decisions
    aggs, packs = tb.facet_aggregations(FACETS)
    assert sorted(packs) == sorted(tb.PACKS)
    assert not any(name in aggs for name in tb.PACK_OF)  # no packed facet from its values
    for pack in tb.PACKS:
        keys = searcher.aggregate(
            _queries(index)[0], {"k": {"terms": {"field": f"p_{pack}", "size": tb.PACK_KEYS}}}
        )
        assert 0 < len(keys["k"]["buckets"]) < 400, pack


def test_a_lone_single_valued_facet_is_counted_from_its_values() -> None:
    aggs, packs = tb.facet_aggregations(["country", "year"])
    assert sorted(aggs) == ["country", "year"] and not packs
    aggs, packs = tb.facet_aggregations(["crime"])
    assert packs == {"law": ["crime"]} and sorted(aggs) == ["p:law", "x:crime"]


def test_too_many_keys_are_counted_from_the_values(
    index: tb.TantivyBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    searcher = _searcher(index)
    monkeypatch.setattr(tb, "PACK_KEYS", 2)
    for query in _queries(index):
        counted = index._facets(searcher, query, list(FACETS))
        for name in FACETS:
            assert {f.value: f.count for f in counted[name]} == _by_values(searcher, query, name)


def test_a_value_holding_a_separator_is_counted_outside_the_key() -> None:
    facets = {"country": ["DE"], "court": ["a\x1fb"], "language": ["de", "c\x1ed", "de"]}
    key, extra = tb._pack_values(facets, {}, tb.PACKS["place"])
    assert key == "country\x1eDE\x1flanguage\x1ede"
    assert extra == {"court": ["a\x1fb"], "language": ["c\x1ed"]}
    facets = {"provision": ["DE:2"], "crime": ["6(a)", "7(1)(a)"]}
    key, extra = tb._pack_values(facets, {"crime": ["7(1)(a)", "8(2)"]}, tb.PACKS["law"])
    assert (key, extra) == ("crime\x1e7(1)(a)\x1fprovision\x1eDE:2", {"crime": ["6(a)"]})
    assert tb._pack_values({}, {}, tb.PACKS["case"]) == (None, {})
