"""The OpenAPI document describes every endpoint, its parameters and its answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

from cicnet.jurisprudence.schemas import SearchQuery
from cicnet.search.types import FACETS

ENDPOINTS = {
    "/api/v1/search",
    "/api/v1/search/export.csv",
    "/api/v1/search/export.jsonl",
    "/api/v1/decisions",
    "/api/v1/decisions/{id}",
}


def test_every_endpoint_is_documented_with_responses(openapi: dict[str, Any]) -> None:
    assert ENDPOINTS <= set(openapi["paths"])
    for path in ENDPOINTS:
        operation = openapi["paths"][path]["get"]
        assert operation["summary"] and len(operation["description"]) > 80, path
        for status in ("200", "400", "401", "429"):
            assert status in operation["responses"], (path, status)
        assert {} in operation["security"], "authentication is optional"
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])


def test_search_takes_one_parameter_per_facet(openapi: dict[str, Any]) -> None:
    names = {p["name"] for p in openapi["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert set(FACETS) <= names
    assert set(FACETS) <= set(SearchQuery.model_fields)


def test_docs_page_is_served_without_network(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    assert b"cdn.jsdelivr" not in response.content and b"unpkg" not in response.content


def test_docs_api_md_covers_every_endpoint_and_parameter(openapi: dict[str, Any]) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text("utf-8")
    for path, operations in openapi["paths"].items():
        assert f"`GET {path}`" in docs or f"GET {path}" in docs, f"docs/api.md lacks {path}"
        for parameter in operations["get"].get("parameters", []):
            assert f"`{parameter['name']}`" in docs, (
                f"docs/api.md lacks parameter {parameter['name']}"
            )
