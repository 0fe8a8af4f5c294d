"""The chain of custody of one evidence item: hash-chained, Ed25519-signed entries.

Pure logic with no Django and no settings: the standalone package verifier
(``cicnet.evidence.verify``) imports this module on machines that have never seen the instance,
so it may use only the standard library, ``cryptography`` and ``rfc8785``.

An entry is a JSON object with the fields of ``ENTRY_FIELDS`` plus its seal (``SEAL_FIELDS``):
``entry_hash`` is the SHA-256 of the canonical JSON of every other field except the seal, and
``signature`` is the instance key's Ed25519 signature of the ASCII bytes of ``entry_hash``.
Because each entry carries ``prev_hash`` (the previous entry's hash, ``GENESIS`` for the first),
removing, inserting or reordering entries breaks the chain, and changing a field breaks the hash.

Caveat: the chain proves that entries were not changed *after* they were sealed by the holder
of the signing key; it cannot prove that the holder recorded every access. Truncating the end of
a chain is only detectable against a separately kept head (``custody_head``/``custody_length``
in the package manifest, or the database row of the item).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

GENESIS = "0" * 64
"""``prev_hash`` of the first entry of every chain."""

ACTIONS = ("created", "viewed", "downloaded", "shared", "exported", "derived")
"""What an entry may record. Every chain starts with exactly one ``created``."""

ENTRY_FIELDS = (
    "item",
    "seq",
    "action",
    "actor",
    "organisation",
    "at",
    "purpose",
    "details",
    "prev_hash",
)
"""The hashed fields of an entry."""

SEAL_FIELDS = ("entry_hash", "key_id", "signature")
"""Fields added by ``seal_entry``; excluded from the hash."""

_HEX64 = re.compile(r"[0-9a-f]{64}")


def canonical_json(obj: object) -> bytes:
    """The one byte form of a JSON value that is hashed and signed: the JSON Canonicalization
    Scheme of RFC 8785 (``rfc8785``), which a verifier in any language can reproduce.

    NaN and infinities are refused (``ValueError``) because they are not JSON. Caveat: a value
    must survive a JSON round trip unchanged to verify later (tuples become lists, non-string keys
    become strings), so callers should pass plain JSON types.
    """
    return rfc8785.dumps(obj)  # type: ignore[arg-type]  # any JSON value; others raise


def legacy_canonical_json(obj: object) -> bytes:
    """The byte form chains and packages were sealed with before RFC 8785 (keys sorted by code
    point, no whitespace, UTF-8, Python's float form). It equals ``canonical_json`` for every
    value without floats or keys outside the Basic Multilingual Plane; verifiers accept it so
    that what was sealed before stays verifiable. Nothing new is sealed with it."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def canonical_forms(obj: object) -> list[bytes]:
    """The byte forms a verifier accepts for ``obj``: RFC 8785, then the legacy form when it
    differs. Raises ``ValueError`` when ``obj`` has no canonical form."""
    forms = [canonical_json(obj)]
    try:
        legacy = legacy_canonical_json(obj)
    except (TypeError, ValueError):
        return forms
    return forms if legacy == forms[0] else [*forms, legacy]


def key_id(public_key: Ed25519PublicKey) -> str:
    """Fingerprint of a signing key: the first 16 hex digits of SHA-256 of its raw 32 bytes.

    A recipient compares it with the fingerprint the instance publishes out of band.
    """
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key_pem(pem: str | bytes) -> Ed25519PublicKey:
    """Parse a PEM public key and insist that it is Ed25519 (``ValueError`` otherwise)."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"not an Ed25519 public key but {type(key).__name__}")
    return key


def sign_b64(private_key: Ed25519PrivateKey, data: bytes) -> str:
    """Base64 (standard alphabet) of the Ed25519 signature of ``data``."""
    return base64.b64encode(private_key.sign(data)).decode("ascii")


def verify_b64(public_key: Ed25519PublicKey, signature: object, data: bytes) -> bool:
    """Whether ``signature`` (base64 text) is a valid signature of ``data``; never raises."""
    if not isinstance(signature, str):
        return False
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
        public_key.verify(raw, data)
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON of an entry without its seal fields."""
    return entry_hashes(fields)[0]


def entry_hashes(fields: Mapping[str, Any]) -> list[str]:
    """The hashes a verifier accepts for an entry: of each of its ``canonical_forms``."""
    body = {k: v for k, v in fields.items() if k not in SEAL_FIELDS}
    return [hashlib.sha256(form).hexdigest() for form in canonical_forms(body)]


def seal_entry(fields: Mapping[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """Return the full entry: ``fields`` plus ``entry_hash``, ``key_id`` and ``signature``.

    ``fields`` must hold exactly ``ENTRY_FIELDS`` (``ValueError`` naming the field otherwise);
    the caller chooses ``seq`` and ``prev_hash`` (the previous entry's ``entry_hash`` or
    ``GENESIS``) under a lock on the item, since two concurrent appends would fork the chain.
    """
    missing = [k for k in ENTRY_FIELDS if k not in fields]
    extra = sorted(k for k in fields if k not in ENTRY_FIELDS)
    if missing or extra:
        raise ValueError(
            f"custody entry fields: missing {missing or 'none'}, unexpected {extra or 'none'}"
        )
    if fields["action"] not in ACTIONS:
        raise ValueError(f"custody entry action {fields['action']!r} is not one of {ACTIONS}")
    seq = fields["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValueError(f"custody entry seq must be an integer from 1, got {seq!r}")
    if not isinstance(fields["prev_hash"], str) or not _HEX64.fullmatch(fields["prev_hash"]):
        raise ValueError("custody entry prev_hash must be 64 lower-case hex digits")
    if not isinstance(fields["details"], dict):
        raise ValueError("custody entry details must be a dict")
    for name in ("item", "actor", "organisation", "at", "purpose"):
        if not isinstance(fields[name], str):
            raise ValueError(f"custody entry {name} must be a string, got {fields[name]!r}")
    # Round-trip through JSON so the stored entry is exactly what a verifier will parse.
    entry: dict[str, Any] = json.loads(canonical_json({k: fields[k] for k in ENTRY_FIELDS}))
    digest = entry_hash(entry)
    entry["entry_hash"] = digest
    entry["key_id"] = key_id(private_key.public_key())
    entry["signature"] = sign_b64(private_key, digest.encode("ascii"))
    return entry


def verify_chain(
    item_uid: str,
    entries: Sequence[Any],
    public_keys: Mapping[str, Ed25519PublicKey],
) -> list[str]:
    """Check a whole custody chain; return human-readable problems (empty: the chain is sound).

    Each problem starts with ``"<item_uid>: custody entry <seq>: "`` so a reader can find it.
    ``public_keys`` maps key ids to the keys that may have signed entries (every key the
    instance has used, since entries keep the signature of the key current when they were made).
    Caveat: an intact chain whose last entries were cut off looks sound here; compare the head
    and length with a separately signed record.
    """
    if not entries:
        return [f"{item_uid}: no custody entries (every item's chain starts with 'created')"]
    problems: list[str] = []
    prev_hash = GENESIS
    prev_label = ""
    prev_seq = 0
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            problems.append(f"{item_uid}: custody entry at position {position}: not an object")
            prev_hash, prev_label, prev_seq = "", f"at position {position}", prev_seq + 1
            continue
        seq = entry.get("seq")
        seq_ok = isinstance(seq, int) and not isinstance(seq, bool)
        label = f"{item_uid}: custody entry {seq if seq_ok else f'at position {position}'}: "

        def add(message: str, label: str = label) -> None:
            problems.append(label + message)

        missing = [k for k in (*ENTRY_FIELDS, *SEAL_FIELDS) if k not in entry]
        if missing:
            add(f"missing field(s) {', '.join(missing)}")
        if "item" in entry and entry["item"] != item_uid:
            add(f"entry belongs to item {entry['item']}")
        expected_seq = prev_seq + 1
        if not seq_ok:
            add(f"seq {seq!r} is not an integer")
        elif seq != expected_seq:
            add(
                f"sequence number {seq} where {expected_seq} was expected "
                "(an entry was removed, inserted or reordered)"
            )
        action = entry.get("action")
        if position == 1:
            if action != "created":
                add(f"first entry records {action!r}, not 'created' (earlier entries were removed)")
            if entry.get("prev_hash") != GENESIS:
                add(
                    "first entry is not linked to the start of the chain (prev_hash is not "
                    "GENESIS): earlier entries were removed"
                )
        else:
            if action == "created":
                add("a second 'created' entry (entries of another chain were inserted)")
            elif action not in ACTIONS:
                add(f"unknown action {action!r}")
            if entry.get("prev_hash") != prev_hash:
                add(
                    f"prev_hash does not match entry {prev_label}'s hash "
                    "(an entry was removed, inserted or reordered)"
                )
        recorded = entry.get("entry_hash")
        try:
            accepted = entry_hashes(entry)
        except (TypeError, ValueError) as exc:
            add(f"cannot be hashed: {exc}")
            accepted = None
        if accepted is not None and recorded not in accepted:
            add("recorded hash does not match its content (a field was changed)")
        kid = entry.get("key_id")
        public_key = public_keys.get(kid) if isinstance(kid, str) else None
        if public_key is None:
            add(f"unknown signing key id {kid!r} (not among the keys given to the verifier)")
        elif not isinstance(recorded, str) or not verify_b64(
            public_key, entry.get("signature"), recorded.encode("ascii", "replace")
        ):
            add(f"signature invalid (not made by key {kid} over this entry's hash)")
        prev_hash = recorded if isinstance(recorded, str) else ""
        prev_label = str(seq) if seq_ok else f"at position {position}"
        prev_seq = seq if seq_ok and isinstance(seq, int) else expected_seq
    return problems
