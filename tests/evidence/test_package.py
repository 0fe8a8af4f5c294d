"""Export packages: written from real bytes, verified offline, and every tampering named."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cicnet.evidence.crypto import (
    RECORD_SIZE,
    EncryptedWriter,
    decrypt_records,
    new_file_key,
    public_key_pem,
)
from cicnet.evidence.custody import GENESIS, canonical_json, key_id, seal_entry
from cicnet.evidence.package import FORMAT, write_package
from cicnet.evidence.verify import main, verify_package

SRC = Path(__file__).resolve().parents[2] / "src"
KEY = Ed25519PrivateKey.generate()
PHOTO, STATEMENT, REDACTED = "EV-2026-0001-01", "EV-2026-0001-02", "EV-2026-0001-03"


def _chain(uid: str, sha256: str, actions: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    entries: list[dict[str, Any]] = []
    prev = GENESIS
    for seq, (action, details) in enumerate(
        [("created", {"sha256": sha256, "received_via": "upload"}), *actions], start=1
    ):
        entries.append(
            seal_entry(
                {
                    "item": uid,
                    "seq": seq,
                    "action": action,
                    "actor": "amina.k",
                    "organisation": "Documentation Centre",
                    "at": f"2026-02-{seq:02d}T09:30:00Z",
                    "purpose": "documentation of attacks on hospitals",
                    "details": details,
                    "prev_hash": prev,
                },
                KEY,
            )
        )
        prev = entries[-1]["entry_hash"]
    return entries


def _item(uid: str, name: str, data: bytes, custody: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "uid": uid,
        "parent": None,
        "derivation": "",
        "filename": name,
        "path": f"files/{uid}/{name}",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": "application/octet-stream",
        "metadata": {"capture_place": "Aleppo", "capture_date": "2016-11-18"},
        "custody": custody,
        **extra,
    }


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """Three items (one derived from another), their files encrypted at rest and streamed
    decrypted into the package, as the export service will do."""
    contents = {
        PHOTO: ("photo.jpg", os.urandom(2 * RECORD_SIZE + 4321)),
        STATEMENT: ("statement.pdf", b"%PDF-1.7 witness statement " * 50),
        REDACTED: ("photo-redacted.jpg", os.urandom(300_000)),
    }
    stored: dict[str, tuple[Path, bytes, int]] = {}
    for uid, (_, data) in contents.items():
        key, path = new_file_key(), tmp_path / f"{uid}.enc"
        with EncryptedWriter(path, key) as writer:
            writer.write(data)
        stored[uid] = (path, key, writer.committed[1])

    def sha(uid: str) -> str:
        return hashlib.sha256(contents[uid][1]).hexdigest()

    items = [
        _item(
            PHOTO,
            "photo.jpg",
            contents[PHOTO][1],
            _chain(
                PHOTO,
                sha(PHOTO),
                [("viewed", {}), ("derived", {"child": REDACTED}), ("exported", {})],
            ),
            media_type="image/jpeg",
        ),
        _item(
            STATEMENT,
            "statement.pdf",
            contents[STATEMENT][1],
            _chain(STATEMENT, sha(STATEMENT), [("exported", {})]),
            media_type="application/pdf",
        ),
        _item(
            REDACTED,
            "photo-redacted.jpg",
            contents[REDACTED][1],
            _chain(REDACTED, sha(REDACTED), [("exported", {})]),
            parent=PHOTO,
            derivation="faces blurred",
        ),
    ]
    manifest = {
        "created_at": "2026-03-01T12:00:00Z",
        "exported_by": "amina.k",
        "organisation": "Documentation Centre",
        "purpose": "request of the prosecutor, file 2026/17",
        "recipient": "Office of the Federal Prosecutor",
        "instance": "https://cicnet.example.org",
        "submission": {"reference": "SUB-2026-0001", "languages": ["ar", "en"]},
        "items": items,
    }

    def opener(uid: str) -> Callable[[], Iterator[bytes]]:
        path, key, records = stored[uid]
        return lambda: decrypt_records(path, key, records=records)

    out = tmp_path / "package.zip"
    write_package(
        out,
        manifest=manifest,
        files=[(item["path"], opener(item["uid"])) for item in items],
        private_key=KEY,
    )
    return out


# ------------------------------------------------------------------------------ helpers


def rewrite(
    src: Path,
    *,
    replace: dict[str, bytes | None] | None = None,
    add: dict[str, bytes] | None = None,
) -> Path:
    """A copy of the package with members replaced (None: removed) or added."""
    replace, add = replace or {}, add or {}
    dst = src.with_name(f"{src.stem}-tampered.zip")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in replace:
                new = replace[info.filename]
                if new is not None:
                    zout.writestr(info.filename, new)
            else:
                zout.writestr(info, zin.read(info))
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def manifest_of(pkg: Path) -> dict[str, Any]:
    with zipfile.ZipFile(pkg) as zf:
        result: dict[str, Any] = json.loads(zf.read("manifest.json"))
    return result


def with_manifest(pkg: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """The package with its manifest edited and rewritten (the old signature kept)."""
    manifest = manifest_of(pkg)
    edit(manifest)
    return rewrite(pkg, replace={"manifest.json": canonical_json(manifest)})


def item_of(manifest: dict[str, Any], uid: str) -> dict[str, Any]:
    return next(i for i in manifest["items"] if i["uid"] == uid)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def fails(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("FAIL ")]


# --------------------------------------------------------------------------- untouched


def test_an_untouched_package_verifies(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(package))
    assert code == 0, out
    assert fails(out) == []
    kid = key_id(KEY.public_key())
    for line in [
        "OK   zip archive readable: 7 members",
        f"OK   signing key fingerprint (key id): {kid}",
        "OK   manifest.json: signature valid",
        f"OK   {PHOTO}: manifest record signature valid",
        f"OK   {PHOTO}: files/{PHOTO}/photo.jpg: {2 * RECORD_SIZE + 4321} bytes",
        f"OK   {PHOTO}: custody chain of 4 entries valid",
        f"OK   {REDACTED}: derived from {PHOTO} (faces blurred)",
        f"OK   {STATEMENT}: SHA-256 equals the one recorded when the file was received",
        f"VERIFIED {package}: key {kid}",
    ]:
        assert line in out, line


def test_package_contents_and_manifest_format(package: Path) -> None:
    with zipfile.ZipFile(package) as zf:
        names = zf.namelist()
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        readme = zf.read("README.txt").decode()
        manifest_bytes = zf.read("manifest.json")
        signature = base64.b64decode(zf.read("manifest.sig"))
        pem = zf.read("public_key.pem").decode()
    assert names[:4] == ["README.txt", "manifest.json", "manifest.sig", "public_key.pem"]
    assert "cicnet verify-package FILE.zip" in readme
    assert "python -m cicnet.evidence.verify FILE.zip" in readme
    KEY.public_key().verify(signature, manifest_bytes)  # raises if invalid
    manifest = json.loads(manifest_bytes)
    assert canonical_json(manifest) == manifest_bytes
    kid = key_id(KEY.public_key())
    assert manifest["format"] == FORMAT
    assert manifest["signing_key_id"] == kid
    assert manifest["signing_keys"] == {kid: pem} and pem == public_key_pem(KEY)
    assert manifest["submission"]["reference"] == "SUB-2026-0001"
    photo = item_of(manifest, PHOTO)
    assert photo["custody_length"] == 4
    assert photo["custody_head"] == photo["custody"][-1]["entry_hash"]
    assert set(photo) == {
        "uid", "parent", "derivation", "filename", "path", "size", "sha256", "media_type",
        "metadata", "custody", "custody_head", "custody_length", "record_signature",
    }  # fmt: skip


def test_json_report(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(package), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["problems"] == []
    assert report["key_id"] == key_id(KEY.public_key())


def test_the_trusted_public_key_is_accepted(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pem = tmp_path / "instance.pem"
    pem.write_text(public_key_pem(KEY))
    code, out, _ = run(capsys, str(package), "--public-key", str(pem))
    assert code == 0, out
    assert "is the trusted key given with --public-key" in out


# --------------------------------------------------------------------------- tampering


def test_a_changed_byte_in_a_file_is_named(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"files/{STATEMENT}/statement.pdf"
    with zipfile.ZipFile(package) as zf:
        data = bytearray(zf.read(name))
    data[10] ^= 0x20
    code, out, _ = run(capsys, str(rewrite(package, replace={name: bytes(data)})))
    assert code == 1
    sha = hashlib.sha256(data).hexdigest()
    assert fails(out) == [
        f"FAIL {STATEMENT}: {name}: SHA-256 is {sha}, manifest says "
        f"{item_of(manifest_of(package), STATEMENT)['sha256']}"
    ]


def test_a_byte_flipped_inside_the_zip_is_named(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Changed in place, without rewriting the zip: the zip's own CRC catches it."""
    name = f"files/{REDACTED}/photo-redacted.jpg"
    with zipfile.ZipFile(package) as zf:
        info = zf.getinfo(name)
    raw = bytearray(package.read_bytes())
    raw[info.header_offset + 200 + len(name)] ^= 0xFF  # well inside the stored data
    package.write_bytes(raw)
    code, out, _ = run(capsys, str(package))
    assert code == 1
    assert fails(out)[0].startswith(f"FAIL {REDACTED}: {name}: cannot be read from the zip")


@pytest.mark.parametrize("position", ["middle", "last"])
def test_a_removed_custody_entry_is_named(
    package: Path, capsys: pytest.CaptureFixture[str], position: str
) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        del item_of(manifest, PHOTO)["custody"][1 if position == "middle" else -1]

    code, out, _ = run(capsys, str(with_manifest(package, edit)))
    assert code == 1
    problems = fails(out)
    assert problems and all(
        p.startswith(f"FAIL {PHOTO}: ") or "manifest.json" in p for p in problems
    )
    assert f"FAIL {PHOTO}: manifest record signature invalid" in out
    assert f"FAIL {PHOTO}: custody_length is 4 but the package holds 3 custody entries" in out
    if position == "middle":
        assert f"FAIL {PHOTO}: custody entry 3: prev_hash does not match entry 1's hash" in out
    else:
        assert f"FAIL {PHOTO}: custody_head does not match the last custody entry's hash" in out


def test_reordered_custody_entries_are_named(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        custody = item_of(manifest, PHOTO)["custody"]
        custody[1], custody[2] = custody[2], custody[1]

    code, out, _ = run(capsys, str(with_manifest(package, edit)))
    assert code == 1
    assert f"FAIL {PHOTO}: custody entry 3: prev_hash does not match" in out
    assert f"FAIL {PHOTO}: custody entry 2: prev_hash does not match" in out
    assert STATEMENT not in "".join(fails(out))


def test_a_changed_item_metadata_field_is_named(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        item_of(manifest, REDACTED)["metadata"]["capture_place"] = "Idlib"

    code, out, _ = run(capsys, str(with_manifest(package, edit)))
    assert code == 1
    assert fails(out) == [
        "FAIL manifest.json: signature invalid: the manifest was changed after export "
        "(or manifest.sig was made with another key)",
        f"FAIL {REDACTED}: manifest record signature invalid: a field of this item was changed "
        "after export",
    ]


def test_a_changed_top_level_field_is_caught(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["purpose"] = "general research"

    code, out, _ = run(capsys, str(with_manifest(package, edit)))
    assert code == 1
    assert fails(out) == [
        "FAIL manifest.json: signature invalid: the manifest was changed after export "
        "(or manifest.sig was made with another key)"
    ]


def test_a_consistently_changed_sha256_is_caught_by_the_created_entry(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Replacing a file and its manifest hash still leaves the hash recorded at intake."""
    name = f"files/{STATEMENT}/statement.pdf"
    forged = b"%PDF-1.7 another statement"

    def edit(manifest: dict[str, Any]) -> None:
        item = item_of(manifest, STATEMENT)
        item["sha256"], item["size"] = hashlib.sha256(forged).hexdigest(), len(forged)

    tampered = with_manifest(package, edit)
    tampered = rewrite(tampered, replace={name: forged})
    code, out, _ = run(capsys, str(tampered))
    assert code == 1
    assert f"FAIL {STATEMENT}: manifest sha256 {hashlib.sha256(forged).hexdigest()} differs" in out


def test_a_file_removed_from_the_zip_is_named(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"files/{PHOTO}/photo.jpg"
    code, out, _ = run(capsys, str(rewrite(package, replace={name: None})))
    assert code == 1
    assert fails(out) == [f"FAIL {PHOTO}: {name}: listed in the manifest but missing from the zip"]


def test_an_added_file_is_named(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(rewrite(package, add={"files/extra/note.txt": b"hi"})))
    assert code == 1
    assert fails(out) == [
        "FAIL files/extra/note.txt: in the zip but not listed in the manifest (added after export)"
    ]


def test_a_duplicate_member_name_is_named(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"files/{STATEMENT}/statement.pdf"
    with pytest.warns(UserWarning, match="Duplicate name"):
        tampered = rewrite(package, add={name: b"shadow copy"})
    code, out, _ = run(capsys, str(tampered))
    assert code == 1
    assert f"FAIL {name}: the zip holds this name more than once" in out


def test_a_manifest_signature_by_another_key_is_caught(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with zipfile.ZipFile(package) as zf:
        manifest_bytes = zf.read("manifest.json")
    other = base64.b64encode(Ed25519PrivateKey.generate().sign(manifest_bytes))
    code, out, _ = run(capsys, str(rewrite(package, replace={"manifest.sig": other})))
    assert code == 1
    assert fails(out) == [
        "FAIL manifest.json: signature invalid: the manifest was changed after export "
        "(or manifest.sig was made with another key)"
    ]


def test_a_package_resigned_by_another_key_fails_against_the_trusted_key(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A forger can re-sign a whole package with their own key: only the fingerprint
    comparison (here --public-key) tells it apart."""
    other = Ed25519PrivateKey.generate()
    pem = tmp_path / "other.pem"
    pem.write_text(public_key_pem(other))
    code, out, _ = run(capsys, str(package), "--public-key", str(pem))
    assert code == 1
    assert fails(out) == [
        f"FAIL manifest.json: signed by key {key_id(KEY.public_key())}, not by the trusted key "
        f"{key_id(other.public_key())} given with --public-key"
    ]
    assert "VERIFIED" not in out.replace("NOT VERIFIED", "")


def test_a_missing_manifest_is_named(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(rewrite(package, replace={"manifest.json": None})))
    assert code == 1
    assert "FAIL manifest.json: missing from the package" in out


# ------------------------------------------------------------------------- unusable input


def test_a_file_that_is_not_a_zip_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "not-a-package.zip"
    bogus.write_text("hello")
    code, out, err = run(capsys, str(bogus))
    assert code == 2 and out == ""
    assert f"{bogus}: not a readable zip file" in err


def test_a_missing_file_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, str(tmp_path / "nowhere.zip"))
    assert code == 2 and "nowhere.zip: no such file" in err


def test_an_unusable_trusted_key_exits_2(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pem = tmp_path / "key.pem"
    pem.write_text("not a key")
    code, _, err = run(capsys, str(package), "--public-key", str(pem))
    assert code == 2 and "trusted public key is not usable" in err


# ------------------------------------------------------------------------------ writing


def test_write_package_refuses_a_file_that_does_not_match_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    data = b"original"
    item = _item(PHOTO, "a.bin", data, _chain(PHOTO, hashlib.sha256(data).hexdigest(), []))
    out = tmp_path / "p.zip"
    with pytest.raises(ValueError, match=f"item {PHOTO}: files/{PHOTO}/a.bin streamed 7 bytes"):
        write_package(
            out,
            manifest={"items": [item]},
            files=[(item["path"], lambda: iter([b"changed"]))],
            private_key=KEY,
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "path, message", [("../evil", "not a safe relative name"), ("manifest.json", "not a safe")]
)
def test_write_package_refuses_unsafe_paths(tmp_path: Path, path: str, message: str) -> None:
    item = _item(PHOTO, "a.bin", b"x", [], path=path)
    with pytest.raises(ValueError, match=message):
        write_package(tmp_path / "p.zip", manifest={"items": [item]}, files=[], private_key=KEY)


def test_write_package_refuses_a_missing_file(tmp_path: Path) -> None:
    item = _item(PHOTO, "a.bin", b"x", [])
    with pytest.raises(ValueError, match=f"no file given for item\\(s\\) {PHOTO}"):
        write_package(tmp_path / "p.zip", manifest={"items": [item]}, files=[], private_key=KEY)
    assert not (tmp_path / "p.zip").exists()


def test_write_package_does_not_change_the_callers_manifest(tmp_path: Path) -> None:
    """Also: a parent that was not exported is a note, not a problem."""
    data = b"x"
    item = _item(PHOTO, "a.bin", data, _chain(PHOTO, hashlib.sha256(data).hexdigest(), []))
    item["parent"] = "EV-2026-0000-01"
    manifest = {"items": [item]}
    before = json.dumps(manifest, sort_keys=True)
    write_package(
        tmp_path / "p.zip",
        manifest=manifest,
        files=[(item["path"], lambda: iter([data]))],
        private_key=KEY,
    )
    assert json.dumps(manifest, sort_keys=True) == before
    report = verify_package(tmp_path / "p.zip")
    assert report.ok, report.problems
    assert f"note: {PHOTO}: derived from EV-2026-0000-01, which is not in this package" in (
        report.checks
    )


# ----------------------------------------------------------------------- no Django needed


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


def test_the_verifier_imports_no_django(package: Path) -> None:
    code = (
        "import sys; sys.modules['django'] = None\n"
        "from cicnet.evidence.verify import main\n"
        "status = main([sys.argv[1]])\n"
        "assert not [m for m in sys.modules if m.startswith('django') and sys.modules[m]]\n"
        "raise SystemExit(status)"
    )
    result = subprocess.run(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-c", code, str(package)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VERIFIED" in result.stdout


@pytest.mark.parametrize("how", [["-m", "cicnet"], ["-m", "cicnet.evidence.verify"]])
def test_cicnet_verify_package_needs_no_settings(
    package: Path, tmp_path: Path, how: list[str]
) -> None:
    args = [sys.executable, *how]
    if how[-1] == "cicnet":
        args.append("verify-package")
    tampered = with_manifest(package, lambda m: m.update(purpose="changed"))
    for path, expected in [(package, 0), (tampered, 1), (tmp_path / "none.zip", 2)]:
        result = subprocess.run(  # noqa: S603 -- our own interpreter and module
            [*args, str(path)],
            capture_output=True,
            text=True,
            env=_env(DJANGO_SETTINGS_MODULE="no_such_settings_module"),
            cwd=tmp_path,
            timeout=120,
        )
        assert result.returncode == expected, result.stdout + result.stderr
    assert "none.zip: no such file" in result.stderr
