"""The curators' import page: who may open it, import and see past imports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.importers.models import ImportRun
from cicnet.importers.selectors import import_runs
from cicnet.jurisprudence.models import Decision

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "member", "curator", "admin")
MAY_IMPORT = {"curator", "admin"}


@pytest.fixture
def clients(users: dict[str, Any]) -> dict[str, Client]:
    out = {"anonymous": Client()}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        out[role] = client
    return out


@pytest.fixture
def earlier_run(users: dict[str, Any]) -> ImportRun:
    return ImportRun.objects.create(
        source="rechtspraak",
        identifiers=["ECLI:NL:HR:1997:AA2065"],
        requested_by=users["curator"],
        via="web",
        status="ok",
        results=[
            {
                "identifier": "ECLI:NL:HR:1997:AA2065",
                "uid": "ecli-nl-hr-1997-aa2065",
                "outcome": "created",
                "messages": [],
            }
        ],
    )


@pytest.mark.parametrize("role", ROLES)
def test_page_and_past_imports_only_for_the_secretariat(
    role: str, clients: dict[str, Client], earlier_run: ImportRun, actors: dict[str, Any]
) -> None:
    response = clients[role].get("/curation/import/")
    shown = clients[role].get(f"/curation/import/?run={earlier_run.pk}")
    runs = list(import_runs(actor=actors[role]))
    if role not in MAY_IMPORT:
        assert response.status_code == 404 and shown.status_code == 404
        assert runs == []
        return
    assert response.status_code == 200 and runs == [earlier_run]
    html = shown.content.decode()
    assert 'data-testid="import-result"' in html and "ECLI:NL:HR:1997:AA2065" in html
    assert 'href="/decisions/ecli-nl-hr-1997-aa2065/"' in html


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_may_import(
    role: str, clients: dict[str, Client], rechtspraak_server: Any
) -> None:
    response = clients[role].post(
        "/curation/import/", {"source": "rechtspraak", "identifiers": "ECLI:NL:HR:1997:AA2065"}
    )
    if role not in MAY_IMPORT:
        assert response.status_code == 404
        assert not ImportRun.objects.exists() and rechtspraak_server.requests == []
        return
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?run={run.pk}")
    assert run.via == "web" and run.requested_by is not None and run.requested_by.role == role
    assert Decision.objects.filter(ecli="ECLI:NL:HR:1997:AA2065", state="draft").exists()


def test_bad_identifier_is_answered_on_the_form(clients: dict[str, Client]) -> None:
    response = clients["curator"].post(
        "/curation/import/", {"source": "rechtspraak", "identifiers": "ECLI:NL:HR:1997:AA2065\nfoo"}
    )
    assert response.status_code == 400
    assert (
        "identifier &#x27;foo&#x27;: &#x27;foo&#x27; is not a valid ECLI"
        in response.content.decode()
    )
    assert not ImportRun.objects.exists()
