"""Evidence at rest: the record file format, resumable writes, wrapped keys, the signing key."""

from __future__ import annotations

import base64
import os
import random
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cicnet.evidence import crypto
from cicnet.evidence.crypto import (
    HEADER,
    RECORD_SIZE,
    EncryptedWriter,
    KekRing,
    VaultIntegrityError,
    VaultKeyError,
    decrypt_records,
    new_file_key,
    parse_kek_ring,
    rewrap,
    unwrap_file_key,
    wrap_file_key,
)

OVERHEAD = 4 + 12 + 16  # length prefix, nonce, tag


def _data(size: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(size)  # noqa: S311 -- reproducible test data, not keys


def _decrypt(path: Path, key: bytes, records: int) -> bytes:
    return b"".join(decrypt_records(path, key, records=records))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _record_offsets(path: Path) -> list[tuple[int, int]]:
    """(start, total length) of each record, read from the length prefixes."""
    data = path.read_bytes()
    pos, out = len(HEADER), []
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        out.append((pos, 4 + length))
        pos += 4 + length
    return out


# ------------------------------------------------------------------------------- round trips


def test_several_mib_written_in_odd_pieces_round_trip(tmp_path: Path) -> None:
    key, path = new_file_key(), tmp_path / "f.enc"
    data = _data(3 * RECORD_SIZE + 123_457)
    pieces = [1, 7777, RECORD_SIZE - 5, 3, RECORD_SIZE + 11, 65_536]
    pos, i = 0, 0
    with EncryptedWriter(path, key) as writer:
        while pos < len(data):
            size = pieces[i % len(pieces)]
            writer.write(memoryview(data)[pos : pos + size] if i % 2 else data[pos : pos + size])
            pos, i = pos + size, i + 1
    file_bytes, records = writer.committed
    assert records == 4  # three full records and the tail
    assert file_bytes == path.stat().st_size == len(HEADER) + len(data) + 4 * OVERHEAD
    plain = list(decrypt_records(path, key, records=records))
    assert [len(r) for r in plain] == [RECORD_SIZE] * 3 + [123_457]
    assert b"".join(plain) == data


def test_each_commit_ends_a_short_record_and_data_stays_in_order(tmp_path: Path) -> None:
    key, path = new_file_key(), tmp_path / "f.enc"
    chunks = [_data(n, seed=n) for n in (10, 0, RECORD_SIZE + 1, 5000)]
    writer = EncryptedWriter(path, key)
    points = []
    for chunk in chunks:
        writer.write(chunk)
        points.append(writer.commit())
    writer.close()
    assert [p[1] for p in points] == [1, 1, 3, 4]  # an empty commit adds no record
    assert _decrypt(path, key, points[-1][1]) == b"".join(chunks)


def test_single_write_larger_than_a_record_is_split(tmp_path: Path) -> None:
    key, path = new_file_key(), tmp_path / "f.enc"
    data = _data(2 * RECORD_SIZE + 1)
    writer = EncryptedWriter(path, key)
    writer.write(data)
    assert writer.commit()[1] == 3
    writer.close()
    assert _decrypt(path, key, 3) == data


def test_empty_file_has_header_and_no_record(tmp_path: Path) -> None:
    key, path = new_file_key(), tmp_path / "f.enc"
    with EncryptedWriter(path, key) as writer:
        pass
    assert writer.committed == (len(HEADER), 0)
    assert path.read_bytes() == HEADER
    assert _decrypt(path, key, 0) == b""


def test_plaintext_does_not_appear_in_the_file(tmp_path: Path) -> None:
    key, path = new_file_key(), tmp_path / "f.enc"
    secret = b"witness name: Amina " * 100
    with EncryptedWriter(path, key) as writer:
        writer.write(secret)
    assert b"witness" not in path.read_bytes()


# ---------------------------------------------------------------------------------- resuming


def test_resume_drops_the_uncommitted_tail_and_continues(tmp_path: Path) -> None:
    key, path = new_file_key(), tmp_path / "upload.enc"
    first = _data(RECORD_SIZE + 999, seed=1)
    lost = _data(2 * RECORD_SIZE + 5, seed=2)  # full records reach the disk, never committed
    more = _data(777_777, seed=3)
    writer = EncryptedWriter(path, key)
    writer.write(first)
    point = writer.commit()
    writer.write(lost)
    writer.close()  # the interrupted chunk: its records are on disk but not committed
    assert path.stat().st_size > point[0]

    with EncryptedWriter(path, key, resume_at=point) as resumed:
        assert path.stat().st_size == point[0]
        resumed.write(more)
    file_bytes, records = resumed.committed
    assert records == point[1] + 1
    assert path.stat().st_size == file_bytes
    assert _decrypt(path, key, records) == first + more


def test_resume_continues_record_numbering(tmp_path: Path) -> None:
    """Records written after a resume are numbered on, so they decrypt only in place."""
    key, path = new_file_key(), tmp_path / "f.enc"
    with EncryptedWriter(path, key) as w:
        w.write(b"a" * 10)
    with EncryptedWriter(path, key, resume_at=w.committed) as w2:
        w2.write(b"b" * 10)
    with EncryptedWriter(path, key, resume_at=w2.committed) as w3:
        w3.write(b"c" * 10)
    assert w3.committed[1] == 3
    assert _decrypt(path, key, 3) == b"a" * 10 + b"b" * 10 + b"c" * 10


def test_context_manager_abandons_uncommitted_data_on_error(tmp_path: Path) -> None:
    key, path = new_file_key(), tmp_path / "f.enc"
    with EncryptedWriter(path, key) as w:
        w.write(b"kept")
    point = w.committed
    with pytest.raises(RuntimeError), EncryptedWriter(path, key, resume_at=point) as w2:
        w2.write(b"lost")
        raise RuntimeError("connection dropped")
    assert w2.committed == point
    assert _decrypt(path, key, point[1]) == b"kept"


@pytest.mark.parametrize(
    "point, message",
    [
        ((10_000, 1), "committed data is missing"),
        ((len(HEADER) + 5, 1), "cannot resume"),
        ((len(HEADER), 1), "record 0 is damaged or missing"),
        ((len(HEADER) + 5, 0), "not at the committed byte"),
    ],
)
def test_resume_at_a_point_that_does_not_match_the_file_is_refused(
    tmp_path: Path, point: tuple[int, int], message: str
) -> None:
    key, path = new_file_key(), tmp_path / "f.enc"
    with EncryptedWriter(path, key) as w:
        w.write(b"x" * 100)
    if point == (len(HEADER), 1):
        path.write_bytes(HEADER + b"\xff\xff\xff\xff")  # a record length that cannot be
        point = (len(HEADER) + 4, 1)
    before = path.read_bytes()
    with pytest.raises(VaultIntegrityError, match=message):
        EncryptedWriter(path, key, resume_at=point)
    assert path.read_bytes() == before  # nothing truncated


# ---------------------------------------------------------------------------------- tampering


def _two_record_file(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    key, path = new_file_key(), tmp_path / "f.enc"
    data = _data(2 * RECORD_SIZE)
    with EncryptedWriter(path, key) as w:
        w.write(data)
    return path, key, data


def test_a_changed_ciphertext_byte_fails_authentication(tmp_path: Path) -> None:
    path, key, _ = _two_record_file(tmp_path)
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0x01  # inside record 1
    path.write_bytes(raw)
    with pytest.raises(VaultIntegrityError, match=r"f\.enc: record 1 failed authentication"):
        _decrypt(path, key, 2)


def test_swapped_records_fail_authentication(tmp_path: Path) -> None:
    path, key, _ = _two_record_file(tmp_path)
    raw = path.read_bytes()
    (a, alen), (b, blen) = _record_offsets(path)
    path.write_bytes(HEADER + raw[b : b + blen] + raw[a : a + alen])
    with pytest.raises(VaultIntegrityError, match="record 0 failed authentication"):
        _decrypt(path, key, 2)


def test_a_file_cut_at_a_record_boundary_is_caught_by_the_count(tmp_path: Path) -> None:
    path, key, _ = _two_record_file(tmp_path)
    (_, _), (b, _) = _record_offsets(path)
    path.write_bytes(path.read_bytes()[:b])
    with pytest.raises(VaultIntegrityError, match="1 records where 2 were recorded"):
        _decrypt(path, key, 2)


def test_a_file_cut_inside_a_record_is_caught(tmp_path: Path) -> None:
    path, key, _ = _two_record_file(tmp_path)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(VaultIntegrityError, match="record 1 is cut short"):
        _decrypt(path, key, 2)


def test_appended_data_is_caught(tmp_path: Path) -> None:
    path, key, _ = _two_record_file(tmp_path)
    raw = path.read_bytes()
    (a, alen), _ = _record_offsets(path)
    path.write_bytes(raw + raw[a : a + alen])
    with pytest.raises(VaultIntegrityError, match="more data after the 2 records"):
        _decrypt(path, key, 2)


def test_the_wrong_key_fails(tmp_path: Path) -> None:
    path, _, _ = _two_record_file(tmp_path)
    with pytest.raises(VaultIntegrityError, match="record 0 failed authentication"):
        _decrypt(path, new_file_key(), 2)


def test_a_bad_header_is_named(tmp_path: Path) -> None:
    path, key, _ = _two_record_file(tmp_path)
    path.write_bytes(b"CICNETE2" + path.read_bytes()[8:])
    with pytest.raises(VaultIntegrityError, match="not a cicnet encrypted file"):
        _decrypt(path, key, 2)


def test_a_file_key_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        EncryptedWriter(tmp_path / "f.enc", b"short")


# ------------------------------------------------------------------------ key-encryption keys


def test_kek_ring_parses_standard_and_urlsafe_base64_first_is_current() -> None:
    k1, k2 = os.urandom(32), os.urandom(32)
    urlsafe = base64.urlsafe_b64encode(k2).decode().rstrip("=")
    ring = parse_kek_ring(f" new:{_b64(k1)} , old:{urlsafe}")
    assert ring == KekRing(current_id="new", keys={"new": k1, "old": k2})


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "holds no key"),
        ("k1", r"is not 'id:BASE64KEY'"),
        (f"k1:{_b64(b'x' * 16)}", "is 16 bytes; it must be 32 bytes"),
        ("k1:not*base64!", "is not valid base64"),
        (f"k1:{_b64(b'x' * 32)},k1:{_b64(b'y' * 32)}", "'k1' appears twice"),
        (f"bad id:{_b64(b'x' * 32)}", "must be 1-64 letters"),
    ],
)
def test_malformed_kek_settings_are_named(value: str, message: str) -> None:
    with pytest.raises(VaultKeyError, match=message) as info:
        parse_kek_ring(value)
    assert "CICNET_EVIDENCE_KEYS" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_wrap_and_unwrap_a_file_key() -> None:
    ring = parse_kek_ring(f"a:{_b64(os.urandom(32))}")
    file_key = new_file_key()
    kek_id, wrapped = wrap_file_key(file_key, ring)
    assert kek_id == "a" and len(wrapped) == 40 and file_key not in wrapped
    assert unwrap_file_key(kek_id, wrapped, ring) == file_key


def test_unwrap_with_an_unknown_kek_names_the_setting() -> None:
    ring = parse_kek_ring(f"a:{_b64(os.urandom(32))}")
    _, wrapped = wrap_file_key(new_file_key(), ring)
    with pytest.raises(VaultKeyError, match=r"'gone', which is not in CICNET_EVIDENCE_KEYS"):
        unwrap_file_key("gone", wrapped, ring)


def test_unwrap_with_a_replaced_kek_is_refused() -> None:
    wrapped = wrap_file_key(new_file_key(), parse_kek_ring(f"a:{_b64(os.urandom(32))}"))[1]
    with pytest.raises(VaultKeyError, match="does not unwrap this file key"):
        unwrap_file_key("a", wrapped, parse_kek_ring(f"a:{_b64(os.urandom(32))}"))


def test_rotation_rewraps_under_the_new_key_and_the_old_key_can_go() -> None:
    old, new = _b64(os.urandom(32)), _b64(os.urandom(32))
    file_key = new_file_key()
    old_id, old_wrapped = wrap_file_key(file_key, parse_kek_ring(f"k-old:{old}"))
    rotated = parse_kek_ring(f"k-new:{new},k-old:{old}")  # the new key first, the old kept
    assert unwrap_file_key(old_id, old_wrapped, rotated) == file_key
    new_id, new_wrapped = rewrap(old_id, old_wrapped, rotated)
    assert new_id == "k-new" and new_wrapped != old_wrapped
    assert unwrap_file_key(new_id, new_wrapped, parse_kek_ring(f"k-new:{new}")) == file_key


def test_kek_ring_from_the_setting(settings: Any) -> None:
    key = os.urandom(32)
    settings.CICNET_EVIDENCE_KEYS = f"prod1:{_b64(key)}"
    assert crypto.kek_ring() == KekRing("prod1", {"prod1": key})


def test_kek_ring_without_the_setting_creates_a_private_key_file(
    settings: Any, tmp_path: Path
) -> None:
    settings.CICNET_EVIDENCE_KEYS = ""
    settings.CICNET_KEYS_DIR = tmp_path / "keys"
    ring = crypto.kek_ring()
    key_file = tmp_path / "keys" / "evidence-keys"
    assert re.fullmatch(r"k[0-9a-f]{8}", ring.current_id)
    assert key_file.read_text() == f"{ring.current_id}:{_b64(ring.keys[ring.current_id])}\n"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert crypto.kek_ring() == ring  # the same key on the next use


def test_a_damaged_key_file_is_named(settings: Any, tmp_path: Path) -> None:
    settings.CICNET_EVIDENCE_KEYS = ""
    settings.CICNET_KEYS_DIR = tmp_path
    (tmp_path / "evidence-keys").write_text("k1:tooshort\n")
    with pytest.raises(VaultKeyError, match=r"key file .*evidence-keys: key 'k1' is"):
        crypto.kek_ring()


# ------------------------------------------------------------------------------ signing key


def test_signing_key_is_created_private_and_cached(settings: Any, tmp_path: Path) -> None:
    settings.CICNET_SIGNING_KEY_FILE = tmp_path / "keys" / "signing.pem"
    key = crypto.signing_key()
    assert stat.S_IMODE(settings.CICNET_SIGNING_KEY_FILE.stat().st_mode) == 0o600
    assert crypto.signing_key() is key
    reloaded = crypto.load_or_create_signing_key(settings.CICNET_SIGNING_KEY_FILE)
    assert crypto.key_id(reloaded.public_key()) == crypto.key_id(key.public_key())


def test_public_key_pem_and_key_id() -> None:
    key = Ed25519PrivateKey.generate()
    pem = crypto.public_key_pem(key)
    public = serialization.load_pem_public_key(pem.encode())
    assert isinstance(public, Ed25519PublicKey)
    assert crypto.public_key_pem(public) == pem
    kid = crypto.key_id(public)
    assert re.fullmatch(r"[0-9a-f]{16}", kid)
    assert kid != crypto.key_id(Ed25519PrivateKey.generate().public_key())


def test_a_signing_key_file_that_is_not_a_key_names_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "signing.pem"
    path.write_text("not a key")
    with pytest.raises(VaultKeyError, match="CICNET_SIGNING_KEY_FILE"):
        crypto.load_or_create_signing_key(path)
