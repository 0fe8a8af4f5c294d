"""Custody chains: built, verified, and every kind of tampering named by item and entry."""

from __future__ import annotations

import base64
import hashlib
import itertools
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cicnet.evidence.custody import (
    GENESIS,
    canonical_json,
    entry_hash,
    key_id,
    legacy_canonical_json,
    seal_entry,
    verify_chain,
)

UID = "EV-2026-0001-03"
KEY = Ed25519PrivateKey.generate()
KEYS = {key_id(KEY.public_key()): KEY.public_key()}
ACTIONS = ["created", "viewed", "downloaded", "shared", "exported"]


def build_chain(
    uid: str = UID, actions: list[str] = ACTIONS, key: Ed25519PrivateKey = KEY
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    prev = GENESIS
    for seq, action in enumerate(actions, start=1):
        details: dict[str, Any] = {"sha256": hashlib.sha256(b"x").hexdigest()} if seq == 1 else {}
        entry = seal_entry(
            {
                "item": uid,
                "seq": seq,
                "action": action,
                "actor": "investigator.amina",
                "organisation": "Syrian Archive Témoin",
                "at": f"2026-01-0{seq}T10:00:00Z",
                "purpose": "intake" if seq == 1 else "case file review",
                "details": details,
                "prev_hash": prev,
            },
            key,
        )
        entries.append(entry)
        prev = entry["entry_hash"]
    return entries


def _resealed(entry: dict[str, Any], key: Ed25519PrivateKey, **changes: Any) -> dict[str, Any]:
    fields = {k: v for k, v in entry.items() if k not in ("entry_hash", "key_id", "signature")}
    return seal_entry({**fields, **changes}, key)


def test_a_built_chain_verifies() -> None:
    chain = build_chain()
    assert verify_chain(UID, chain, KEYS) == []
    assert chain[0]["prev_hash"] == GENESIS
    assert all(b["prev_hash"] == a["entry_hash"] for a, b in itertools.pairwise(chain))


def test_entry_hash_covers_everything_but_the_seal() -> None:
    entry = build_chain()[0]
    body = {k: v for k, v in entry.items() if k not in ("entry_hash", "key_id", "signature")}
    assert entry["entry_hash"] == hashlib.sha256(canonical_json(body)).hexdigest()
    assert entry_hash(entry) == entry["entry_hash"]


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": "é", "c": [1, {"z": None, "y": True}]}) == (
        '{"a":"é","b":1,"c":[1,{"y":true,"z":null}]}'.encode()
    )
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_canonical_json_is_rfc_8785() -> None:
    # RFC 8785, section 3.2.2: numbers in their ECMAScript form, keys sorted by UTF-16 code units.
    assert canonical_json({"numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 1e-27]}) == (
        b'{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}'
    )
    assert canonical_json({"\U0001f600": 1, "\ufb33": 2}) == (
        '{"\U0001f600":1,"\ufb33":2}'.encode()  # U+1F600 is D83D DE00 in UTF-16: sorts first
    )


def test_an_entry_sealed_before_rfc_8785_still_verifies() -> None:
    # Entries sealed with the earlier form differ from RFC 8785 only in floats and astral keys.
    entry = build_chain(actions=["created"])[0]
    fields = {k: v for k, v in entry.items() if k not in ("entry_hash", "key_id", "signature")}
    fields["details"] = {"duration_s": 2.0}  # "2.0" before, "2" in RFC 8785
    assert legacy_canonical_json(fields) != canonical_json(fields)
    digest = hashlib.sha256(legacy_canonical_json(fields)).hexdigest()
    old = {
        **fields,
        "entry_hash": digest,
        "key_id": key_id(KEY.public_key()),
        "signature": base64.b64encode(KEY.sign(digest.encode("ascii"))).decode("ascii"),
    }
    assert verify_chain(UID, [old], KEYS) == []
    assert verify_chain(UID, [{**old, "details": {"duration_s": 3.0}}], KEYS) != []


def test_a_changed_field_is_named() -> None:
    chain = build_chain()
    chain[1]["purpose"] = "something else"
    assert verify_chain(UID, chain, KEYS) == [
        f"{UID}: custody entry 2: recorded hash does not match its content (a field was changed)"
    ]


def test_a_changed_detail_is_named() -> None:
    chain = build_chain()
    chain[0]["details"]["sha256"] = "0" * 64
    problems = verify_chain(UID, chain, KEYS)
    assert problems == [
        f"{UID}: custody entry 1: recorded hash does not match its content (a field was changed)"
    ]


def test_a_removed_middle_entry_is_named() -> None:
    chain = build_chain()
    del chain[2]
    problems = verify_chain(UID, chain, KEYS)
    assert f"{UID}: custody entry 4: prev_hash does not match entry 2's hash" in problems[-1]
    assert "sequence number 4 where 3 was expected" in problems[0]
    assert all(p.startswith(f"{UID}: custody entry 4: ") for p in problems)


def test_a_removed_first_entry_is_named() -> None:
    problems = verify_chain(UID, build_chain()[1:], KEYS)
    assert any(
        "custody entry 2: first entry records 'viewed', not 'created'" in p for p in problems
    )
    assert any("custody entry 2: first entry is not linked to the start" in p for p in problems)


def test_reordered_entries_are_named() -> None:
    chain = build_chain()
    chain[1], chain[2] = chain[2], chain[1]
    problems = verify_chain(UID, chain, KEYS)
    assert any(p.startswith(f"{UID}: custody entry 3: prev_hash does not match") for p in problems)
    assert any(p.startswith(f"{UID}: custody entry 2: prev_hash does not match") for p in problems)


def test_an_entry_resealed_with_another_key_is_named() -> None:
    chain = build_chain()
    forger = Ed25519PrivateKey.generate()
    chain[1] = _resealed(chain[1], forger, purpose="changed")
    chain[2] = _resealed(chain[2], forger, prev_hash=chain[1]["entry_hash"])
    problems = verify_chain(UID, chain, KEYS)
    assert (
        f"{UID}: custody entry 2: unknown signing key id '{key_id(forger.public_key())}'"
        in (problems[0])
    )
    assert any(p.startswith(f"{UID}: custody entry 3: unknown signing key id") for p in problems)


def test_a_signature_by_another_key_under_the_right_key_id_is_invalid() -> None:
    chain = build_chain()
    forged = _resealed(chain[3], Ed25519PrivateKey.generate())
    chain[3]["signature"] = forged["signature"]
    assert verify_chain(UID, chain, KEYS) == [
        f"{UID}: custody entry 4: signature invalid (not made by key "
        f"{chain[3]['key_id']} over this entry's hash)"
    ]


def test_entries_of_another_item_are_named() -> None:
    problems = verify_chain(UID, build_chain(uid="EV-2026-0009-01"), KEYS)
    assert f"{UID}: custody entry 1: entry belongs to item EV-2026-0009-01" in problems


def test_an_entry_spliced_from_another_chain_is_named() -> None:
    chain = build_chain()
    chain[2] = build_chain(uid=UID, actions=["created", "downloaded", "shared"])[2]
    problems = verify_chain(UID, chain, KEYS)
    assert problems == [
        f"{UID}: custody entry 3: prev_hash does not match entry 2's hash "
        "(an entry was removed, inserted or reordered)",
        f"{UID}: custody entry 4: prev_hash does not match entry 3's hash "
        "(an entry was removed, inserted or reordered)",
    ]


def test_an_empty_chain_is_a_problem() -> None:
    assert verify_chain(UID, [], KEYS) == [
        f"{UID}: no custody entries (every item's chain starts with 'created')"
    ]


def test_entries_signed_before_a_key_rotation_verify_with_both_keys() -> None:
    new_key = Ed25519PrivateKey.generate()
    chain = build_chain(actions=["created", "viewed"])
    chain.append(
        _resealed(chain[1], new_key, seq=3, action="exported", prev_hash=chain[1]["entry_hash"])
    )
    both = {**KEYS, key_id(new_key.public_key()): new_key.public_key()}
    assert verify_chain(UID, chain, both) == []
    assert "unknown signing key id" in verify_chain(UID, chain, KEYS)[0]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"action": "deleted"}, "action 'deleted' is not one of"),
        ({"seq": 0}, "seq must be an integer from 1"),
        ({"prev_hash": "abc"}, "prev_hash must be 64"),
        ({"details": "x"}, "details must be a dict"),
        ({"actor": None}, "actor must be a string"),
        ({"extra": 1}, "unexpected \\['extra'\\]"),
    ],
)
def test_seal_entry_refuses_malformed_fields(change: dict[str, Any], message: str) -> None:
    fields = {k: v for k, v in build_chain()[0].items() if k not in ("entry_hash", "key_id")}
    del fields["signature"]
    with pytest.raises(ValueError, match=message):
        seal_entry({**fields, **change}, KEY)
