"""Citations stored at ingestion, linked to decisions, and "cited by" for every role: a citing
decision a reader may not see is neither shown nor counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.citations.models import Citation
from cicnet.citations.selectors import citation_graph, citations_of, cited_by
from cicnet.citations.services import decision_cite

from ..factories import DecisionFactory, ParagraphFactory, ProceedingsFactory, TextFactory

pytestmark = pytest.mark.django_db

CITED_ECLI = "ECLI:DE:BGH:2023:010223U3STR1.23.0"


def _with_text(decision: Any, body: str) -> Any:
    text = TextFactory(decision=decision)
    ParagraphFactory(text=text, number=1, body=body)
    decision_cite(decision=decision, version="test")
    return decision


@pytest.fixture
def web(db: None) -> dict[str, Any]:
    proceedings = ProceedingsFactory(key="p-cited")
    cited = DecisionFactory(
        uid="cited", ecli=CITED_ECLI, case_number="3 StR 1/23", proceedings=proceedings
    )
    appeal = DecisionFactory(uid="cited-appeal", proceedings=proceedings, instance="appeal")
    _with_text(appeal, f"The judgment {CITED_ECLI} was upheld.")
    citing = {
        tier: _with_text(
            DecisionFactory(uid=f"citing-{tier}", access=tier, title=f"Citing {tier}"),
            f"Following BGH 3 StR 1/23 and {CITED_ECLI}, the court applied § 7 VStGB.",
        )
        for tier in ("public", "network", "secretariat")
    }
    draft = _with_text(
        DecisionFactory(uid="citing-draft", state="draft"), f"As held in {CITED_ECLI}."
    )
    return {"cited": cited, "appeal": appeal, "citing": citing, "draft": draft}


EXPECTED_CITED_BY = {
    "anonymous": {"citing-public", "cited-appeal"},
    "member": {"citing-public", "citing-network", "cited-appeal"},
    "curator": {
        "citing-public",
        "citing-network",
        "citing-secretariat",
        "citing-draft",
        "cited-appeal",
    },
    "admin": {
        "citing-public",
        "citing-network",
        "citing-secretariat",
        "citing-draft",
        "cited-appeal",
    },
}


def test_citations_are_linked_to_the_cited_decision(web: dict[str, Any]) -> None:
    rows = Citation.objects.filter(citing=web["citing"]["public"])
    by_kind = {r.kind: r for r in rows}
    assert by_kind["ecli"].cited == web["cited"]
    assert by_kind["national_case"].cited == web["cited"]
    assert by_kind["national_provision"].provision_key.startswith("DE:")


@pytest.mark.parametrize("role", sorted(EXPECTED_CITED_BY))
def test_cited_by_shows_only_what_the_role_may_see(
    web: dict[str, Any], actors: dict[str, Any], role: str
) -> None:
    found = {d.uid for d in cited_by(actor=actors[role], decision=web["cited"])}
    assert found == EXPECTED_CITED_BY[role]


@pytest.mark.parametrize("role", sorted(EXPECTED_CITED_BY))
def test_reader_page_lists_and_counts_only_visible_citing_decisions(
    web: dict[str, Any], users: dict[str, Any], role: str
) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    html = client.get("/decisions/cited/").content.decode()
    for uid in ("citing-public", "citing-network", "citing-secretariat", "citing-draft"):
        assert (f'href="/decisions/{uid}/"' in html) == (uid in EXPECTED_CITED_BY[role]), uid
    graph = client.get("/decisions/cited/citations/")
    assert graph.status_code == 200
    body = graph.content.decode()
    assert 'data-testid="citation-graph"' in body
    for uid in ("citing-public", "citing-network", "citing-secretariat"):
        assert (f'data-uid="{uid}"' in body) == (uid in EXPECTED_CITED_BY[role]), uid


def test_a_hidden_cited_decision_is_not_named_to_a_reader(
    web: dict[str, Any], actors: dict[str, Any]
) -> None:
    secret = DecisionFactory(
        uid="secret", access="secretariat", ecli="ECLI:DE:BGH:2020:1", title="Hidden title"
    )
    citing = _with_text(DecisionFactory(uid="cites-secret"), "See ECLI:DE:BGH:2020:1 on this.")
    assert Citation.objects.get(citing=citing).cited == secret
    lines = citations_of(actor=actors["anonymous"], decision=citing)
    assert [(line.key, line.decision) for line in lines] == [("ECLI:DE:BGH:2020:1", None)]
    assert citations_of(actor=actors["curator"], decision=citing)[0].decision == secret
    html = Client().get("/decisions/cites-secret/").content.decode()
    assert "Hidden title" not in html and "/decisions/secret/" not in html


def test_a_decision_ingested_later_is_linked_to_earlier_citations(actors: dict[str, Any]) -> None:
    citing = _with_text(DecisionFactory(uid="early"), "See ICC-01/04-01/06 and ECLI:NL:HR:2019:1.")
    assert all(r.cited is None for r in Citation.objects.filter(citing=citing))
    later = _with_text(
        DecisionFactory(uid="later", country="NL", ecli="ECLI:NL:HR:2019:1"), "Text."
    )
    assert Citation.objects.get(citing=citing, kind="ecli").cited == later
    assert [d.uid for d in cited_by(actor=actors["anonymous"], decision=later)] == ["early"]


def test_own_numbers_are_not_citations() -> None:
    d = _with_text(
        DecisionFactory(uid="own", case_number="1 StE 9/19", ecli="ECLI:DE:OLGKOBL:2022:1"),
        "Az. 1 StE 9/19 — ECLI:DE:OLGKOBL:2022:1. Es gilt § 7 VStGB.",
    )
    assert [(r.kind, r.key) for r in Citation.objects.filter(citing=d)] == [
        ("national_provision", "VStGB:7")
    ]


def test_graph_holds_the_proceedings_and_its_neighbours(
    web: dict[str, Any], actors: dict[str, Any]
) -> None:
    graph = citation_graph(actor=actors["member"], decision=web["cited"])
    assert {d.uid for d in graph.proceedings} == {"cited", "cited-appeal"}
    assert {d.uid for d in graph.citing} == {"citing-public", "citing-network"}
    assert ("cited-appeal", "cited") in graph.edges
    assert ("citing-network", "cited") in graph.edges
    assert all("secretariat" not in a for a, _ in graph.edges)


def test_graph_of_a_hidden_decision_is_404(web: dict[str, Any]) -> None:
    assert Client().get("/decisions/citing-secretariat/citations/").status_code == 404
