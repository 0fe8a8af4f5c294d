"""GET /api/v1/decisions (filters, cursor pagination) and /api/v1/decisions/{id}."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cicnet.jurisprudence.models import DecisionCrime, DecisionProvision
from cicnet.law.provisions import national_provisions

from ..conftest import VISIBLE
from ..factories import DecisionFactory, ParagraphFactory, ProceedingsFactory, TextFactory
from .conftest import ROLES

pytestmark = pytest.mark.django_db


def walk(client: Client, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every result of /decisions, following `next` until it is null."""
    results: list[dict[str, Any]] = []
    response = client.get("/api/v1/decisions", params)
    for _ in range(100):
        assert response.status_code == 200, response.content
        body = response.json()
        results.extend(body["results"])
        if body["next"] is None:
            return results
        assert body["next"].startswith("http://testserver/api/v1/decisions?")
        response = client.get(body["next"])
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_visible_decisions(
    role: str,
    clients: dict[str, Client],
    tier_matrix: dict[str, Any],
    assert_openapi: Callable[..., None],
) -> None:
    response = clients[role].get("/api/v1/decisions", {"limit": 2})
    assert_openapi(response, "/api/v1/decisions")
    expected = {tier_matrix[k].uid for k in VISIBLE[role]}
    assert response.json()["count"] == len(expected)
    assert {r["id"] for r in walk(clients[role], {"limit": 2})} == expected


@pytest.mark.parametrize("role", ROLES)
def test_detail_is_404_for_hidden_with_the_body_of_a_missing_decision(
    role: str,
    clients: dict[str, Client],
    tier_matrix: dict[str, Any],
    assert_openapi: Callable[..., None],
) -> None:
    for key, decision in tier_matrix.items():
        response = clients[role].get(f"/api/v1/decisions/{decision.uid}")
        assert_openapi(response, "/api/v1/decisions/{id}")
        if key in VISIBLE[role]:
            assert response.status_code == 200
            assert response.json()["id"] == decision.uid
        else:
            assert response.status_code == 404
            decision.delete()
            missing = clients[role].get(f"/api/v1/decisions/{decision.uid}")
            assert missing.status_code == 404
            assert missing.content == response.content


@pytest.mark.parametrize("order", ["date_asc", "date_desc"])
def test_cursor_walks_every_page_once_in_stable_order(
    order: str, clients: dict[str, Client], db: None
) -> None:
    dates = [
        dt.date(2020, 1, 1),
        dt.date(2020, 1, 1),
        dt.date(2020, 1, 1),
        None,
        None,
        dt.date(2019, 5, 5),
        dt.date(2023, 3, 3),
    ]
    made = [DecisionFactory(decision_date=d) for d in dates]

    results = walk(clients["anonymous"], {"limit": 2, "order": order})

    ids = [r["id"] for r in results]
    assert len(ids) == len(set(ids)) == len(made)
    by_uid = {d.uid: d for d in made}
    keys = [(by_uid[i].decision_date, by_uid[i].pk) for i in ids]
    if order == "date_asc":  # undated first
        expected = sorted(keys, key=lambda k: (k[0] is not None, k[0] or dt.date.min, k[1]))
    else:  # newest first, undated last
        expected = sorted(
            keys, key=lambda k: (k[0] is not None, k[0] or dt.date.min, k[1]), reverse=True
        )
    assert keys == expected


def test_cursor_stays_stable_when_a_decision_is_added(clients: dict[str, Client], db: None) -> None:
    for year in (2001, 2002, 2003, 2004):
        DecisionFactory(decision_date=dt.date(year, 1, 1))
    first = clients["anonymous"].get("/api/v1/decisions", {"limit": 2}).json()
    DecisionFactory(decision_date=dt.date(1999, 1, 1))  # before the cursor: not seen again
    second = clients["anonymous"].get(first["next"]).json()
    assert [r["decision_date"][:4] for r in second["results"]] == ["2003", "2004"]


@pytest.mark.parametrize(
    ("params", "matching"),
    [
        ({"country": ["FR", "NL"]}, {"fr", "nl"}),
        ({"instance": "appeal"}, {"nl"}),
        ({"outcome": "acquitted"}, {"fr"}),
        ({"court": "Court of Appeal"}, {"nl"}),
        ({"crime": "7(1)(f)"}, {"de"}),
        ({"crime": "crimes_against_humanity"}, {"de"}),
        ({"crime": "war_crimes"}, {"fr"}),
        ({"year_from": 2020, "year_to": 2021}, {"de", "fr"}),
        ({"year_from": 2022}, {"nl"}),
    ],
)
def test_list_filters(
    params: dict[str, Any], matching: set[str], clients: dict[str, Client], db: None
) -> None:
    de = DecisionFactory(uid="de", country="DE", decision_date=dt.date(2021, 1, 1))
    fr = DecisionFactory(
        uid="fr", country="FR", outcome="acquitted", decision_date=dt.date(2020, 6, 1)
    )
    DecisionFactory(
        uid="nl",
        country="NL",
        instance="appeal",
        court="Court of Appeal",
        decision_date=dt.date(2022, 1, 1),
    )
    DecisionCrime.objects.create(decision=de, crime_id="7(1)(f)")
    DecisionCrime.objects.create(decision=fr, crime_id="8(2)(c)(i)-1")
    DecisionCrime.objects.create(decision=fr, crime_id="8(2)(c)(i)-4")

    results = walk(clients["anonymous"], params)

    assert {r["id"] for r in results} == matching


def test_state_and_access_filters_are_for_the_secretariat(
    clients: dict[str, Client], tier_matrix: dict[str, Any]
) -> None:
    response = clients["curator"].get("/api/v1/decisions", {"state": "draft", "access": "network"})
    assert [r["id"] for r in response.json()["results"]] == [tier_matrix["network/draft"].uid]
    for role in ("anonymous", "member"):
        denied = clients[role].get("/api/v1/decisions", {"state": "draft"})
        assert denied.status_code == 400
        assert denied.json()["parameter"] == "state"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"country": "Germany"}, "country"),
        ({"instance": "supreme"}, "instance"),
        ({"outcome": "won"}, "outcome"),
        ({"crime": "99(9)"}, "crime"),
        ({"year_from": "nineteen"}, "year_from"),
        ({"year_from": 2020, "year_to": 2010}, "year_from"),
        ({"limit": 0}, "limit"),
        ({"limit": 100000}, "limit"),
        ({"order": "random"}, "order"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_list_parameter_is_400_naming_it(
    params: dict[str, Any],
    parameter: str,
    clients: dict[str, Client],
    db: None,
    assert_openapi: Callable[..., None],
) -> None:
    response = clients["anonymous"].get("/api/v1/decisions", params)
    assert response.status_code == 400, response.content
    assert response.json()["parameter"] == parameter
    assert_openapi(response, "/api/v1/decisions")


def test_cursor_of_the_other_order_is_rejected(clients: dict[str, Client], db: None) -> None:
    for _ in range(3):
        DecisionFactory()
    nxt = clients["anonymous"].get("/api/v1/decisions", {"limit": 1}).json()["next"]
    cursor = nxt.split("cursor=")[1]
    response = clients["anonymous"].get(
        "/api/v1/decisions", {"cursor": cursor, "order": "date_desc"}
    )
    assert response.status_code == 400
    assert response.json()["parameter"] == "cursor"


def test_list_query_count_does_not_grow_with_the_page(
    clients: dict[str, Client], db: None, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        d = DecisionFactory()
        DecisionCrime.objects.create(decision=d, crime_id="7(1)(a)")
        DecisionCrime.objects.create(decision=d, crime_id=f"7(1)({'bcd'[i % 3]})")
    # token lookup + last_used_at, whether a member is the collection's Secretariat (one),
    # count, page, crimes, the masked names of the page (one)
    with django_assert_max_num_queries(7):
        response = clients["member"].get("/api/v1/decisions", {"limit": 30})
    assert len(response.json()["results"]) == 30


def test_detail_has_law_proceedings_texts_and_paragraphs(
    clients: dict[str, Client], db: None, assert_openapi: Callable[..., None]
) -> None:
    proceedings = ProceedingsFactory(key="fictional-case", title="Fictional case")
    first = DecisionFactory(uid="first", proceedings=proceedings, decision_date=dt.date(2020, 1, 1))
    appeal = DecisionFactory(
        uid="appeal", proceedings=proceedings, instance="appeal", decision_date=dt.date(2021, 1, 1)
    )
    DecisionFactory(
        uid="hidden-cassation", proceedings=proceedings, instance="cassation", access="network"
    )
    DecisionCrime.objects.create(decision=first, crime_id="7(1)(f)")
    de_row = next(p for p in national_provisions() if p.country == "DE")
    DecisionProvision.objects.create(
        decision=first, citation="VStGB § 7", national_provision_key=de_row.key
    )
    DecisionProvision.objects.create(decision=first, citation="StGB § 211")
    original = TextFactory(decision=first, language="de", is_original=True, provenance="original")
    ParagraphFactory(text=original, number=1, body="Der Angeklagte wird verurteilt.")
    translation = TextFactory(
        decision=first,
        language="en",
        is_original=False,
        provenance="human",
        translator="Secretariat",
        unofficial=True,
    )
    ParagraphFactory(text=translation, number=1, body="The defendant is convicted.")

    response = clients["anonymous"].get("/api/v1/decisions/first")

    assert response.status_code == 200
    assert_openapi(response, "/api/v1/decisions/{id}")
    body = response.json()
    assert body["crimes"] == [
        {
            "id": "7(1)(f)",
            "label": body["crimes"][0]["label"],
            "group": "crimes_against_humanity",
            "group_label": "Crimes against humanity",
            "article": "7",
            "article_title": body["crimes"][0]["article_title"],
            "elements": body["crimes"][0]["elements"],
            "derived": False,
        }
    ]
    assert "torture" in body["crimes"][0]["label"].lower()
    assert body["crimes"][0]["article_title"] and body["crimes"][0]["elements"]
    matched, unmatched = body["provisions"]
    assert matched["national_provision"]["key"] == de_row.key
    assert unmatched == {"citation": "StGB § 211", "national_provision": None}
    assert [d["id"] for d in body["proceedings"]["decisions"]] == [appeal.uid]
    de, en = body["texts"]
    assert (de["language"], de["is_original"], de["unofficial"]) == ("de", True, False)
    assert (en["language"], en["provenance"], en["unofficial"]) == ("en", "human", True)
    assert en["paragraphs"] == [
        {
            "number": 1,
            "anchor": "en-p1",
            "text": "The defendant is convicted.",
            "url": "http://testserver/decisions/first/#en-p1",
        }
    ]
    assert body["instance_label"] and body["outcome_label"]


def test_detail_shows_hidden_sibling_to_the_secretariat(
    clients: dict[str, Client], db: None
) -> None:
    proceedings = ProceedingsFactory()
    DecisionFactory(uid="visible", proceedings=proceedings)
    DecisionFactory(uid="draft-appeal", proceedings=proceedings, state="draft")
    for role, expected in (("anonymous", []), ("curator", ["draft-appeal"])):
        body = clients[role].get("/api/v1/decisions/visible").json()
        assert [d["id"] for d in body["proceedings"]["decisions"]] == expected


def test_detail_query_count_does_not_grow_with_paragraphs(
    clients: dict[str, Client], db: None, django_assert_max_num_queries: Any
) -> None:
    decision = DecisionFactory(uid="long", proceedings=ProceedingsFactory())
    for language in ("de", "en", "fr"):
        text = TextFactory(decision=decision, language=language)
        for n in range(1, 40):
            ParagraphFactory(text=text, number=n)
    # token + last_used_at, decision, crimes, provisions, texts, paragraphs, siblings, and the
    # anonymised spans of the texts (one query, anonymisation.selectors.text_for), the masked
    # names of its own fields (one query, anonymisation.headings), whether a member is the
    # collection's Secretariat (one, policy.decision_role)
    with django_assert_max_num_queries(11):
        body = clients["member"].get("/api/v1/decisions/long").json()
    assert sum(len(t["paragraphs"]) for t in body["texts"]) == 3 * 39
