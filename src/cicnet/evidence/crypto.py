"""Evidence at rest: per-file AES-256-GCM encryption, wrapped file keys, the instance signing key.

Every evidence file gets its own random 32-byte key (``new_file_key``). The file key is stored
in the database only wrapped (AES key wrap, RFC 3394) by a key-encryption key (KEK) from
``CICNET_EVIDENCE_KEYS``; rotating the KEK re-wraps the small file keys (``rewrap``) and never
re-encrypts the files. Design and reasons: docs/decisions/0070-evidence-crypto.md.

File format::

    b"CICNETE1" then records; a record is
    4-byte big-endian length L | 12-byte random nonce | ciphertext + 16-byte GCM tag
    (L = 12 + plaintext length + 16; plaintext length <= RECORD_SIZE)

Record ``i`` (from 0) is authenticated with the associated data ``b"cicnet-evidence-record" +
i.to_bytes(8, "big")``, so records cannot be swapped or moved. The format cannot tell a file cut
at a record boundary from a shorter file: the caller stores the record count (and the plaintext
SHA-256) in the database and passes it to ``decrypt_records``.

Only ``kek_ring()`` and ``signing_key()`` read Django settings (imported lazily); everything else
takes explicit keys and paths so it is testable, and usable, without settings.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from .custody import key_id

__all__ = [
    "HEADER",
    "RECORD_SIZE",
    "EncryptedWriter",
    "KekRing",
    "VaultIntegrityError",
    "VaultKeyError",
    "decrypt_records",
    "kek_ring",
    "key_id",
    "load_or_create_kek_file",
    "load_or_create_signing_key",
    "new_file_key",
    "parse_kek_ring",
    "public_key_pem",
    "rewrap",
    "signing_key",
    "unwrap_file_key",
    "wrap_file_key",
]

HEADER = b"CICNETE1"
RECORD_SIZE = 1024 * 1024
"""Most plaintext bytes in one record."""
NONCE_SIZE = 12
TAG_SIZE = 16
_AAD_PREFIX = b"cicnet-evidence-record"
_MAX_RECORD_LENGTH = NONCE_SIZE + RECORD_SIZE + TAG_SIZE
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
KEYS_SETTING = "CICNET_EVIDENCE_KEYS"
SIGNING_SETTING = "CICNET_SIGNING_KEY_FILE"


class VaultIntegrityError(Exception):
    """An encrypted evidence file is not what was written: altered, truncated, extended, or
    decrypted with the wrong key. The message names the file and the record."""


class VaultKeyError(ValueError):
    """A key-encryption key is missing or malformed; the message names the setting to fix."""


# --------------------------------------------------------------------------- key-encryption keys


@dataclass(frozen=True)
class KekRing:
    """The key-encryption keys: ``current_id`` wraps new file keys, all of ``keys`` unwrap."""

    current_id: str
    keys: dict[str, bytes]


def _decode_key(text: str, *, key_name: str, source: str) -> bytes:
    """Decode a base64 key in the standard or URL-safe alphabet, padding optional."""
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        raw = base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise VaultKeyError(
            f"{source}: key {key_name!r} is not valid base64; generate one with "
            '`python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"`'
        ) from None
    if len(raw) != 32:
        raise VaultKeyError(
            f"{source}: key {key_name!r} is {len(raw)} bytes; it must be 32 bytes "
            "(AES-256), written in base64"
        )
    return raw


def parse_kek_ring(value: str, *, source: str = KEYS_SETTING) -> KekRing:
    """Parse ``"id1:BASE64,id2:BASE64"`` (commas or newlines between entries; the first is
    current). ``source`` names the setting or file in error messages."""
    keys: dict[str, bytes] = {}
    current = ""
    entries = [e.strip() for e in re.split(r"[,\n]", value) if e.strip()]
    if not entries:
        raise VaultKeyError(f"{source} holds no key; expected 'id:BASE64KEY[,id:BASE64KEY…]'")
    for entry in entries:
        kid, sep, b64 = entry.partition(":")
        kid = kid.strip()
        if not sep or not b64.strip():
            raise VaultKeyError(
                f"{source}: entry {kid[:12]!r}… is not 'id:BASE64KEY' (missing ':' or the key)"
            )
        if not _KEY_ID.fullmatch(kid):
            raise VaultKeyError(
                f"{source}: key id {kid[:70]!r} must be 1-64 letters, digits, '.', '_' or '-'"
            )
        if kid in keys:
            raise VaultKeyError(f"{source}: key id {kid!r} appears twice; ids must be unique")
        keys[kid] = _decode_key(b64, key_name=kid, source=source)
        current = current or kid
    return KekRing(current_id=current, keys=keys)


def _create_exclusively(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` (mode 0600) only if it does not exist; atomic, so concurrent
    first uses agree on one file. Returns whether this call created it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        try:
            os.link(tmp, path)  # fails if path exists: never overwrites a key
        except FileExistsError:
            return False
        return True
    finally:
        if fd >= 0:
            os.close(fd)
        os.unlink(tmp)


def load_or_create_kek_file(path: Path) -> KekRing:
    """Read the key file (``id:base64`` lines), creating it with one new key on first use.

    For development and single-machine installs only: in production the key belongs in a
    secret store (``CICNET_EVIDENCE_KEYS``), not next to the data it protects.
    """
    if not path.exists():
        kid = "k" + secrets.token_hex(4)
        line = f"{kid}:{base64.b64encode(secrets.token_bytes(32)).decode('ascii')}\n"
        _create_exclusively(path, line.encode("ascii"))
    return parse_kek_ring(path.read_text("ascii"), source=f"key file {path}")


def kek_ring() -> KekRing:
    """The instance's key-encryption keys from settings (``CICNET_EVIDENCE_KEYS``, else the key
    file ``CICNET_KEYS_DIR/evidence-keys``). Not cached: a changed setting applies at once."""
    from django.conf import settings

    value = str(getattr(settings, KEYS_SETTING, "") or "")
    if value.strip():
        return parse_kek_ring(value)
    return load_or_create_kek_file(Path(settings.CICNET_KEYS_DIR) / "evidence-keys")


def new_file_key() -> bytes:
    """A fresh random AES-256 key for one file."""
    return secrets.token_bytes(32)


def wrap_file_key(file_key: bytes, ring: KekRing) -> tuple[str, bytes]:
    """Wrap ``file_key`` with the current KEK; store both the returned id and wrapped bytes."""
    if len(file_key) != 32:
        raise ValueError(f"file key must be 32 bytes, got {len(file_key)}")
    return ring.current_id, aes_key_wrap(ring.keys[ring.current_id], file_key)


def unwrap_file_key(kek_id: str, wrapped: bytes, ring: KekRing) -> bytes:
    """Recover a file key wrapped by the KEK ``kek_id`` (current or an older one in the ring)."""
    kek = ring.keys.get(kek_id)
    if kek is None:
        raise VaultKeyError(
            f"the file key was wrapped with key-encryption key {kek_id!r}, which is not in "
            f"{KEYS_SETTING} (known: {', '.join(ring.keys)}); add the old key back after the "
            "current one"
        )
    try:
        return aes_key_unwrap(kek, bytes(wrapped))
    except InvalidUnwrap:
        raise VaultKeyError(
            f"key-encryption key {kek_id!r} does not unwrap this file key: the key under that id "
            f"in {KEYS_SETTING} is not the one that wrapped it, or the wrapped key was altered"
        ) from None


def rewrap(kek_id: str, wrapped: bytes, ring: KekRing) -> tuple[str, bytes]:
    """Re-wrap a file key under the ring's current KEK (key rotation); the file is untouched."""
    return wrap_file_key(unwrap_file_key(kek_id, wrapped, ring), ring)


# --------------------------------------------------------------------------------- file format


def _aad(index: int) -> bytes:
    return _AAD_PREFIX + index.to_bytes(8, "big")


def _aead(file_key: bytes) -> AESGCM:
    if len(file_key) != 32:
        raise ValueError(f"file key must be 32 bytes (AES-256), got {len(file_key)}")
    return AESGCM(file_key)


class EncryptedWriter:
    """Write an encrypted evidence file record by record, resumable at a committed point.

    ``EncryptedWriter(path, key)`` creates (or replaces) ``path`` and writes the header.
    ``EncryptedWriter(path, key, resume_at=(file_bytes, records))`` reopens a file, cuts off
    anything after that committed point (a chunk interrupted before its commit) and continues
    numbering records from ``records``. ``write`` emits full records as data arrives; ``commit``
    seals the buffered tail as a short record, fsyncs, and returns the new committed point to
    store in the database. Memory stays at a few ``RECORD_SIZE`` whatever the input size.

    As a context manager it commits on a clean exit (read ``committed`` afterwards) and only
    closes on an exception, abandoning the uncommitted tail. ``close()`` alone also abandons it.
    Caveat: one writer per file; the caller serialises chunks of one upload (row lock).
    """

    def __init__(
        self,
        path: Path | str,
        file_key: bytes,
        *,
        resume_at: tuple[int, int] | None = None,
    ) -> None:
        self.path = Path(path)
        self._aead = _aead(file_key)
        self._buffer = bytearray()
        if resume_at is None:
            # "w+b" (not "wb") so both branches hold the same file type; kept open until close()
            self._file = open(self.path, "w+b")
            self._file.write(HEADER)
            self._pos, self._records = len(HEADER), 0
        else:
            size, records = resume_at
            self._file = open(self.path, "r+b")
            try:
                self._check_committed_point(size, records)
                self._file.truncate(size)
                self._file.seek(size)
            except BaseException:
                self._file.close()
                raise
            self._pos, self._records = size, records
        self._committed = (self._pos, self._records)

    def _check_committed_point(self, size: int, records: int) -> None:
        """Walk the record lengths up to ``size`` so a point that does not match the file
        (database and file out of step) fails here instead of appending to a broken file."""
        actual = os.fstat(self._file.fileno()).st_size
        if size < len(HEADER) or records < 0 or actual < size:
            raise VaultIntegrityError(
                f"{self.path}: cannot resume at byte {size}, record {records}: the file has "
                f"{actual} bytes (committed data is missing)"
            )
        if self._file.read(len(HEADER)) != HEADER:
            raise VaultIntegrityError(f"{self.path}: not a cicnet encrypted file (bad header)")
        pos = len(HEADER)
        for index in range(records):
            self._file.seek(pos)
            raw = self._file.read(4)
            length = int.from_bytes(raw, "big") if len(raw) == 4 else -1
            if length < NONCE_SIZE + TAG_SIZE or length > _MAX_RECORD_LENGTH:
                raise VaultIntegrityError(
                    f"{self.path}: cannot resume: record {index} is damaged or missing"
                )
            pos += 4 + length
        if pos != size:
            raise VaultIntegrityError(
                f"{self.path}: cannot resume: {records} records end at byte {pos}, "
                f"not at the committed byte {size}"
            )

    @property
    def committed(self) -> tuple[int, int]:
        """``(file_bytes, records)`` as of the last commit (or the opening point)."""
        return self._committed

    def _emit(self, plaintext: bytes | memoryview) -> None:
        nonce = secrets.token_bytes(NONCE_SIZE)
        sealed = self._aead.encrypt(nonce, plaintext, _aad(self._records))
        length = NONCE_SIZE + len(sealed)
        self._file.write(length.to_bytes(4, "big"))
        self._file.write(nonce)
        self._file.write(sealed)
        self._pos += 4 + length
        self._records += 1

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Encrypt ``data``; full records go to the file at once, the rest waits for more."""
        if self._file.closed:
            raise ValueError(f"{self.path}: writer is closed")
        view = memoryview(data).cast("B")
        if self._buffer:
            take = min(RECORD_SIZE - len(self._buffer), len(view))
            self._buffer += view[:take]
            view = view[take:]
            if len(self._buffer) < RECORD_SIZE:
                return
            self._emit(bytes(self._buffer))
            self._buffer.clear()
        while len(view) >= RECORD_SIZE:
            self._emit(view[:RECORD_SIZE])
            view = view[RECORD_SIZE:]
        self._buffer += view

    def commit(self) -> tuple[int, int]:
        """Seal the buffered tail as a record, fsync, and return ``(file_bytes, records)``:
        the point to store in the database and to pass as ``resume_at`` later."""
        if self._file.closed:
            raise ValueError(f"{self.path}: writer is closed")
        if self._buffer:
            self._emit(bytes(self._buffer))
            self._buffer.clear()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._committed = (self._pos, self._records)
        return self._committed

    def close(self) -> None:
        """Close the file; anything written since the last ``commit`` is abandoned (a later
        ``resume_at`` cuts it off)."""
        self._buffer.clear()
        self._file.close()

    def __enter__(self) -> EncryptedWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None and not self._file.closed:
                self.commit()
        finally:
            self.close()


def decrypt_records(path: Path | str, file_key: bytes, *, records: int) -> Iterator[bytes]:
    """Stream the plaintext of an encrypted file, one record (≤ ``RECORD_SIZE``) at a time.

    ``records`` is the count stored in the database at the last commit. Raises
    ``VaultIntegrityError`` on a bad header, a record that fails authentication (altered, moved,
    or the wrong key), or a record count other than ``records`` (truncated or extended file).
    Caveat: records before the failing one have already been yielded; a caller that streams to a
    user must abort the response (and should check the plaintext SHA-256 at the end).
    """
    path = Path(path)
    aead = _aead(file_key)
    with open(path, "rb") as fh:
        if fh.read(len(HEADER)) != HEADER:
            raise VaultIntegrityError(f"{path}: not a cicnet encrypted file (bad header)")
        index = 0
        while True:
            raw = fh.read(4)
            if not raw:
                break
            if index >= records:
                raise VaultIntegrityError(
                    f"{path}: more data after the {records} records recorded for this file "
                    "(data was appended)"
                )
            length = int.from_bytes(raw, "big") if len(raw) == 4 else -1
            if length < NONCE_SIZE + TAG_SIZE or length > _MAX_RECORD_LENGTH:
                raise VaultIntegrityError(
                    f"{path}: record {index} has an impossible length (file damaged or truncated)"
                )
            body = fh.read(length)
            if len(body) != length:
                raise VaultIntegrityError(f"{path}: record {index} is cut short (file truncated)")
            try:
                yield aead.decrypt(body[:NONCE_SIZE], body[NONCE_SIZE:], _aad(index))
            except InvalidTag:
                raise VaultIntegrityError(
                    f"{path}: record {index} failed authentication (altered, moved from another "
                    "position, or decrypted with the wrong key)"
                ) from None
            index += 1
        if index != records:
            raise VaultIntegrityError(
                f"{path}: {index} records where {records} were recorded (the file was truncated)"
            )


# ---------------------------------------------------------------------------- instance signing key

_SIGNING_KEYS: dict[Path, Ed25519PrivateKey] = {}
_SIGNING_LOCK = threading.Lock()


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """Load the Ed25519 private key (unencrypted PKCS#8 PEM) at ``path``; on first use create
    it with mode 0600 (its directory 0700). Not cached; see ``signing_key``."""
    if not path.exists():
        fresh = Ed25519PrivateKey.generate()
        pem = fresh.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _create_exclusively(path, pem)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise VaultKeyError(
            f"{SIGNING_SETTING}: {path} is not an unencrypted PEM private key ({exc})"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise VaultKeyError(
            f"{SIGNING_SETTING}: {path} holds a {type(key).__name__}, not an Ed25519 key"
        )
    return key


def signing_key() -> Ed25519PrivateKey:
    """The instance's signing key from ``CICNET_SIGNING_KEY_FILE``, cached per path for the
    life of the process (replacing the file needs a restart)."""
    from django.conf import settings

    path = Path(getattr(settings, SIGNING_SETTING)).resolve()
    with _SIGNING_LOCK:
        key = _SIGNING_KEYS.get(path)
        if key is None:
            key = _SIGNING_KEYS[path] = load_or_create_signing_key(path)
    return key


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public half as SubjectPublicKeyInfo PEM text (what packages carry)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
