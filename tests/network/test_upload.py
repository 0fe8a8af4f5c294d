"""Adding a document to a network's library: the network's Secretariat only; the text of PDF,
DOCX, HTML and text files is extracted for the library search; bad input names the field and
writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cicnet.audit.models import AuditEntry
from cicnet.network.models import Document

from .conftest import ROLES, World

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "good"
URL = "/network/a/library/add/"


def _post(world: World, role: str, **data: object) -> object:
    fields = {"title": "Fictional expert report", "kind": "note", "classification": "network"}
    fields.update(data)  # type: ignore[arg-type]
    return world.client(role).post(URL, fields)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "secretariat"])
def test_only_the_networks_secretariat_adds_documents(world: World, role: str) -> None:
    before = Document.objects.count()
    assert world.client(role).get(URL).status_code == 404
    upload = SimpleUploadedFile("x.txt", b"some text")
    assert _post(world, role, file=upload).status_code == 404  # type: ignore[attr-defined]
    assert Document.objects.count() == before


def test_secretariat_adds_a_pdf_whose_text_is_searchable(world: World) -> None:
    client = world.client("secretariat")
    page = client.get("/network/a/library/").content.decode()
    assert 'data-testid="add-document"' in page
    pdf = (FIXTURES / "nl-rb-den-haag-example-2021.nl.pdf").read_bytes()
    response = client.post(
        URL,
        {
            "title": "Fictional closed-session briefing",
            "kind": "note",
            "classification": "closed_session",
            "meeting": 7,
            "session": "closed",
            "tags": "Briefing, Syria",
            "file": SimpleUploadedFile("briefing.pdf", pdf, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Fictional closed-session briefing")
    assert document.session is not None and document.session.kind == "closed"
    assert document.text  # extracted from the PDF
    assert sorted(t.name for t in document.tags.all()) == ["briefing", "syria"]
    assert (
        AuditEntry.objects.filter(action="network.document.add")
        .exclude(actor_label="system")
        .count()
        == 1
    )
    word = next(w for w in document.text.split() if w.isalpha() and len(w) > 5)
    found = client.get("/network/a/library/", {"q": word}).content.decode()
    assert "Fictional closed-session briefing" in found
    # A CSO representative of the network may not see closed-session material at all.
    cso = world.client("cso").get("/network/a/library/", {"q": word}).content.decode()
    assert "Fictional closed-session briefing" not in cso
    assert world.client("ncp").get(f"/network/a/documents/{document.pk}/").status_code == 200


def test_a_file_of_another_kind_is_stored_without_text(world: World) -> None:
    response = _post(
        world,
        "secretariat",
        file=SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 not really a photo"),
        text="Typed description for search",
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Document.objects.get(title="Fictional expert report").text.startswith("Typed")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"file": SimpleUploadedFile("bad.pdf", b"%PDF-1.4 broken")}, "file"),
        (
            {"classification": "top_secret", "file": SimpleUploadedFile("a.txt", b"x")},
            "classification",
        ),
        ({"meeting": 99, "file": SimpleUploadedFile("a.txt", b"x")}, "meeting"),
        ({"session": "closed", "file": SimpleUploadedFile("a.txt", b"x")}, "session"),
        ({"title": "", "file": SimpleUploadedFile("a.txt", b"x")}, "title"),
        ({}, "file"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    world: World, data: dict[str, object], field: str
) -> None:
    before = Document.objects.count()
    response = _post(world, "secretariat", **data)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert f'data-testid="error-{field}"' in response.content.decode()  # type: ignore[attr-defined]
    assert Document.objects.count() == before
    assert (
        not AuditEntry.objects.filter(action="network.document.add")
        .exclude(actor_label="system")
        .exists()
    )
