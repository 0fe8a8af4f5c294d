"""Search reveals nothing outside what each role may see: hits, counts, every facet count and
snippets, on every backend — including a word that only a hidden decision contains."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cicnet.jurisprudence.models import DecisionCrime
from cicnet.search.services import rebuild_index, search_decisions
from cicnet.search.types import FACETS, SearchParams
from tests.conftest import VISIBLE
from tests.factories import ParagraphFactory, TextFactory

ROLES = ("anonymous", "member", "curator", "admin")
COUNTRIES = {"public": "DE", "network": "FR", "secretariat": "NL"}
YEARS = {"draft": 2011, "review": 2012, "published": 2013}


@pytest.fixture
def indexed_matrix(backend: str, tier_matrix: dict[str, Any]) -> dict[str, Any]:
    """The tier matrix, each decision with its own country, year, crime, situation and a word
    only it contains ('secretword' + tier + state), plus a word they all share."""
    for key, decision in tier_matrix.items():
        tier, state = key.split("/")
        decision.country = COUNTRIES[tier]
        decision.decision_date = dt.date(YEARS[state], 1, 1)
        decision.situation = f"Situation {tier} {state}"
        decision.court = f"Court {tier} {state}"
        decision.summary = f"Summary shared by all, unique {tier}{state}summary."
        decision.save()
        DecisionCrime.objects.create(
            decision=decision,
            crime_id="7(1)(f)"
            if tier == "public"
            else "8(2)(e)(v)"
            if tier == "network"
            else "6(a)",
        )
        text = TextFactory(
            decision=decision, language={"public": "en", "network": "fr", "secretariat": "nl"}[tier]
        )
        ParagraphFactory(
            text=text, number=1, body=f"Common matrix paragraph secretword{tier}{state}."
        )
    rebuild_index()
    return tier_matrix


def _uid(key: str) -> str:
    tier, state = key.split("/")
    return f"matrix-{tier}-{state}"


def _expected_facets(role: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key in VISIBLE[role]:
        tier, state = key.split("/")
        values = {
            "country": COUNTRIES[tier],
            "year": str(YEARS[state]),
            "situation": f"Situation {tier} {state}",
            "court": f"Court {tier} {state}",
        }
        for name, value in values.items():
            out.setdefault(name, {}).setdefault(value, 0)
            out[name][value] += 1
    return out


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "q", ["", "common", "matrix", "shared", "crime:7(1)(f) OR crime:6 OR crime:war_crimes"]
)
def test_hits_counts_and_facets_show_only_visible(
    indexed_matrix: Any, actors: dict[str, Any], role: str, q: str
) -> None:
    page = search_decisions(actor=actors[role], params=SearchParams(q=q, page_size=100))
    expected = {_uid(k) for k in VISIBLE[role]}
    assert {h.uid for h in page.hits} == expected
    assert page.count == len(expected)
    counts = {name: {f.value: f.count for f in page.facets[name]} for name in FACETS}
    for name, values in _expected_facets(role).items():
        assert counts[name] == values, name
    # No facet anywhere counts more decisions than the actor may see.
    for name in FACETS:
        assert all(f.count <= len(expected) for f in page.facets[name]), name
    assert sum(counts["has_text"].values()) == len(expected)


@pytest.mark.parametrize("role", ROLES)
def test_word_only_in_one_decision_is_found_only_by_roles_that_see_it(
    indexed_matrix: Any, actors: dict[str, Any], role: str
) -> None:
    for key in indexed_matrix:
        _check_word(actors, role, key)


def _check_word(actors: dict[str, Any], role: str, key: str) -> None:
    tier, state = key.split("/")
    for q in (
        f"secretword{tier}{state}",
        f"secretword{tier}{state[:3]}*",
        f'"paragraph secretword{tier}{state}"',
        f"{tier}{state}summary",
    ):
        page = search_decisions(actor=actors[role], params=SearchParams(q=q))
        if key in VISIBLE[role]:
            assert [h.uid for h in page.hits] == [_uid(key)], q
            assert page.count == 1
            assert page.hits[0].snippets
        else:
            assert page.hits == () and page.count == 0, q
            assert all(page.facets[name] == () for name in FACETS), q


@pytest.mark.parametrize("role", ROLES)
def test_search_within_a_hidden_decision_finds_nothing(
    indexed_matrix: Any, actors: dict[str, Any], role: str
) -> None:
    for key in indexed_matrix:
        page = search_decisions(
            actor=actors[role], params=SearchParams(q="common", decision_uid=_uid(key))
        )
        assert page.count == (1 if key in VISIBLE[role] else 0)
        assert bool(page.hits) == (key in VISIBLE[role])


def test_unknown_role_sees_nothing(indexed_matrix: Any) -> None:
    from cicnet.access.policy import Actor

    page = search_decisions(actor=Actor(role="intruder"), params=SearchParams(q=""))
    assert page.count == 0 and page.hits == ()
    assert all(values == () for values in page.facets.values())
