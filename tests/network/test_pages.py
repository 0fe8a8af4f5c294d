"""The access matrix on the HTML pages: every role x classification on listings, counts,
search, meeting pages, document pages and downloads; the view log; the downgrade."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cicnet.audit.models import AuditEntry
from cicnet.network.models import DocumentView

from ..factories import DecisionFactory
from .conftest import ROLES, SEES_PEOPLE_A, VISIBLE, World, marker

IN_B = {"other_network", "other_secretariat"}


def _count(response: Any) -> int:
    m = re.search(rb'data-testid="result-count"><strong>(\d+)</strong>', response.content)
    assert m, response.content[:500]
    return int(m.group(1))


def _visible_in(role: str, slug: str) -> set[str]:
    return {k for k in VISIBLE[role] if k.startswith(f"{slug}/")}


@pytest.mark.parametrize("role", ROLES)
def test_library_lists_and_counts_only_visible_documents(role: str, world: World) -> None:
    client = world.client(role)
    response = client.get("/network/a/library/")
    assert response.status_code == 200
    expected = _visible_in(role, "a")
    assert _count(response) == len(expected)
    for key in world.docs:
        assert (f"Doc {key}".encode() in response.content) is (key in expected), key
    # Tags of hidden documents are not revealed either.
    assert (b"tag-a-closed-session" in response.content) is ("a/closed_session" in expected)


@pytest.mark.parametrize("role", ROLES)
def test_private_network_pages_are_404_for_non_members(role: str, world: World) -> None:
    client = world.client(role)
    doc = world.docs["b/public"]
    for url in (
        "/network/b/",
        "/network/b/library/",
        "/network/b/meetings/",
        "/network/b/meetings/1/",
        "/network/b/directory/",
        f"/network/b/documents/{doc.pk}/",
        f"/network/b/documents/{doc.pk}/download",
    ):
        assert client.get(url).status_code == (200 if role in IN_B else 404), url
    listing = client.get("/network/").content
    assert (b"Fictional network B" in listing) is (role in IN_B)


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_only_visible_documents(role: str, world: World) -> None:
    client = world.client(role)
    assert _count(client.get("/network/a/library/", {"q": "ATROCITY"})) == len(
        _visible_in(role, "a")
    )
    for key in world.docs:
        if not key.startswith("a/"):
            continue
        response = client.get("/network/a/library/", {"q": marker(key)})
        assert _count(response) == (1 if key in VISIBLE[role] else 0), key
        tag = "tag-" + key.replace("/", "-").replace("_", "-")
        assert _count(client.get("/network/a/library/", {"tag": tag})) == (
            1 if key in VISIBLE[role] else 0
        )


@pytest.mark.parametrize("role", ROLES)
def test_document_page_and_download_follow_the_matrix(role: str, world: World) -> None:
    client = world.client(role)
    for key, doc in world.docs.items():
        slug = key.split("/")[0]
        allowed = key in VISIBLE[role]
        page = client.get(f"/network/{slug}/documents/{doc.pk}/")
        assert page.status_code == (200 if allowed else 404), key
        download = client.get(f"/network/{slug}/documents/{doc.pk}/download")
        assert download.status_code == (200 if allowed else 404), key
        if allowed:
            assert b"".join(download.streaming_content) == f"content of {key}".encode()
        else:
            assert f"Doc {key}".encode() not in page.content


@pytest.mark.parametrize("role", ROLES)
def test_meeting_page_shows_only_visible_documents_agenda_and_participants(
    role: str, world: World
) -> None:
    client = world.client(role)
    response = client.get(f"/network/a/meetings/{world.meeting.number}/")
    assert response.status_code == 200
    for key in ("a/public", "a/network", "a/closed_session", "a/secretariat"):
        assert (f"Doc {key}".encode() in response.content) is (key in VISIBLE[role]), key
        item = f"Agenda item {key.split('/')[1]}".encode()
        assert (item in response.content) is (key in VISIBLE[role]), key
    # Both sessions exist on the public page; who is invited is not public.
    assert b'data-testid="session-closed"' in response.content
    participants = response.content.count(b'data-testid="participants"')
    expected = (role in SEES_PEOPLE_A) + (role in {"observer", "ncp", "secretariat"})
    assert participants == expected


@pytest.mark.parametrize("role", ROLES)
def test_meetings_list_counts_only_the_agenda_items_the_role_may_see(
    role: str, world: World
) -> None:
    response = world.client(role).get("/network/a/meetings/")
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index('data-testid="meeting-row"') :].split("</tr>", 1)[0]
    visible = sum(
        f"a/{c}" in VISIBLE[role] for c in ("public", "network", "closed_session", "secretariat")
    )
    assert row.rstrip().endswith(f"<td>{visible}</td>"), row


@pytest.mark.parametrize("role", ROLES)
def test_directory_shows_contact_details_only_to_members(role: str, world: World) -> None:
    response = world.client(role).get("/network/a/directory/")
    assert response.status_code == 200
    content = response.content.decode()
    assert ("Fictional Ncp" in content) is (role in SEES_PEOPLE_A)
    assert ('data-testid="people-hidden"' in content) is (role not in SEES_PEOPLE_A)
    if role == "cso":  # their own entry, nobody else's
        assert "Fictional Cso" in content and "Fictional Observer" not in content


@pytest.mark.parametrize("role", ROLES)
def test_country_page_gathers_people_authorities_and_decisions(role: str, world: World) -> None:
    DecisionFactory(uid="de-public", title="Public German decision", country="DE")
    DecisionFactory(
        uid="de-network", title="Network German decision", country="DE", access="network"
    )
    DecisionFactory(uid="fr-public", title="French decision", country="FR")
    response = world.client(role).get("/network/a/countries/de/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Public German decision" in content and "French decision" not in content
    # The jurisprudence policy decides the decisions: members (and the admin) see the network tier.
    assert ("Network German decision" in content) is (role != "anonymous")
    assert ("Fictional Ncp" in content) is (role in SEES_PEOPLE_A)


def test_country_code_must_be_two_letters(world: World) -> None:
    response = world.client("ncp").get("/network/a/countries/D1/")
    assert response.status_code == 400
    assert b"country: &#x27;D1&#x27; is not an ISO 3166-1 alpha-2 code" in response.content


def test_library_bad_input_names_the_field(world: World) -> None:
    response = world.client("ncp").get("/network/a/library/", {"kind": "bogus"})
    assert response.status_code == 400
    assert b"kind: Select a valid choice" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_view_log_page_only_for_the_networks_secretariat(role: str, world: World) -> None:
    assert world.client(role).get("/network/a/view-log/").status_code == (
        200 if role == "secretariat" else 404
    )


def test_every_view_of_closed_session_material_is_logged_and_shown(world: World) -> None:
    doc = world.docs["a/closed_session"]
    ncp = world.client("ncp")
    ncp.get(f"/network/a/documents/{doc.pk}/")
    b"".join(ncp.get(f"/network/a/documents/{doc.pk}/download").streaming_content)
    world.client("observer").get(f"/network/a/documents/{doc.pk}/")
    # Denied attempts and non-confidential material leave no entry.
    world.client("cso").get(f"/network/a/documents/{doc.pk}/")
    ncp.get(f"/network/a/documents/{world.docs['a/network'].pk}/")
    rows = list(DocumentView.objects.order_by("id").values_list("username", "action", "channel"))
    assert rows == [
        ("u-ncp", "read", "web"),
        ("u-ncp", "download", "web"),
        ("u-observer", "read", "web"),
    ]
    log = world.client("secretariat").get("/network/a/view-log/").content.decode()
    assert log.count('data-testid="view-entry"') == 3 and "u-observer" in log
    # Another network's Secretariat does not see network a's log through its own page either.
    other = world.client("other_secretariat").get("/network/b/view-log/").content.decode()
    assert 'data-testid="view-entry"' not in other


@pytest.mark.parametrize("role", [r for r in ROLES if r != "secretariat"])
def test_downgrade_post_is_404_for_everyone_but_the_secretariat(role: str, world: World) -> None:
    doc = world.docs["a/secretariat"]
    response = world.client(role).post(
        f"/network/a/documents/{doc.pk}/classification/",
        {"classification": "public", "reason": "x"},
    )
    assert response.status_code == 404
    doc.refresh_from_db()
    assert doc.classification == "secretariat"


def test_secretariat_downgrades_conclusions_to_public(world: World) -> None:
    doc = world.docs["a/secretariat"]
    client = world.client("secretariat")
    bad = client.post(
        f"/network/a/documents/{doc.pk}/classification/", {"classification": "public", "reason": ""}
    )
    assert bad.status_code == 400 and b"reason: This field is required." in bad.content
    ok = client.post(
        f"/network/a/documents/{doc.pk}/classification/",
        {"classification": "public", "reason": "Conclusions adopted."},
    )
    assert ok.status_code == 302
    assert world.client("anonymous").get(f"/network/a/documents/{doc.pk}/").status_code == 200
    assert AuditEntry.objects.filter(
        action="network.document.downgrade", object_id=str(doc.pk)
    ).exists()


def test_a_person_sees_and_exports_their_own_data(world: World) -> None:
    client = world.client("cso")
    assert b"Fictional Cso" in client.get("/network/me/").content
    data = json.loads(client.get("/network/me/export.json").content)
    assert data["person"]["name"] == "Fictional Cso"
    assert [m["role"] for m in data["memberships"]] == ["cso_representative"]
    assert world.client("anonymous").get("/network/me/export.json").status_code == 302


def test_library_query_count_does_not_grow_with_documents(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = world.client("secretariat")
    client.get("/network/a/library/")  # warm the session
    with django_assert_max_num_queries(12):
        client.get("/network/a/library/")
