"""The shared document area of a joint investigation team: members upload, list, download and
replace documents (versions stay); only members reach it — not another authority, not an
observer, not a civil-society member, not a Secretariat unless its organisation is a participant
member, not the instance administrator; files are encrypted at rest and served as attachments;
a symbolic link planted in the store or an altered file is refused; bad input names the field."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cicnet.access import policy
from cicnet.audit.models import AuditEntry
from cicnet.coordination import jit_documents, jits
from cicnet.coordination.models import (
    JointTeam,
    JointTeamDocument,
    JointTeamDocumentVersion,
    MeetingRequest,
)
from cicnet.evidence.crypto import VaultIntegrityError
from cicnet.evidence.custody_log import custody_check, custody_entries

from ..evidence.conftest import OPEN_BYTES, ROLES, World, world  # noqa: F401  # the vault's world
from .conftest import add_observer

MEMBERS = {"authority", "authority_fr"}  # DE and FR
PDF = b"%PDF-1.4\n% fictional JIT agreement DE-FR, for tests\n" + b"x" * 5000 + b"\n%%EOF\n"
PDF_V2 = b"%PDF-1.4\n% fictional JIT agreement DE-FR, amended\n" + b"y" * 3000 + b"\n%%EOF\n"


def _team(w: World, *member_keys: str) -> JointTeam:
    return jits.jit_create(
        actor=w.actors["authority"],
        data=jits.TeamData(
            network_id=w.networks["a"].pk,
            name="Fictional JIT on a detention facility",
            member_ids=[w.orgs[k].pk for k in member_keys],
            agreement_title="Fictional JIT agreement DE-FR",
            agreement_signed_on=dt.date(2025, 1, 10),
            agreement_expires_on=dt.date(2026, 1, 10),
        ),
    )


def _clients(w: World) -> dict[str, Client]:
    clients = {role: w.client(role) for role in ROLES}
    clients["observer"] = add_observer(w)
    return clients


def _upload(
    client: Client, team: JointTeam, content: bytes = PDF, name: str = "agreement.pdf", **extra: Any
) -> Any:
    data: dict[str, Any] = {"title": "JIT agreement", "kind": "agreement", "note": "signed"}
    data.update(extra)
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(f"/coordination/jits/{team.uid}/documents/", data)


def _version(team: JointTeam) -> JointTeamDocumentVersion:
    return JointTeamDocumentVersion.objects.filter(document__team=team).latest("pk")


def test_every_document_page_for_every_role(world: World) -> None:  # noqa: F811
    team = _team(world, "de", "fr")
    version = jit_documents.document_upload(
        actor=world.actors["authority"],
        team=team,
        title="JIT agreement",
        kind="agreement",
        filename="agreement.pdf",
        chunks=[PDF],
        size=len(PDF),
    )
    jits.item_share(
        actor=world.actors["authority_fr"],
        team=team,
        submission_uid=world.submission.uid,
        item_uid=world.open_item.uid,
    )
    base = f"/coordination/jits/{team.uid}/documents/"
    doc = f"{base}{version.document.uid}/"
    item = f"/coordination/jits/{team.uid}/items/{world.open_item.uid}/download"
    pages: list[tuple[str, str, Any]] = [
        ("post", item, {"purpose": "matrix"}),
        ("get", base, None),
        ("get", doc, None),
        ("get", f"{doc}v1", None),
        ("get", f"{doc}v9", "missing"),
        ("get", f"/coordination/jits/JIT-NOPE/documents/{version.document.uid}/", "missing"),
        ("post", doc, {"note": "v2", "file": b"%PDF-1.4 v2"}),
        ("post", base, {"title": "Plan", "kind": "working", "file": b"%PDF-1.4 plan"}),
    ]
    for role, client in _clients(world).items():
        for method, path, data in pages:
            if method == "post":
                assert isinstance(data, dict)
                data = {
                    k: SimpleUploadedFile("d.pdf", v) if k == "file" else v for k, v in data.items()
                }
                response = client.post(path, data)
            else:
                response = client.get(path)
            if role == "anonymous":
                assert response.status_code == 302, path
                assert response["Location"].startswith("/accounts/login/")
            elif role in MEMBERS and data != "missing":
                assert response.status_code in (200, 302), (role, path, response.status_code)
                assert response["Cache-Control"] == "no-store"
            else:
                assert response.status_code == 404, (role, path, response.status_code)
    # only the members' writes landed: v1 + two v2 of the agreement, two working plans
    assert JointTeamDocumentVersion.objects.filter(document__team=team).count() == 5
    for role in ROLES:
        if role not in MEMBERS:
            assert not jit_documents.document_get(
                actor=world.actors[role], team=team, uid=version.document.uid
            ), role


def test_a_member_uploads_and_the_other_member_downloads(world: World) -> None:  # noqa: F811
    team = _team(world, "de", "fr")
    de, fr = world.client("authority"), world.client("authority_fr")
    response = _upload(de, team)
    assert response.status_code == 302
    version = _version(team)
    page = fr.get(f"/coordination/jits/{team.uid}/").content.decode()
    assert "JIT agreement" in page and 'data-testid="document-row"' in page
    assert "e-authority (Fictional Prosecutor DE)" in page
    listing = fr.get(response["Location"]).content.decode()
    assert "agreement.pdf" in listing and "e-authority (Fictional Prosecutor DE)" in listing
    download = fr.get(f"/coordination/jits/{team.uid}/documents/{version.document.uid}/v1")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Cache-Control"] == "no-store"
    # encrypted at rest: the stored file does not hold the plaintext
    stored = (jit_documents.store_dir() / version.storage_name).read_bytes()
    assert b"fictional JIT agreement" not in stored and stored.startswith(b"CICNETE1")
    # audited, with ids and hashes only
    actions = list(AuditEntry.objects.filter(object_id=team.uid).values_list("action", "changes"))
    kinds = [a for a, _ in actions]
    assert "coordination.jit_document_upload" in kinds
    assert "coordination.jit_document_download" in kinds
    assert all("agreement.pdf" not in str(c) and "JIT agreement" not in str(c) for _, c in actions)


def test_a_new_version_replaces_the_document_and_keeps_the_earlier(world: World) -> None:  # noqa: F811
    team = _team(world, "de", "fr")
    de, fr = world.client("authority"), world.client("authority_fr")
    _upload(de, team)
    document = JointTeamDocument.objects.get(team=team)
    path = f"/coordination/jits/{team.uid}/documents/{document.uid}/"
    response = fr.post(
        path, {"note": "amendment 1", "file": SimpleUploadedFile("agreement-v2.pdf", PDF_V2)}
    )
    assert response.status_code == 302
    page = de.get(path).content.decode()
    assert page.count('data-testid="version-row"') == 2
    assert "e-authority_fr (Fictional Prosecutor FR)" in page and "amendment 1" in page
    rows = jit_documents.team_documents(actor=world.actors["authority"], team=team)
    assert rows[0].latest.number == 2 and rows[0].latest.filename == "agreement-v2.pdf"
    for number, content in ((1, PDF), (2, PDF_V2)):
        body = de.get(f"{path}v{number}").streaming_content  # type: ignore[attr-defined]
        assert b"".join(body) == content


def test_bad_input_names_the_field(world: World, settings: Any) -> None:  # noqa: F811
    team = _team(world, "de", "fr")
    de = world.client("authority")
    settings.CICNET_JIT_DOCUMENT_MAX_BYTES = 10_000
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"content": None}, "file", "choose the document"),
        ({"content": b""}, "file", "empty"),
        ({"content": b"%PDF-1.4" + b"z" * 20_000}, "file", "10,000 bytes"),
        ({"name": "page.html", "content": b"<html><script>x</script>"}, "file", ".html"),
        ({"name": "scan.pdf", "content": b"MZ\x90\x00 a program"}, "file", "Windows program"),
        ({"name": "notes.pdf", "content": b"plain text, not a PDF"}, "file", "its content"),
        ({"name": "sheet.docx", "content": b"not a zip container"}, "file", "its content"),
        # a web page named as a legacy Office file (Word renders it, remote references and all)
        ({"name": "minutes.doc", "content": b"<html><body>x</body></html>"}, "file", "its content"),
        ({"name": "table.xls", "content": b"<table><tr><td>1</td></tr>"}, "file", "its content"),
        ({"name": "mail.msg", "content": b"<svg onload=x>"}, "file", "its content"),
        ({"name": "plan.rtf", "content": b"<html>not rtf</html>"}, "file", "its content"),
        ({"name": "scan.tif", "content": b"GIF89a not a tiff"}, "file", "its content"),
        ({"name": "bundle.7z", "content": b"PK\x03\x04 a zip"}, "file", "its content"),
        ({"title": ""}, "title", "required"),
    ]
    for overrides, field, words in cases:
        kwargs = dict(overrides)
        content = kwargs.pop("content", PDF)
        response = _upload(de, team, content=content, **kwargs)
        assert response.status_code == 400, overrides
        body = response.content.decode()
        assert f'data-testid="error-{field}"' in body, overrides
        assert words in body, (overrides, words)
    assert not JointTeamDocument.objects.exists()
    store = jit_documents.store_dir()
    assert not store.exists() or list(store.iterdir()) == []
    # the real formats pass: an OLE compound file as .doc, a big-endian TIFF, RTF
    for name, content in (
        ("minutes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        ("scan.tiff", b"MM\x00*" + b"\x00" * 600),
        ("plan.rtf", b"{\\rtf1\\ansi fictional plan}"),
    ):
        assert _upload(de, team, content=content, name=name).status_code == 302, name
    JointTeamDocument.objects.all().delete()
    # a new version is checked the same way
    _upload(de, team)
    document = JointTeamDocument.objects.get(team=team)
    response = de.post(
        f"/coordination/jits/{team.uid}/documents/{document.uid}/",
        {"file": SimpleUploadedFile("x.exe", b"MZ program")},
    )
    assert response.status_code == 400 and "error-file" in response.content.decode()
    assert document.versions.count() == 1


def test_a_secretariat_reads_the_area_only_as_a_participant_member(world: World) -> None:  # noqa: F811
    without = _team(world, "de", "fr")
    with_eurojust = _team(world, "de", "fr", "secretariat")
    for team in (without, with_eurojust):
        _upload(world.client("authority"), team)
    secretariat = world.client("secretariat")
    assert secretariat.get(f"/coordination/jits/{with_eurojust.uid}/documents/").status_code == 200
    doc = JointTeamDocument.objects.get(team=with_eurojust)
    download = secretariat.get(f"/coordination/jits/{with_eurojust.uid}/documents/{doc.uid}/v1")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert secretariat.get(f"/coordination/jits/{without.uid}/documents/").status_code == 404
    for role in ("admin", "other_secretariat", "other_authority"):
        for team in (without, with_eurojust):
            response = world.client(role).get(f"/coordination/jits/{team.uid}/documents/")
            assert response.status_code == 404, (role, team.uid)
    assert policy.can_use_jit_documents(world.actors["secretariat"], with_eurojust)
    assert not policy.can_use_jit_documents(world.actors["admin"], with_eurojust)


def test_a_link_planted_in_the_store_or_an_altered_file_is_refused(world: World) -> None:  # noqa: F811
    team = _team(world, "de", "fr")
    de = world.client("authority")
    _upload(de, team)
    version = _version(team)
    path = jit_documents.store_dir() / version.storage_name
    url = f"/coordination/jits/{team.uid}/documents/{version.document.uid}/v1"
    original = path.read_bytes()
    # a symbolic link in place of the stored file: refused before any byte, with a message
    target = path.with_name("elsewhere")
    target.write_bytes(original)
    path.unlink()
    os.symlink(target, path)
    response = de.get(url)
    assert response.status_code == 302 and not hasattr(response, "streaming_content")
    page = de.get(response["Location"]).content.decode()
    assert "symbolic link" in page
    # an altered file fails authentication while streaming
    path.unlink()
    altered = bytearray(original)
    altered[-20] ^= 0xFF
    path.write_bytes(bytes(altered))
    response = de.get(url)
    with pytest.raises(VaultIntegrityError):
        b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_django_admin_shows_none_of_the_new_models() -> None:
    for model in (JointTeamDocument, JointTeamDocumentVersion, MeetingRequest):
        assert not admin.site.is_registered(model), model


def test_a_member_who_is_no_party_downloads_a_shared_item_with_its_custody_log(
    world: World,  # noqa: F811
) -> None:
    team = _team(world, "de", "fr", "nl")  # NL is not an addressee of the submission
    jits.item_share(
        actor=world.actors["authority_fr"],
        team=team,
        submission_uid=world.submission.uid,
        item_uid=world.open_item.uid,
    )
    url = f"/coordination/jits/{team.uid}/items/{world.open_item.uid}/download"
    nl = world.client("other_authority")
    response = nl.post(url, {"purpose": ""})
    assert response.status_code == 302
    assert "Purpose" in nl.get(response["Location"]).content.decode()
    assert "downloaded" not in [e["action"] for e in custody_entries(world.open_item)]
    response = nl.post(url, {"purpose": "analysis by the JIT's analysts"})
    assert b"".join(response.streaming_content) == OPEN_BYTES  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment")
    last = custody_entries(world.open_item)[-1]
    assert last["action"] == "downloaded" and team.uid in last["purpose"]
    assert "Fictional Prosecutor NL" in str(last)
    assert custody_check(world.open_item) == []
    for role in ("cso", "secretariat", "other_secretariat", "admin"):
        assert world.client(role).post(url, {"purpose": "x"}).status_code == 404, role
    assert world.client("anonymous").post(url, {"purpose": "x"}).status_code == 302
    # an item of the vault not shared into the team is not reachable through it
    other = f"/coordination/jits/{team.uid}/items/{world.restricted_item.uid}/download"
    assert nl.post(other, {"purpose": "x"}).status_code == 404
    assert world.client("authority").post(other, {"purpose": "x"}).status_code == 404
