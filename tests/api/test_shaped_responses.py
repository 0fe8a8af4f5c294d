"""Answers written without pydantic re-validation (jurisprudence/api.py ``_shaped``) are exactly
what the documented schema would have written: same keys, same values, same types, and the
OpenAPI document still names the schema of each."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.jurisprudence.schemas import DecisionListOut, SearchOut, SimilarOut

from .conftest import COMMON_WORD

pytestmark = pytest.mark.django_db


def _same_as_schema(body: dict[str, Any], schema: Any) -> None:
    assert schema.model_validate(body).model_dump(mode="json") == body


def test_search_and_listing_answers_equal_their_schemas_dump(
    clients: dict[str, Client], searchable_matrix: dict[str, Any]
) -> None:
    curator = clients["curator"]
    search = curator.get("/api/v1/search", {"q": COMMON_WORD, "page_size": 50, "mode": "lexical"})
    assert search.status_code == 200
    assert search["Content-Type"] == "application/json; charset=utf-8"
    body = search.json()
    assert body["count"] == 9 and body["results"][0]["snippets"]
    assert sum(len(v) for v in body["facets"].values()) > 0
    _same_as_schema(body, SearchOut)

    listing = curator.get("/api/v1/decisions", {"limit": 5})
    assert listing.status_code == 200
    assert len(listing.json()["results"]) == 5 and listing.json()["next"]
    _same_as_schema(listing.json(), DecisionListOut)

    similar = curator.get(f"/api/v1/decisions/{body['results'][0]['id']}/similar")
    assert similar.status_code == 200
    assert similar.json()["embedded"] is False  # nothing embedded in this test
    _same_as_schema(similar.json(), SimilarOut)


def test_openapi_still_documents_the_shaped_answers(openapi: dict[str, Any]) -> None:
    refs = {
        "/api/v1/search": "SearchOut",
        "/api/v1/decisions": "DecisionListOut",
        "/api/v1/decisions/{id}/similar": "SimilarOut",
        "/api/v1/paragraphs/{decision_id}/{lang}/{number}/similar": "SimilarOut",
    }
    for path, name in refs.items():
        schema = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert schema["schema"]["$ref"].endswith(f"/{name}"), path
