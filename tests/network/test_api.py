"""The network endpoints of /api/v1/: the same access matrix, the view log, the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from cicnet.accounts.services import api_token_create
from cicnet.network.models import DocumentView

from ..api.conftest import assert_openapi, openapi  # noqa: F401  # shared fixtures, used by name
from .conftest import ROLES, SEES_PEOPLE_A, VISIBLE, World, marker

IN_B = {"other_network", "other_secretariat"}
ENDPOINTS = {
    "/api/v1/networks",
    "/api/v1/networks/{slug}/meetings",
    "/api/v1/networks/{slug}/meetings/{number}",
    "/api/v1/networks/{slug}/documents",
    "/api/v1/networks/{slug}/documents/{id}",
    "/api/v1/networks/{slug}/documents/{id}/download",
    "/api/v1/networks/{slug}/directory",
}


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def _titles(results: list[dict[str, Any]]) -> set[str]:
    return {r["title"] for r in results}


@pytest.mark.parametrize("role", ROLES)
def test_documents_list_count_and_search_follow_the_matrix(
    role: str,
    world: World,
    assert_openapi: Any,  # noqa: F811  # the imported fixture
) -> None:
    client = world.client(role)
    for slug in ("a", "b"):
        response = client.get(f"/api/v1/networks/{slug}/documents")
        if slug == "b" and role not in IN_B:
            assert response.status_code == 404
            assert response.json()["parameter"] == "slug"
            continue
        assert response.status_code == 200
        assert_openapi(response, "/api/v1/networks/{slug}/documents")
        expected = {f"Doc {k}" for k in VISIBLE[role] if k.startswith(f"{slug}/")}
        assert response.json()["count"] == len(expected)
        assert _titles(response.json()["results"]) == expected
    for key in (k for k in world.docs if k.startswith("a/")):
        found = client.get("/api/v1/networks/a/documents", {"q": marker(key)}).json()
        assert found["count"] == (1 if key in VISIBLE[role] else 0), key


@pytest.mark.parametrize("role", ROLES)
def test_document_and_download_follow_the_matrix(
    role: str,
    world: World,
    assert_openapi: Any,  # noqa: F811  # the imported fixture
) -> None:
    client = world.client(role)
    for key, doc in world.docs.items():
        slug = key.split("/")[0]
        allowed = key in VISIBLE[role]
        detail = client.get(f"/api/v1/networks/{slug}/documents/{doc.pk}")
        assert detail.status_code == (200 if allowed else 404), key
        assert_openapi(detail, "/api/v1/networks/{slug}/documents/{id}")
        download = client.get(f"/api/v1/networks/{slug}/documents/{doc.pk}/download")
        assert download.status_code == (200 if allowed else 404), key
        if allowed:
            assert b"".join(download.streaming_content) == f"content of {key}".encode()
            assert detail.json()["classification"] == key.split("/")[1]


@pytest.mark.parametrize("role", ROLES)
def test_meeting_sessions_and_participants_follow_the_matrix(
    role: str,
    world: World,
    assert_openapi: Any,  # noqa: F811  # the imported fixture
) -> None:
    response = world.client(role).get(f"/api/v1/networks/a/meetings/{world.meeting.number}")
    assert response.status_code == 200
    assert_openapi(response, "/api/v1/networks/{slug}/meetings/{number}")
    sessions = {s["kind"]: s for s in response.json()["sessions"]}
    titles = _titles(sessions["open"]["documents"]) | _titles(sessions["closed"]["documents"])
    assert titles == {f"Doc {k}" for k in VISIBLE[role] if k.startswith("a/")}
    agenda = {i["classification"] for s in sessions.values() for i in s["agenda"]}
    assert agenda == {k.split("/")[1] for k in VISIBLE[role] if k.startswith("a/")}
    assert (sessions["closed"]["participants"] is not None) is (
        role in {"observer", "ncp", "secretariat"}
    )
    assert (sessions["open"]["participants"] is not None) is (role in SEES_PEOPLE_A)


@pytest.mark.parametrize("role", ROLES)
def test_networks_meetings_and_directory(
    role: str,
    world: World,
    assert_openapi: Any,  # noqa: F811  # the imported fixture
) -> None:
    client = world.client(role)
    networks = client.get("/api/v1/networks")
    assert_openapi(networks, "/api/v1/networks")
    assert {n["slug"] for n in networks.json()} == ({"a", "b"} if role in IN_B else {"a"})
    meetings = client.get("/api/v1/networks/a/meetings")
    assert_openapi(meetings, "/api/v1/networks/{slug}/meetings")
    assert [m["number"] for m in meetings.json()["results"]] == [world.meeting.number]
    directory = client.get("/api/v1/networks/a/directory")
    assert_openapi(directory, "/api/v1/networks/{slug}/directory")
    names = {p["name"] for p in directory.json()["people"]}
    assert ("Fictional Ncp" in names) is (role in SEES_PEOPLE_A)
    if role == "cso":
        assert names == {"Fictional Cso"}
    assert directory.json()["people_counts"]["national_contact_point"] == 1


def test_api_reads_of_closed_session_material_are_logged_with_a_token(world: World) -> None:
    token = api_token_create(user=world.users["ncp"], label="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    doc = world.docs["a/closed_session"]
    assert client.get(f"/api/v1/networks/a/documents/{doc.pk}").status_code == 200
    b"".join(client.get(f"/api/v1/networks/a/documents/{doc.pk}/download").streaming_content)
    rows = list(DocumentView.objects.order_by("id").values_list("username", "action", "channel"))
    assert rows == [("u-ncp", "read", "api"), ("u-ncp", "download", "api")]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"kind": "bogus"}, "kind"), ({"limit": 0}, "limit"),
     ({"classification": "x"}, "classification"), ({"q": "x" * 201}, "q")],
)  # fmt: skip
def test_bad_parameters_are_400_naming_them(
    world: World, params: dict[str, Any], parameter: str
) -> None:
    response = world.client("ncp").get("/api/v1/networks/a/documents", params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_endpoints_are_in_the_openapi_schema(
    openapi: dict[str, Any],  # noqa: F811  # the imported fixture
) -> None:
    assert set(openapi["paths"]) >= ENDPOINTS
    for path in ENDPOINTS:
        operation = openapi["paths"][path]["get"]
        assert operation["summary"] and len(operation["description"]) > 80, path
        for status in ("200", "400", "401", "404", "429"):
            assert status in operation["responses"], (path, status)
        assert {} in operation["security"]
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])


def test_document_list_query_count_is_bounded(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = world.client("secretariat")
    client.get("/api/v1/networks/a/documents")
    with django_assert_max_num_queries(10):
        client.get("/api/v1/networks/a/documents")


def test_uploaded_html_downloads_as_an_opaque_sandboxed_attachment(world: World) -> None:
    """An uploaded .html (or any file) must never render on cicnet's origin: both download
    routes answer application/octet-stream, nosniff and a CSP that sandboxes and allows nothing."""
    from cicnet.network.services import document_add

    doc = document_add(
        actor=None,
        network=world.a,
        title="Uploaded page",
        kind="note",
        classification="public",
        text="page",
        filename="page.html",
        content=b"<script>alert(document.cookie)</script>",
        meeting=None,
        session=None,
        tags=[],
    )
    for url in (
        f"/api/v1/networks/a/documents/{doc.pk}/download",
        f"/network/a/documents/{doc.pk}/download",
    ):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/octet-stream", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox", url
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert b"".join(response.streaming_content).startswith(b"<script>")
