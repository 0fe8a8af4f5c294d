"""Meaning never leaks: semantic and hybrid results, counts, facet counts and the "similar"
lists of every role hold only what the role may read, on every backend, and a hidden text's
vector does not even take a place in the ranking (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.accounts.services import api_token_create
from cicnet.search import services
from cicnet.search.embeddings import embed_pending
from cicnet.search.services import (
    rebuild_index,
    search_decisions,
    similar_decisions,
    similar_paragraphs,
)
from cicnet.search.types import FACETS, SearchParams
from tests.conftest import VISIBLE
from tests.factories import ParagraphFactory, TextFactory

ROLES = ("anonymous", "member", "curator", "admin")
COMMON = "Soldiers tortured the prisoners held in the detention camp during the war"
QUERY = "Guards beat detainees in the prison camp"


def _uid(key: str) -> str:
    tier, state = key.split("/")
    return f"matrix-{tier}-{state}"


@pytest.fixture
def embedded_matrix(backend: str, tier_matrix: dict[str, Any]) -> dict[str, Any]:
    for key, decision in tier_matrix.items():
        tier, state = key.split("/")
        decision.country = {"public": "DE", "network": "FR", "secretariat": "NL"}[tier]
        decision.save()
        text = TextFactory(decision=decision, language="en")
        ParagraphFactory(text=text, number=1, body=f"{COMMON} ({tier} {state}).")
        # Only hidden decisions hold the query's own words: the closest vectors of all.
        if key != "public/published":
            ParagraphFactory(text=text, number=2, body=f"{QUERY}, said the witness.")
    rebuild_index()
    assert embed_pending().embedded == 17
    return tier_matrix


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_meaning_shows_and_counts_only_what_the_role_may_read(
    embedded_matrix: Any, actors: dict[str, Any], role: str, mode: str
) -> None:
    page = search_decisions(
        actor=actors[role], params=SearchParams(q=QUERY, mode=mode, page_size=100)
    )
    expected = {_uid(k) for k in VISIBLE[role]}
    assert page.mode == mode
    assert {h.uid for h in page.hits} == expected
    assert page.count == len(expected)
    for name in FACETS:
        assert sum(f.count for f in page.facets[name]) <= len(expected) * 3, name
        assert all(f.count <= len(expected) for f in page.facets[name]), name
    assert sum(f.count for f in page.facets["has_text"]) == len(expected)
    countries = {f.value for f in page.facets["country"]}
    assert countries == {
        {"public": "DE", "network": "FR", "secretariat": "NL"}[k.split("/")[0]]
        for k in VISIBLE[role]
    }


def test_a_hidden_vector_takes_no_place_in_the_ranking(
    embedded_matrix: Any, actors: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # One candidate only: the closest paragraphs of all are hidden from the anonymous reader,
    # who still gets the public decision (masked before ranking, not filtered after).
    monkeypatch.setattr(services, "SEMANTIC_DECISIONS", 1)
    page = search_decisions(
        actor=actors["anonymous"], params=SearchParams(q=QUERY, mode="semantic")
    )
    assert [h.uid for h in page.hits] == ["matrix-public-published"]
    assert page.count == 1
    curator = search_decisions(
        actor=actors["curator"], params=SearchParams(q=QUERY, mode="semantic")
    )
    assert curator.hits[0].uid != "matrix-public-published"


@pytest.mark.parametrize("role", ROLES)
def test_similar_lists_hold_only_what_the_role_may_read(
    embedded_matrix: Any, actors: dict[str, Any], role: str
) -> None:
    visible = {_uid(k) for k in VISIBLE[role]}
    for key in embedded_matrix:
        uid = _uid(key)
        paragraphs = similar_paragraphs(
            actor=actors[role], uid=uid, language="en", number=1, limit=50
        )
        decisions = similar_decisions(actor=actors[role], uid=uid, limit=50)
        if key not in VISIBLE[role]:
            # A source the role may not read gives nothing, not even whether it is embedded.
            assert paragraphs.items == () and not paragraphs.embedded
            assert decisions.items == () and not decisions.embedded
            continue
        assert paragraphs.embedded and decisions.embedded
        assert {i.uid for i in paragraphs.items} == visible - {uid}
        assert {i.uid for i in decisions.items} == visible - {uid}


@pytest.mark.parametrize("role", ROLES)
def test_similar_api_and_reader_pages_per_role(
    embedded_matrix: Any, users: dict[str, Any], role: str
) -> None:
    client = Client()
    if role != "anonymous":
        token = api_token_create(user=users[role], label="tests")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token.key}")
        client.force_login(users[role])  # the pages use the session, the API the token
    visible = {_uid(k) for k in VISIBLE[role]}
    for key in embedded_matrix:
        uid = _uid(key)
        urls = [
            f"/api/v1/decisions/{uid}/similar?limit=50",
            f"/api/v1/paragraphs/{uid}/en/1/similar?limit=50",
        ]
        for url in urls:
            response = client.get(url)
            if key not in VISIBLE[role]:
                assert response.status_code == 404, url
                continue
            assert response.status_code == 200, url
            body = response.json()
            assert body["embedded"] is True
            assert {r["id"] for r in body["results"]} == visible - {uid}, url
        page = client.get(f"/decisions/{uid}/similar/en/1/", HTTP_HX_REQUEST="true")
        assert page.status_code == (200 if key in VISIBLE[role] else 404)
        if key in VISIBLE[role]:
            html = page.content.decode()
            for other in {_uid(k) for k in embedded_matrix} - {uid}:
                assert (f"/decisions/{other}/" in html) == (other in visible), other
