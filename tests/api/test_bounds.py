"""The bounds of every API parameter: stated in the OpenAPI schema, enforced by the server, and
answered with a 400 naming the parameter (never a 500 or a silently changed value).

These are the defects a fuzzing run found (issue 10, item 11); tests/api/test_schemathesis.py
keeps fuzzing every operation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.search.params import MAX_Q_LENGTH

from ..network import conftest as network_fixtures
from ..network.conftest import World

world = network_fixtures.world  # the two-network world of tests/network, reused as a fixture


def _schemas(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path, operations in openapi["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                for alternative in schema.get("anyOf", [schema]):
                    if alternative.get("type") != "null":
                        out.append((path, parameter["name"], alternative))
    return out


def test_schema_states_a_bound_for_every_parameter(openapi: dict[str, Any]) -> None:
    """Every integer has a minimum and a maximum, every free string a maxLength, every list a
    maxItems and a maxLength per item: a client can know what the server will accept."""
    missing = []
    for path, name, schema in _schemas(openapi):
        kind = schema.get("type")
        if kind == "integer" and not ("minimum" in schema and "maximum" in schema):
            missing.append(f"{path} {name}: integer without minimum and maximum")
        elif kind == "string" and "enum" not in schema and "maxLength" not in schema:
            missing.append(f"{path} {name}: string without maxLength")
        elif kind == "array" and not (
            "maxItems" in schema and "maxLength" in schema.get("items", {})
        ):
            missing.append(f"{path} {name}: array without maxItems and items.maxLength")
    assert not missing, "\n".join(missing)


@pytest.mark.django_db
def test_offset_beyond_64_bits_is_a_400_not_a_500(world: World) -> None:
    response = Client().get("/api/v1/networks/a/documents?offset=9223372036854775808")
    assert response.status_code == 400
    assert response.json()["parameter"] == "offset"
    assert Client().get("/api/v1/networks/a/documents?offset=1000000").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/networks/a/meetings/99999999999999999999",
        "/api/v1/networks/a/documents/99999999999999999999",
        "/api/v1/networks/a/documents/0/download",
    ],
)
def test_path_numbers_out_of_range_are_400(world: World, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 400, response.content
    assert response.json()["parameter"] in ("number", "id")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/decisions", "/api/v1/search"])
def test_year_bounds_are_the_schemas(path: str, openapi: dict[str, Any]) -> None:
    bounds = {name: schema for p, name, schema in _schemas(openapi) if p == path and "year" in name}
    assert bounds["year_to"]["minimum"] == 1900 and bounds["year_to"]["maximum"] == 2100
    zero = Client().get(f"{path}?year_to=0")
    assert zero.status_code == 400 and zero.json()["parameter"] == "year_to"
    for year in (1900, 2100):
        assert Client().get(f"{path}?year_to={year}").status_code == 200, year
    assert Client().get(f"{path}?year_to=2101").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["state=", "access=", "state=&access=&country=&crime="])
def test_empty_filter_values_mean_no_filter(query: str, clients: dict[str, Client]) -> None:
    """``state=`` from an empty form field: no filter (for anyone), as on the search page."""
    for role in ("anonymous", "member", "curator"):
        response = clients[role].get(f"/api/v1/decisions?{query}")
        assert response.status_code == 200, (role, response.content)


@pytest.mark.django_db
def test_longest_query_the_schema_allows_is_answered(openapi: dict[str, Any]) -> None:
    q = next(s for p, n, s in _schemas(openapi) if p == "/api/v1/search" and n == "q")
    assert q["maxLength"] == MAX_Q_LENGTH
    assert Client().get("/api/v1/search", {"q": "é" * MAX_Q_LENGTH}).status_code == 200
    too_long = Client().get("/api/v1/search", {"q": "é" * (MAX_Q_LENGTH + 1)})
    assert too_long.status_code == 400 and too_long.json()["parameter"] == "q"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/search?q=tor%00ture", "q"),
        ("/api/v1/search/export.csv?court=a%00b", "court"),
        ("/api/v1/decisions?cursor=%00", "cursor"),
        ("/api/v1/networks/a%00/meetings", "path"),
        ("/api/v1/networks/a/documents?tag=x%00", "tag"),
    ],
)
def test_nul_in_a_parameter_is_refused_naming_it(world: World, url: str, parameter: str) -> None:
    response = Client().get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert "NUL" in body["detail"]


@pytest.mark.django_db
def test_nul_in_the_search_page_is_refused_too() -> None:
    response = Client().get("/?q=tor%00ture")
    assert response.status_code == 400
    assert "q: contains a NUL character" in response.content.decode()
