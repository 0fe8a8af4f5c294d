"""The alert matcher agrees with the search backends: the same saved query finds the same
decisions among a batch as the search page finds in the index (tantivy, and PostgreSQL when the
test database is PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from cicnet.access import policy
from cicnet.alerts.matching import Batch
from cicnet.alerts.selectors import candidates
from cicnet.search.params import params_from_querydict, querydict_from_mapping
from cicnet.search.services import search_decisions
from tests.search.conftest import backend, corpus  # noqa: F401 - fixtures used by name

QUERIES = [
    {"q": "torture"},
    {"q": '"torture of detainees"'},
    {"q": "tortur*"},
    {"q": "torture -prison"},
    {"q": "torture OR pillaging"},
    {"q": "(torture OR pillaging) country:DE"},
    {"q": "court:koblenz"},
    {"q": "year:2015..2021"},
    {"q": "crime:war_crimes"},
    {"q": "crime:7(1)(f)"},
    {"q": "nortavia -torture"},
    {"q": "acquitte"},
    {"q": "", "country": ["DE"]},
    {"q": "", "outcome": ["acquitted", "convicted"], "year_from": "2012"},
    {"q": "", "terrorism": ["yes"]},
    {"q": "", "crime_group": ["crimes_against_humanity"]},
    {"q": "nothingmatchesthis"},
]


@pytest.mark.parametrize("query", QUERIES, ids=[str(q) for q in QUERIES])
def test_matcher_finds_what_the_search_finds(
    corpus: dict[str, Any],  # noqa: F811 - the imported fixture
    query: dict[str, Any],
) -> None:
    params = params_from_querydict(querydict_from_mapping(query), page_size=100)
    searched = {h.uid for h in search_decisions(actor=policy.ANONYMOUS, params=params).hits}
    batch = Batch(candidates(d.uid for d in corpus.values()))
    mask = batch.search_mask(params) & batch.scope_mask(policy.decision_scope(policy.ANONYMOUS))
    assert set(batch.uids(mask)) == searched


def test_follow_masks(corpus: dict[str, Any]) -> None:  # noqa: F811 - the imported fixture
    batch = Batch(candidates(d.uid for d in corpus.values()))
    assert set(batch.uids(batch.follow_mask("crime", "war_crimes"))) == set(
        batch.uids(
            batch.search_mask(
                params_from_querydict(querydict_from_mapping({"q": "crime:war_crimes"}))
            )
        )
    )
    assert batch.follow_mask("proceedings", "no-such-key") == 0
