"""Writing an evidence export package: a zip that a third party verifies offline.

Pure (no Django, no settings): the caller gathers the manifest and decrypting file streams.
The package holds ``README.txt``, ``manifest.json`` (canonical JSON, format
``cicnet-evidence-package/1``), ``manifest.sig`` (base64 Ed25519 signature of the exact
manifest bytes), ``public_key.pem`` and every item's plaintext file at its ``path``. Each item
also carries a ``record_signature`` over its own canonical JSON, so that a verifier can say
*which* item was altered, not only that the manifest was. ``cicnet.evidence.verify`` checks it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .custody import canonical_json, key_id, sign_b64

FORMAT = "cicnet-evidence-package/1"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PUBLIC_KEY_NAME = "public_key.pem"
README_NAME = "README.txt"
RESERVED_NAMES = frozenset({MANIFEST_NAME, SIGNATURE_NAME, PUBLIC_KEY_NAME, README_NAME})
RECORD_SIGNATURE = "record_signature"

README_TEXT = """\
cicnet evidence package ({format})

This archive holds evidence files exported from a cicnet instance, their chain of custody and
a manifest signed with the instance's Ed25519 key.

To verify it (offline; no database, account or network needed):

    cicnet verify-package FILE.zip
    python -m cicnet.evidence.verify FILE.zip
    cicnet verify-package FILE.zip --public-key INSTANCE_KEY.pem

The verifier checks the manifest signature, each item's record signature, the size and SHA-256
of every file, and every custody chain, and names the item, file or custody entry that fails.

A valid package proves that nothing changed since the holder of the signing key exported it.
It does not prove who that holder is: compare the signing key fingerprint the verifier prints
(here {key_id}) with the fingerprint the instance publishes, obtained by another channel, or
pass that key with --public-key.

manifest.json   items, their metadata and custody entries (canonical JSON)
manifest.sig    base64 Ed25519 signature of the exact bytes of manifest.json
public_key.pem  the signing key's public half
files/...       the evidence files as submitted (decrypted)
"""


def _safe_arcname(name: str, uid: str) -> str:
    """Refuse names a zip tool could extract outside its folder or that clash with ours."""
    posix = PurePosixPath(name)
    if (
        not name
        or name in RESERVED_NAMES
        or posix.is_absolute()
        or "\\" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise ValueError(f"item {uid}: path {name!r} is not a safe relative name inside the zip")
    return name


def _zipinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16  # readable files when extracted
    return info


def prepare_manifest(manifest: Mapping[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """The manifest exactly as it will be written: format and signing keys filled in, each item
    given ``custody_head``/``custody_length`` when missing and a fresh ``record_signature``.

    Raises ``ValueError`` when the manifest names another format or signing key, or an item
    lacks ``uid``/``path`` or repeats one.
    """
    # A JSON round trip so that what is signed is what a verifier parses back.
    out: dict[str, Any] = json.loads(canonical_json(dict(manifest)))
    public = private_key.public_key()
    kid = key_id(public)
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    if out.setdefault("format", FORMAT) != FORMAT:
        raise ValueError(f"manifest format {out['format']!r}: this writer makes {FORMAT}")
    if out.setdefault("signing_key_id", kid) != kid:
        raise ValueError(
            f"manifest signing_key_id {out['signing_key_id']!r} is not the key it is signed with "
            f"({kid})"
        )
    keys = out.setdefault("signing_keys", {})
    if not isinstance(keys, dict):
        raise ValueError("manifest signing_keys must be a dict of key id to PEM")
    keys[kid] = pem
    items = out.get("items")
    if not isinstance(items, list):
        raise ValueError("manifest items must be a list")
    uids: set[str] = set()
    paths: set[str] = set()
    for item in items:
        uid = item.get("uid") if isinstance(item, dict) else None
        if not isinstance(uid, str) or not uid:
            raise ValueError(f"manifest item without a uid: {str(item)[:80]}")
        if uid in uids:
            raise ValueError(f"manifest item {uid} appears twice")
        uids.add(uid)
        path = _safe_arcname(str(item.get("path", "")), uid)
        if path in paths:
            raise ValueError(f"item {uid}: path {path} is used by another item")
        paths.add(path)
        custody = item.get("custody") or []
        item.setdefault("custody_length", len(custody))
        if custody and isinstance(custody[-1], dict):
            item.setdefault("custody_head", custody[-1].get("entry_hash"))
        item.pop(RECORD_SIGNATURE, None)
        item[RECORD_SIGNATURE] = sign_b64(private_key, canonical_json(item))
    return out


def write_package(
    out_path: Path,
    *,
    manifest: Mapping[str, Any],
    files: Iterable[tuple[str, Callable[[], Iterator[bytes]]]],
    private_key: Ed25519PrivateKey,
) -> None:
    """Write the package zip to ``out_path`` atomically (temp file in the same folder, renamed).

    ``manifest`` has ``items`` (and the top-level fields of the format); it is not modified.
    ``files`` yields ``(arcname, opener)`` for every item, where ``opener()`` streams the
    plaintext; each file is streamed into the zip (no file is held in memory) while its size and
    SHA-256 are compared with the item's, so a package that would not verify is never written.
    Raises ``ValueError`` naming the item on a mismatch, an unlisted or missing file; on any
    error nothing is left at ``out_path``.
    """
    prepared = prepare_manifest(manifest, private_key)
    by_path = {item["path"]: item for item in prepared["items"]}
    manifest_bytes = canonical_json(prepared)
    signature = sign_b64(private_key, manifest_bytes) + "\n"
    kid = prepared["signing_key_id"]
    out_path = Path(out_path)
    fd, tmp_name = tempfile.mkstemp(
        dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".part"
    )
    try:
        with os.fdopen(fd, "w+b") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr(_zipinfo(README_NAME), README_TEXT.format(format=FORMAT, key_id=kid))
            zf.writestr(_zipinfo(MANIFEST_NAME), manifest_bytes)
            zf.writestr(_zipinfo(SIGNATURE_NAME), signature)
            zf.writestr(_zipinfo(PUBLIC_KEY_NAME), prepared["signing_keys"][kid])
            written: set[str] = set()
            for arcname, opener in files:
                item = by_path.get(arcname)
                if item is None:
                    raise ValueError(f"file {arcname!r} is not the path of any manifest item")
                if arcname in written:
                    raise ValueError(f"item {item['uid']}: file {arcname} given twice")
                written.add(arcname)
                digest, size = hashlib.sha256(), 0
                with zf.open(_zipinfo(arcname), "w", force_zip64=True) as dst:
                    for chunk in opener():
                        dst.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                if size != item.get("size") or digest.hexdigest() != item.get("sha256"):
                    raise ValueError(
                        f"item {item['uid']}: {arcname} streamed {size} bytes with SHA-256 "
                        f"{digest.hexdigest()}; the manifest says {item.get('size')} bytes, "
                        f"{item.get('sha256')} (stored file damaged?)"
                    )
            missing = sorted(set(by_path) - written)
            if missing:
                raise ValueError(
                    f"no file given for item(s) {', '.join(by_path[p]['uid'] for p in missing)}"
                )
            zf.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp_name, 0o600)  # an export is as sensitive as the evidence in it
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
