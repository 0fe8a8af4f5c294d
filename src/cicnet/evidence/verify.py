"""Verify an evidence export package offline: ``cicnet verify-package FILE.zip``.

Standalone on purpose: it imports only the standard library, ``cryptography`` and
``cicnet.evidence.custody`` — no Django, no settings, no database, no network — so a court, a
prosecutor or a journalist can run it on a machine that has never seen the instance
(``python -m cicnet.evidence.verify FILE.zip``). Every problem names the item, file or custody
entry and why it fails.

What "OK" means: nothing in the package changed since the holder of the signing key exported
it. Who that holder is must be settled out of band: compare the printed key fingerprint with the
one the instance publishes, or pass that key with ``--public-key``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cicnet.evidence.custody import (
    canonical_forms,
    key_id,
    load_public_key_pem,
    verify_b64,
    verify_chain,
)

# Kept in step with cicnet.evidence.package, which this module must not import (it may grow
# dependencies the standalone verifier should not carry).
FORMAT = "cicnet-evidence-package/1"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PUBLIC_KEY_NAME = "public_key.pem"
README_NAME = "README.txt"
RECORD_SIGNATURE = "record_signature"
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
NOTE = "note: "

_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
)


class PackageUnusableError(Exception):
    """The input cannot be checked at all (missing, not a zip, unreadable trusted key)."""


@dataclass
class Report:
    """What was checked (``checks``, lines for printing; lines starting ``"note: "`` are
    remarks, not passes) and what failed (``problems``; empty means verified)."""

    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    key_id: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit} bytes")
    return data


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class _Verifier:
    """One verification run; methods add to ``report`` and never raise on bad content."""

    def __init__(self, zf: zipfile.ZipFile, trusted: Ed25519PublicKey | None) -> None:
        self.zf = zf
        self.trusted = trusted
        self.report = Report()
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.keys: dict[str, Ed25519PublicKey] = {}

    def ok(self, line: str) -> None:
        self.report.checks.append(line)

    def fail(self, line: str) -> None:
        self.report.problems.append(line)

    def run(self) -> Report:
        self.index_members()
        manifest_bytes, manifest = self.read_manifest()
        if manifest is None or manifest_bytes is None:
            return self.report
        signing_key = self.check_keys(manifest)
        if signing_key is not None:
            self.check_manifest_signature(manifest_bytes, signing_key)
        self.check_items(manifest, signing_key)
        return self.report

    def index_members(self) -> None:
        infos = self.zf.infolist()
        for info in infos:
            if info.filename in self.members:
                self.fail(
                    f"{info.filename}: the zip holds this name more than once (one copy could "
                    "hide another); a package never does"
                )
            else:
                self.members[info.filename] = info
        self.ok(f"zip archive readable: {len(infos)} members")

    def read_manifest(self) -> tuple[bytes | None, dict[str, Any] | None]:
        info = self.members.get(MANIFEST_NAME)
        if info is None:
            self.fail(f"{MANIFEST_NAME}: missing from the package; nothing else can be checked")
            return None, None
        if SIGNATURE_NAME not in self.members:
            self.fail(f"{SIGNATURE_NAME}: missing; the manifest cannot be authenticated")
        try:
            data = _read_member(self.zf, info, MANIFEST_MAX_BYTES)
            manifest = json.loads(
                data.decode("utf-8"),
                object_pairs_hook=_no_duplicate_keys,
                parse_constant=_reject_constant,
            )
        except (*_READ_ERRORS, ValueError) as exc:
            self.fail(f"{MANIFEST_NAME}: cannot be read as JSON: {exc}")
            return None, None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            found = manifest.get("format") if isinstance(manifest, dict) else type(manifest)
            self.fail(f"{MANIFEST_NAME}: format is {found!r}; this verifier reads {FORMAT}")
            return None, None
        self.ok(f"{MANIFEST_NAME} present and parses (format {FORMAT})")
        return data, manifest

    def check_keys(self, manifest: dict[str, Any]) -> Ed25519PublicKey | None:
        """Load ``signing_keys`` (each must hash to its id) and pick the manifest's key."""
        listed = manifest.get("signing_keys")
        if not isinstance(listed, dict):
            self.fail(f"{MANIFEST_NAME}: signing_keys is missing or not an object")
            listed = {}
        for kid, pem in listed.items():
            try:
                public = load_public_key_pem(str(pem))
            except ValueError as exc:
                self.fail(f"{MANIFEST_NAME}: signing key {kid}: not a usable Ed25519 key ({exc})")
                continue
            if key_id(public) != kid:
                self.fail(
                    f"{MANIFEST_NAME}: signing key listed as {kid} has fingerprint "
                    f"{key_id(public)}; a key is always listed under its own fingerprint"
                )
                continue
            self.keys[kid] = public
        kid = manifest.get("signing_key_id")
        signing_key = self.keys.get(kid) if isinstance(kid, str) else None
        if signing_key is None:
            self.fail(f"{MANIFEST_NAME}: signing_key_id {kid!r} is not among its signing_keys")
            return None
        self.report.key_id = kid
        self.ok(
            f"signing key fingerprint (key id): {kid}; compare it with the fingerprint the "
            "instance publishes"
        )
        if self.trusted is not None:
            if key_id(self.trusted) != kid:
                self.fail(
                    f"{MANIFEST_NAME}: signed by key {kid}, not by the trusted key "
                    f"{key_id(self.trusted)} given with --public-key"
                )
            else:
                self.ok(f"signing key {kid} is the trusted key given with --public-key")
        pem_info = self.members.get(PUBLIC_KEY_NAME)
        if pem_info is None:
            self.fail(f"{PUBLIC_KEY_NAME}: missing from the package")
        else:
            try:
                included = load_public_key_pem(_read_member(self.zf, pem_info, 64 * 1024))
            except (*_READ_ERRORS, ValueError) as exc:
                self.fail(f"{PUBLIC_KEY_NAME}: not a usable Ed25519 key ({exc})")
            else:
                if key_id(included) != kid:
                    self.fail(
                        f"{PUBLIC_KEY_NAME}: key {key_id(included)} is not the manifest's "
                        f"signing key {kid}"
                    )
        return signing_key

    def check_manifest_signature(self, data: bytes, signing_key: Ed25519PublicKey) -> None:
        info = self.members.get(SIGNATURE_NAME)
        if info is None:
            return  # already reported
        try:
            signature = _read_member(self.zf, info, 64 * 1024).decode("ascii").strip()
        except (*_READ_ERRORS, ValueError) as exc:
            self.fail(f"{SIGNATURE_NAME}: unreadable ({exc})")
            return
        if verify_b64(signing_key, signature, data):
            self.ok(
                f"{MANIFEST_NAME}: signature valid ({SIGNATURE_NAME}, key {key_id(signing_key)})"
            )
        else:
            self.fail(
                f"{MANIFEST_NAME}: signature invalid: the manifest was changed after export "
                f"(or {SIGNATURE_NAME} was made with another key)"
            )

    def check_items(self, manifest: dict[str, Any], signing_key: Ed25519PublicKey | None) -> None:
        items = manifest.get("items")
        if not isinstance(items, list):
            self.fail(f"{MANIFEST_NAME}: items is missing or not a list")
            return
        self.ok(f"{MANIFEST_NAME}: {len(items)} items listed")
        uids = {i.get("uid") for i in items if isinstance(i, dict)}
        seen_uids: set[str] = set()
        claimed: dict[str, str] = {}
        for position, item in enumerate(items, start=1):
            uid = item.get("uid") if isinstance(item, dict) else None
            if not isinstance(item, dict) or not isinstance(uid, str) or not uid:
                self.fail(f"{MANIFEST_NAME}: item {position} has no uid")
                continue
            if uid in seen_uids:
                self.fail(f"{uid}: listed twice in the manifest")
                continue
            seen_uids.add(uid)
            self.check_record_signature(uid, item, signing_key)
            path = item.get("path")
            if not isinstance(path, str) or not path:
                self.fail(f"{uid}: no file path in the manifest")
            elif path in claimed:
                self.fail(f"{uid}: {path}: the same file is also listed for {claimed[path]}")
            else:
                claimed[path] = uid
                self.check_file(uid, path, item)
            self.check_custody(uid, item)
            parent = item.get("parent")
            if parent and parent not in uids:
                self.ok(f"{NOTE}{uid}: derived from {parent}, which is not in this package")
            elif parent:
                self.ok(f"{uid}: derived from {parent} ({item.get('derivation') or 'unspecified'})")
        known = {MANIFEST_NAME, SIGNATURE_NAME, PUBLIC_KEY_NAME, README_NAME, *claimed}
        for name, info in self.members.items():
            if name in known:
                continue
            if info.is_dir() and info.file_size == 0:
                self.ok(f"{NOTE}{name}: empty folder entry ignored")
                continue
            self.fail(f"{name}: in the zip but not listed in the manifest (added after export)")

    def check_record_signature(
        self, uid: str, item: dict[str, Any], signing_key: Ed25519PublicKey | None
    ) -> None:
        if signing_key is None:
            return  # the missing key is reported once
        body = {k: v for k, v in item.items() if k != RECORD_SIGNATURE}
        try:
            forms = canonical_forms(body)
        except (TypeError, ValueError) as exc:
            self.fail(f"{uid}: manifest record cannot be canonicalised ({exc})")
            return
        if any(verify_b64(signing_key, item.get(RECORD_SIGNATURE), data) for data in forms):
            self.ok(f"{uid}: manifest record signature valid")
        else:
            self.fail(
                f"{uid}: manifest record signature invalid: a field of this item was changed "
                "after export"
            )

    def check_file(self, uid: str, path: str, item: dict[str, Any]) -> None:
        info = self.members.get(path)
        if info is None:
            self.fail(f"{uid}: {path}: listed in the manifest but missing from the zip")
            return
        try:
            size, sha = _hash_member(self.zf, info)
        except _READ_ERRORS as exc:
            self.fail(f"{uid}: {path}: cannot be read from the zip ({exc})")
            return
        good = True
        if size != item.get("size"):
            self.fail(f"{uid}: {path}: size is {size} bytes, manifest says {item.get('size')}")
            good = False
        if sha != item.get("sha256"):
            self.fail(f"{uid}: {path}: SHA-256 is {sha}, manifest says {item.get('sha256')}")
            good = False
        if good:
            self.ok(f"{uid}: {path}: {size} bytes, SHA-256 {sha} as in the manifest")

    def check_custody(self, uid: str, item: dict[str, Any]) -> None:
        custody = item.get("custody")
        if not isinstance(custody, list):
            self.fail(f"{uid}: custody is missing or not a list")
            return
        chain_problems = verify_chain(uid, custody, self.keys)
        self.report.problems.extend(chain_problems)
        length = item.get("custody_length")
        if length != len(custody):
            self.fail(
                f"{uid}: custody_length is {length} but the package holds {len(custody)} custody "
                "entries (entries were removed or added)"
            )
        last = custody[-1] if custody and isinstance(custody[-1], dict) else {}
        head_ok = item.get("custody_head") == last.get("entry_hash")
        if not head_ok:
            self.fail(
                f"{uid}: custody_head does not match the last custody entry's hash (the last "
                "entries were removed or changed)"
            )
        if not chain_problems and length == len(custody) and head_ok:
            self.ok(
                f"{uid}: custody chain of {len(custody)} entries valid, head {last['entry_hash']}"
            )
        created = next(
            (e for e in custody if isinstance(e, dict) and e.get("action") == "created"), None
        )
        if created is None:
            return  # verify_chain reports the missing 'created' entry
        details = created.get("details")
        recorded = details.get("sha256") if isinstance(details, dict) else None
        if recorded is None:
            self.fail(f"{uid}: the 'created' custody entry records no sha256 of the file")
        elif recorded != item.get("sha256"):
            self.fail(
                f"{uid}: manifest sha256 {item.get('sha256')} differs from {recorded}, recorded "
                "in the 'created' custody entry when the file was received"
            )
        else:
            self.ok(f"{uid}: SHA-256 equals the one recorded when the file was received")


def verify_package(path: Path, *, trusted_public_key_pem: str | None = None) -> Report:
    """Check a package; return a ``Report`` (``problems`` empty: verified).

    Raises ``PackageUnusableError`` when there is nothing to check: ``path`` missing or not a
    zip, or ``trusted_public_key_pem`` not an Ed25519 public key.
    """
    path = Path(path)
    trusted = None
    if trusted_public_key_pem is not None:
        try:
            trusted = load_public_key_pem(trusted_public_key_pem)
        except ValueError as exc:
            raise PackageUnusableError(f"the trusted public key is not usable: {exc}") from None
    if not path.is_file():
        raise PackageUnusableError(f"{path}: no such file")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageUnusableError(f"{path}: not a readable zip file ({exc})") from None
    with zf:
        return _Verifier(zf, trusted).run()


def main(argv: list[str] | None = None) -> int:
    """Command line: ``verify-package FILE.zip [--public-key PEM_FILE] [--json]``.

    Exit status 0 when verified, 1 when problems were found, 2 when the input is unusable.
    """
    parser = argparse.ArgumentParser(
        prog="cicnet verify-package",
        description="Verify a cicnet evidence export package offline.",
    )
    parser.add_argument("package", type=Path, help="the package zip file")
    parser.add_argument(
        "--public-key",
        type=Path,
        metavar="PEM_FILE",
        help="the instance's public key, obtained out of band; the package must be signed by it",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    trusted_pem = None
    try:
        if args.public_key is not None:
            try:
                trusted_pem = args.public_key.read_text("ascii")
            except (OSError, UnicodeDecodeError) as exc:
                raise PackageUnusableError(
                    f"--public-key {args.public_key}: cannot be read ({exc})"
                ) from None
        report = verify_package(args.package, trusted_public_key_pem=trusted_pem)
    except PackageUnusableError as exc:
        print(f"cicnet verify-package: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps(
                {
                    "package": str(args.package),
                    "ok": report.ok,
                    "key_id": report.key_id,
                    "checks": report.checks,
                    "problems": report.problems,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0 if report.ok else 1
    for line in report.checks:
        if line.startswith(NOTE):
            print(f"NOTE {line[len(NOTE) :]}")
        else:
            print(f"OK   {line}")
    for line in report.problems:
        print(f"FAIL {line}")
    if report.ok:
        tail = (
            "the signing key is the trusted key given"
            if trusted_pem is not None
            else "compare the key fingerprint with the one the instance publishes"
        )
        print(f"VERIFIED {args.package}: key {report.key_id}; {tail}")
        return 0
    print(f"NOT VERIFIED {args.package}: {len(report.problems)} problem(s)")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
