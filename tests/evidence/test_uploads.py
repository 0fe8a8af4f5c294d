"""Evidence files through the HTTP upload path: chunked and resumable, hashed on both ends,
encrypted at rest, write-once; every bad input refused with a message naming what to fix and
nothing half-written left behind."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cicnet.evidence.models import CustodyEntry, EvidenceItem, Upload

from .conftest import World

pytestmark = pytest.mark.django_db

FORM = {
    "description": "Fictional video of a checkpoint.",
    "handling_code": "unrestricted",
    "source_reliability": "B",
    "information_reliability": "2",
    "capture_place": "Fictional crossing",
}


def _start(client: Client, uid: str, name: str, size: int, **extra: Any) -> Any:
    return client.post(
        f"/cooperation/{uid}/uploads/", {**FORM, "filename": name, "size": size, **extra}
    )


def _put(client: Client, upload_id: str, offset: int, data: bytes) -> Any:
    return client.put(
        f"/cooperation/uploads/{upload_id}/?offset={offset}",
        data=data,
        content_type="application/octet-stream",
    )


def _leftovers(settings: Any) -> list[Path]:
    root = Path(settings.CICNET_EVIDENCE_DIR) / "uploads"
    return sorted(root.glob("*")) if root.exists() else []


def _draft_client(world: World) -> tuple[Client, str]:
    return world.client("cso"), world.draft.uid


def test_chunked_upload_resumes_and_becomes_an_item(world: World, settings: Any) -> None:
    settings.CICNET_EVIDENCE_CHUNK_BYTES = 64 * 1024
    client, uid = _draft_client(world)
    content = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 1000  # 256 kB "video"
    started = _start(client, uid, "checkpoint.mp4", len(content))
    assert started.status_code == 201, started.content
    upload_id = started.json()["upload_id"]
    chunk = started.json()["chunk_bytes"]
    assert chunk == 64 * 1024
    assert _put(client, upload_id, 0, content[:chunk]).json() == {"received": chunk}
    # A chunk for the wrong offset: refused with where to resume.
    wrong = _put(client, upload_id, 2 * chunk, content[2 * chunk : 3 * chunk])
    assert wrong.status_code == 409 and wrong.json()["received"] == chunk
    assert "offset" in wrong.json()["error"]
    # The client asks where to resume, then sends the rest.
    assert client.get(f"/cooperation/uploads/{upload_id}/").json()["received"] == chunk
    offset = chunk
    while offset < len(content):
        offset = _put(client, upload_id, offset, content[offset : offset + chunk]).json()[
            "received"
        ]
    done = client.post(
        f"/cooperation/{uid}/uploads/{upload_id}/complete",
        {"sha256": hashlib.sha256(content).hexdigest()},
    )
    assert done.status_code == 201, done.content
    item = EvidenceItem.objects.get(uid=done.json()["uid"])
    assert item.sha256 == hashlib.sha256(content).hexdigest() and item.size == len(content)
    assert item.media_type == "video/mp4"
    assert item.capture_place == "Fictional crossing" and item.source_reliability == "B"
    created = CustodyEntry.objects.get(item=item, seq=1)
    assert created.action == "created" and created.details["sha256"] == item.sha256
    assert not Upload.objects.exists() and _leftovers(settings) == []
    # Encrypted at rest: the stored file does not hold the plaintext.
    stored = (Path(settings.CICNET_EVIDENCE_DIR) / "vault" / item.storage_name).read_bytes()
    assert bytes(range(256)) * 4 not in stored and b"ftypmp42" not in stored
    # And it comes back exactly, as a download.
    page = client.post(f"/cooperation/{uid}/items/{item.uid}/download", {"purpose": "check"})
    assert b"".join(page.streaming_content) == content


def test_wrong_hash_is_refused_and_nothing_is_kept(world: World, settings: Any) -> None:
    client, uid = _draft_client(world)
    content = b"\xff\xd8\xff photo " * 100
    upload_id = _start(client, uid, "a.jpg", len(content)).json()["upload_id"]
    _put(client, upload_id, 0, content)
    response = client.post(f"/cooperation/{uid}/uploads/{upload_id}/complete", {"sha256": "0" * 64})
    assert response.status_code == 400
    message = response.json()["error"]
    assert message.startswith(
        "sha256: a.jpg arrived with SHA-256 " + hashlib.sha256(content).hexdigest()
    )
    assert "discarded" in message
    assert not Upload.objects.exists() and _leftovers(settings) == []
    assert not EvidenceItem.objects.filter(submission=world.draft).exists()
    malformed = _start(client, uid, "b.jpg", 3).json()["upload_id"]
    _put(client, malformed, 0, b"\xff\xd8\xff")
    bad = client.post(f"/cooperation/{uid}/uploads/{malformed}/complete", {"sha256": "xyz"})
    assert bad.status_code == 400 and bad.json()["field"] == "sha256"


def test_incomplete_upload_cannot_complete_and_can_be_discarded(
    world: World, settings: Any
) -> None:
    client, uid = _draft_client(world)
    content = b"\xff\xd8\xff" + b"x" * 5000
    upload_id = _start(client, uid, "c.jpg", len(content)).json()["upload_id"]
    _put(client, upload_id, 0, content[:1000])
    early = client.post(
        f"/cooperation/{uid}/uploads/{upload_id}/complete",
        {"sha256": hashlib.sha256(content).hexdigest()},
    )
    assert early.status_code == 409 and early.json()["received"] == 1000
    assert "incomplete (1,000 of 5,003 bytes)" in early.json()["error"]
    assert client.delete(f"/cooperation/uploads/{upload_id}/").json() == {"discarded": True}
    assert not Upload.objects.exists() and _leftovers(settings) == []


def test_size_limit_is_checked_before_any_byte(world: World, settings: Any) -> None:
    settings.CICNET_EVIDENCE_MAX_BYTES = 1000
    client, uid = _draft_client(world)
    response = _start(client, uid, "big.mp4", 1001)
    assert response.status_code == 400
    assert response.json()["error"].startswith(
        "size: big.mp4 is 1,001 bytes; this vault accepts files up to 1,000"
    )
    assert not Upload.objects.exists()
    # Bytes beyond the declared size are refused too.
    upload_id = _start(client, uid, "small.jpg", 10).json()["upload_id"]
    over = _put(client, upload_id, 0, b"\xff\xd8\xff" + b"z" * 20)
    assert over.status_code == 400 and "declared as 10 bytes" in over.json()["error"]
    # And a chunk over the per-request limit.
    settings.CICNET_EVIDENCE_CHUNK_BYTES = 8
    assert _put(client, upload_id, 0, b"\xff\xd8\xff" + b"z" * 7).status_code == 413


@pytest.mark.parametrize(
    ("name", "head", "what"),
    [
        ("holiday.jpg", b"MZ\x90\x00\x03\x00\x00\x00", "a Windows program"),
        ("report.pdf", b"\x7fELF\x02\x01\x01\x00", "a Linux program (ELF)"),
        ("notes.txt", b"#!/bin/sh\nrm -rf /\n", "a script with an interpreter line"),
    ],
)
def test_disguised_executable_is_refused(
    world: World, settings: Any, name: str, head: bytes, what: str
) -> None:
    client, uid = _draft_client(world)
    content = head + b"\x00" * 100
    upload_id = _start(client, uid, name, len(content)).json()["upload_id"]
    response = _put(client, upload_id, 0, content)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith(f"file: {name}: the content is {what}") and "disguised" in error
    assert not Upload.objects.exists() and _leftovers(settings) == []


def test_an_executable_named_as_one_is_accepted(world: World) -> None:
    client, uid = _draft_client(world)
    content = b"MZ\x90\x00" + b"\x00" * 100
    upload_id = _start(client, uid, "dropper.exe", len(content)).json()["upload_id"]
    assert _put(client, upload_id, 0, content).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("handling_code", "share-with-everyone", "handling_code: Select a valid choice"),
        ("description", "", "description: This field is required"),
        ("source_reliability", "Z", "source_reliability: Select a valid choice"),
        ("parent", "EV-NOTHERE", "parent: EV-NOTHERE is not an item of this submission"),
        ("related", "EV-NOTHERE", "related: not items of this submission: EV-NOTHERE"),
        ("derivation", "photoshopped", "derivation: Select a valid choice"),
    ],
)
def test_bad_metadata_is_named(world: World, field: str, value: str, expected: str) -> None:
    client, uid = _draft_client(world)
    response = _start(client, uid, "e.jpg", 10, **{field: value})
    assert response.status_code == 400
    assert response.json()["error"].startswith(expected), response.json()
    assert not Upload.objects.exists()


def test_someone_elses_upload_cannot_be_continued(world: World) -> None:
    client, uid = _draft_client(world)
    upload_id = _start(client, uid, "f.jpg", 10).json()["upload_id"]
    colleague = world.client("cso_colleague")
    assert _put(colleague, upload_id, 0, b"\xff\xd8\xff" + b"0" * 7).status_code == 404
    assert colleague.get(f"/cooperation/uploads/{upload_id}/").status_code == 404
    assert colleague.delete(f"/cooperation/uploads/{upload_id}/").status_code == 404
    assert Upload.objects.filter(upload_id=upload_id).exists()


def test_items_are_write_once(world: World) -> None:
    item = world.open_item
    item.description = "changed"
    with pytest.raises(ValueError, match="write-once"):
        item.save()
    with pytest.raises(ValueError, match="write-once"):
        item.delete()
    entry = CustodyEntry.objects.filter(item=item).first()
    assert entry is not None
    entry.purpose = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_derived_item_points_to_its_parent_and_both_logs_say_so(world: World) -> None:
    client = world.client("authority")
    uid = world.submission.uid
    content = b"\xff\xd8\xff redacted " * 50
    no_parent = _start(client, uid, "redacted.jpg", len(content))
    assert no_parent.status_code == 400 and no_parent.json()["field"] == "parent"
    no_kind = _start(client, uid, "redacted.jpg", len(content), parent=world.open_item.uid)
    assert no_kind.status_code == 400 and no_kind.json()["field"] == "derivation"
    started = _start(
        client,
        uid,
        "redacted.jpg",
        len(content),
        parent=world.open_item.uid,
        derivation="redaction",
    )
    assert started.status_code == 201, started.content
    upload_id = started.json()["upload_id"]
    _put(client, upload_id, 0, content)
    done = client.post(
        f"/cooperation/{uid}/uploads/{upload_id}/complete",
        {"sha256": hashlib.sha256(content).hexdigest()},
    )
    assert done.status_code == 201, done.content
    child = EvidenceItem.objects.get(uid=done.json()["uid"])
    assert child.parent == world.open_item and child.derivation == "redaction"
    assert child.sha256 != world.open_item.sha256
    derived = CustodyEntry.objects.get(item=world.open_item, action="derived")
    assert derived.details["child"] == child.uid
    assert derived.details["child_sha256"] == child.sha256
    created = CustodyEntry.objects.get(item=child, action="created")
    assert created.details["parent_sha256"] == world.open_item.sha256
