"""GET /api/v1/search: the tier matrix, facets, snippets, errors, query counts, OpenAPI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ..conftest import VISIBLE, search_backend_queries, vector_index_queries
from .conftest import COMMON_WORD, MATRIX_COUNTRIES, ROLES, marker

pytestmark = pytest.mark.django_db

RESULT_KEYS = {
    "id",
    "title",
    "court",
    "country",
    "decision_date",
    "date_display",
    "case_name",
    "snippets",
    "url",
    "matched",  # by words, by meaning or both (issue 13)
    "languages",  # the languages whose paragraphs matched
    "embedded",  # whether the decision's texts are embedded yet
}


@pytest.mark.parametrize("role", ROLES)
def test_search_returns_exactly_visible_hits_and_facet_counts(
    role: str,
    clients: dict[str, Client],
    searchable_matrix: dict[str, Any],
    assert_openapi: Callable[..., None],
) -> None:
    response = clients[role].get("/api/v1/search", {"q": COMMON_WORD, "page_size": 50})

    assert response.status_code == 200
    assert_openapi(response, "/api/v1/search")
    body = response.json()
    expected = {searchable_matrix[k].uid for k in VISIBLE[role]}
    assert {r["id"] for r in body["results"]} == expected
    assert body["count"] == len(expected)
    countries = {f["value"]: f["count"] for f in body["facets"]["country"] if f["count"]}
    assert countries == {MATRIX_COUNTRIES[k]: 1 for k in VISIBLE[role]}
    for result in body["results"]:
        assert set(result) == RESULT_KEYS
        assert result["url"].endswith(f"/decisions/{result['id']}/")
        assert result["snippets"], "every hit carries the paragraph that matched"
        snippet = result["snippets"][0]
        assert f"<mark>{COMMON_WORD}</mark>" in snippet["html"].lower()
        assert snippet["language"] == "en" and snippet["paragraph"] == 1
        assert snippet["url"].endswith(f"/decisions/{result['id']}/#en-p1")


@pytest.mark.parametrize("role", ROLES)
def test_word_only_in_hidden_decisions_finds_nothing_and_counts_nothing(
    role: str,
    clients: dict[str, Client],
    searchable_matrix: dict[str, Any],
) -> None:
    for key in searchable_matrix:
        body = clients[role].get("/api/v1/search", {"q": marker(key)}).json()
        if key in VISIBLE[role]:
            assert [r["id"] for r in body["results"]] == [searchable_matrix[key].uid]
            continue
        assert body["count"] == 0, f"{role} found hidden {key}"
        assert body["results"] == []
        for name, values in body["facets"].items():
            assert all(v["count"] == 0 for v in values), f"{role}: facet {name} reveals {key}"


def test_repeated_facet_parameters_are_ored(
    clients: dict[str, Client], searchable_matrix: dict[str, Any]
) -> None:
    body = (
        clients["curator"].get("/api/v1/search", {"q": COMMON_WORD, "country": ["DE", "FR"]}).json()
    )
    assert {r["country"] for r in body["results"]} == {"DE", "FR"}
    assert body["count"] == 2


def test_search_within_one_decision(
    clients: dict[str, Client], searchable_matrix: dict[str, Any]
) -> None:
    uid = searchable_matrix["public/published"].uid
    body = clients["anonymous"].get("/api/v1/search", {"q": COMMON_WORD, "decision": uid}).json()
    assert [r["id"] for r in body["results"]] == [uid]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"country": "Germany"}, "country"),
        ({"crime": "not-a-crime"}, "crime"),
        ({"page": "abc"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"sort": "random"}, "sort"),
        ({"year_from": "2020", "year_to": "2010"}, "year_from"),
        ({"q": "court:"}, "q"),
    ],
)
def test_malformed_search_is_400_naming_the_parameter(
    params: dict[str, str],
    parameter: str,
    clients: dict[str, Client],
    db: None,
    assert_openapi: Callable[..., None],
) -> None:
    response = clients["anonymous"].get("/api/v1/search", params)
    assert response.status_code == 400, response.content
    assert response.json()["parameter"] == parameter
    assert response.json()["detail"]
    assert_openapi(response, "/api/v1/search")


def test_search_query_count_is_bounded(
    clients: dict[str, Client],
    searchable_matrix: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    # Token lookup, last_used_at and whether the member is a collection's Secretariat; the search
    # itself runs in the index, not the database.
    with django_assert_max_num_queries(3 + search_backend_queries() + vector_index_queries()):
        response = clients["member"].get("/api/v1/search", {"q": COMMON_WORD})
    assert response.status_code == 200
