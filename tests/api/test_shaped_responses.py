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


def test_shaped_answers_write_dates_and_other_values_as_the_django_encoder_did() -> None:
    """orjson writes the answers (decision 0192); dates, times, decimals and UUIDs still read
    exactly as django-ninja's encoder wrote them, and text outside ASCII comes back the same."""
    import datetime as dt
    import decimal
    import json
    import uuid

    from ninja.responses import NinjaJSONEncoder

    from cicnet.jurisprudence.api import _shaped

    data = {
        "date": dt.date(2021, 6, 3),
        "at": dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        "naive": dt.datetime(2026, 1, 2, 3, 4, 5),
        "decimal": decimal.Decimal("1.50"),
        "id": uuid.UUID(int=7),
        "text": "Ärzte gegen Folter — «Ісламська держава»",
        "nested": [{"n": 1, "x": 0.25, "none": None, "flag": True}],
    }
    written = _shaped(data).content
    assert json.loads(written) == json.loads(json.dumps(data, cls=NinjaJSONEncoder))
    assert json.loads(written)["at"] == "2026-01-02T03:04:05.678Z"
