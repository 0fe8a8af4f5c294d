"""End to end: a package exported from the database (command and page) verifies with the
standalone verifier; tampering with it is caught naming the item; handling codes decide what
may go to a third party; the operator commands (check, rotate-keys, purge-uploads,
public-key)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cicnet.evidence import crypto, uploads
from cicnet.evidence.models import CustodyEntry, EvidenceItem, Upload

from .conftest import OPEN_BYTES, RESTRICTED_BYTES, World

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src"


def _verify(path: Path) -> subprocess.CompletedProcess[str]:
    """``cicnet verify-package`` in a fresh process with no Django settings and no database."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "no.such.settings"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603  # our own command, fixed arguments
        [sys.executable, "-m", "cicnet", "verify-package", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _export(world: World, out: Path, role: str = "authority", **extra: Any) -> str:
    stdout = io.StringIO()
    args = [
        "evidence",
        "export",
        world.submission.uid,
        "--out",
        str(out),
        "--as",
        world.users[role].username,
        "--purpose",
        "case file 2026/17",
    ]
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}"] + ([] if value is True else [value])
    call_command(*args, stdout=stdout)
    return stdout.getvalue()


def test_exported_package_verifies_offline_and_records_the_export(
    world: World, tmp_path: Path
) -> None:
    out = tmp_path / "package.zip"
    printed = _export(world, out)
    assert f"wrote {out}: 2 item(s), signed" in printed
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read(manifest["items"][0]["path"]) in (OPEN_BYTES, RESTRICTED_BYTES)
    assert manifest["exported_by"] == "e-authority" and manifest["recipient"] == ""
    assert manifest["submission"]["uid"] == world.submission.uid
    assert {i["uid"] for i in manifest["items"]} == {world.open_item.uid, world.restricted_item.uid}
    for item in manifest["items"]:
        assert item["custody"][-1]["action"] == "exported"
        assert item["metadata"]["handling_code"] in ("unrestricted", "no_onward_sharing")
    assert CustodyEntry.objects.filter(action="exported").count() == 2
    result = _verify(out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VERIFIED" in result.stdout and world.open_item.uid in result.stdout


def test_a_changed_byte_in_an_exported_file_names_the_item(world: World, tmp_path: Path) -> None:
    out = tmp_path / "package.zip"
    _export(world, out)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("school.jpg"):
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            dst.writestr(info.filename, data)
    result = _verify(tampered)
    assert result.returncode == 1
    assert any(
        line.startswith("FAIL") and world.open_item.uid in line and "SHA-256" in line
        for line in result.stdout.splitlines()
    ), result.stdout


def test_third_party_export_respects_handling_codes(world: World, tmp_path: Path) -> None:
    out = tmp_path / "third.zip"
    with pytest.raises(
        CommandError,
        match=f"recipient: {world.restricted_item.uid} \\(witnesses.pdf\\) may not be passed",
    ):
        _export(world, out, recipient="Fictional Prosecutor BE")
    assert not out.exists()
    assert not CustodyEntry.objects.filter(action="exported").exists()
    printed = _export(world, out, recipient="Fictional Prosecutor BE", exclude_restricted=True)
    assert "1 item(s)" in printed
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert [i["uid"] for i in manifest["items"]] == [world.open_item.uid]
    assert manifest["recipient"] == "Fictional Prosecutor BE"
    assert not CustodyEntry.objects.filter(item=world.restricted_item, action="exported").exists()


@pytest.mark.parametrize("role", ["secretariat", "admin", "other_authority", "other_cso"])
def test_only_parties_export(world: World, tmp_path: Path, role: str) -> None:
    with pytest.raises(CommandError, match="is not a party"):
        _export(world, tmp_path / "x.zip", role=role)
    assert not (tmp_path / "x.zip").exists()


def test_export_from_the_page_is_a_signed_zip_download(world: World, tmp_path: Path) -> None:
    response = world.client("cso").post(
        f"/cooperation/{world.submission.uid}/export", {"purpose": "our archive"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    out = tmp_path / "page.zip"
    out.write_bytes(b"".join(response.streaming_content))
    assert _verify(out).returncode == 0
    leftovers = [p for p in (Path(uploads.evidence_dir())).glob("cicnet-export-*")]
    assert leftovers == []
    refused = world.client("cso").post(
        f"/cooperation/{world.submission.uid}/export",
        {"purpose": "x", "recipient": "a journalist"},
        follow=True,
    )
    assert "may not be passed to a third party" in refused.content.decode().replace("&#x27;", "'")


def test_check_and_key_rotation(world: World, settings: Any) -> None:
    out = io.StringIO()
    call_command("evidence", "check", stdout=out)
    assert "checked 2 item(s): 0 problem(s)" in out.getvalue()
    old = crypto.kek_ring()
    new_key = "knew:" + __import__("base64").b64encode(b"k" * 32).decode()
    old_keys = ",".join(
        f"{kid}:{__import__('base64').b64encode(key).decode()}" for kid, key in old.keys.items()
    )
    settings.CICNET_EVIDENCE_KEYS = f"{new_key},{old_keys}"
    out = io.StringIO()
    call_command("evidence", "rotate-keys", stdout=out)
    assert "re-wrapped 2 file key(s) with knew" in out.getvalue()
    assert set(EvidenceItem.objects.values_list("kek_id", flat=True)) == {"knew"}
    # Only the new key left: the files still decrypt.
    settings.CICNET_EVIDENCE_KEYS = new_key
    item = EvidenceItem.objects.get(pk=world.open_item.pk)
    assert b"".join(uploads.item_plaintext(item)) == OPEN_BYTES


def test_check_reports_a_damaged_stored_file(world: World) -> None:
    path = uploads.item_path(world.open_item)
    data = bytearray(path.read_bytes())
    data[-5] ^= 1
    path.write_bytes(bytes(data))
    out = io.StringIO()
    with pytest.raises(CommandError, match="does not verify"):
        call_command("evidence", "check", stdout=out)
    assert f"FAIL {world.open_item.uid}: stored file" in out.getvalue()


def test_purge_removes_abandoned_uploads(world: World) -> None:
    ctx = world.context("cso", world.draft)
    from .conftest import metadata

    upload = uploads.upload_start(
        actor=world.actors["cso"], context=ctx, filename="x.jpg", size=10, metadata=metadata()
    )
    Upload.objects.filter(pk=upload.pk).update(updated_at=timezone.now() - dt.timedelta(hours=72))
    out = io.StringIO()
    call_command("evidence", "purge-uploads", stdout=out)
    assert "removed 1 upload(s)" in out.getvalue()
    assert not Upload.objects.exists()
    assert list((Path(uploads.evidence_dir()) / "uploads").glob("*")) == []


def test_public_key_prints_the_fingerprint_packages_carry(world: World, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("evidence", "public-key", stdout=out)
    fingerprint = out.getvalue().strip().splitlines()[-1].split(": ")[1]
    _export(world, tmp_path / "p.zip")
    with zipfile.ZipFile(tmp_path / "p.zip") as zf:
        assert json.loads(zf.read("manifest.json"))["signing_key_id"] == fingerprint
