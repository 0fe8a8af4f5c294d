"""Evidence files into the vault: a chunked, resumable upload that becomes an item only when the
whole file has arrived and the SHA-256 the server computes equals the one the sender declares.

1. ``upload_start``: metadata and size are checked before any byte is sent (an unknown
   handling code or a file over ``CICNET_EVIDENCE_MAX_BYTES`` is refused here).
2. ``upload_chunk``: each chunk is encrypted as it is written (``crypto.EncryptedWriter``), so
   no plaintext touches the disk, and memory is bounded by the chunk size whatever the file
   size. A chunk is committed only when all of it has arrived; an interrupted chunk is
   overwritten by the retry (the client asks ``upload_status`` where to resume).
3. ``upload_complete``: the encrypted file is read back once, its SHA-256 computed and compared
   with the sender's. A mismatch discards the upload with a message giving both hashes. On a
   match the file moves into the vault and the item, its first custody entry and (for a
   derived item) the parent's ``derived`` entry are written in one transaction.

Nothing half-written stays: a failed step deletes its file; ``cicnet evidence purge-uploads``
removes uploads abandoned for longer than ``CICNET_EVIDENCE_UPLOAD_TTL_HOURS``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.evidence import crypto, sniff
from cicnet.evidence.custody_log import custody_append
from cicnet.evidence.models import EvidenceItem, Referral, SubmissionEvent, Upload
from cicnet.evidence.selectors import OPEN_STATES, SubmissionContext
from cicnet.evidence.services import EvidenceDenied, EvidenceInputError, new_uid, user_id_of

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_BAD_NAME = re.compile(r"[\x00-\x1f/\\]")


class UploadOffsetError(EvidenceInputError):
    """A chunk sent for the wrong offset; ``received`` says where to resume."""

    def __init__(self, message: str, received: int, *, field: str = "offset") -> None:
        super().__init__(message, field=field)
        self.received = received


def evidence_dir() -> Path:
    return Path(settings.CICNET_EVIDENCE_DIR)


def _upload_path(upload: Upload) -> Path:
    return evidence_dir() / "uploads" / upload.storage_name


def item_path(item: EvidenceItem) -> Path:
    return evidence_dir() / "vault" / item.storage_name


def chunk_limit() -> int:
    return int(settings.CICNET_EVIDENCE_CHUNK_BYTES)


def clean_filename(filename: str) -> str:
    """The base name of ``filename``; refused when empty, too long or with control characters."""
    name = PurePath(filename.replace("\\", "/")).name.strip()
    if not name or name in (".", ".."):
        raise EvidenceInputError("filename: give the file's name.", field="filename")
    if len(name) > 255 or _BAD_NAME.search(name):
        raise EvidenceInputError(
            f"filename: {name[:60]!r} is too long or holds control characters; rename the file.",
            field="filename",
        )
    return name


@transaction.atomic
def upload_start(
    *,
    actor: policy.Actor,
    context: SubmissionContext,
    filename: str,
    size: int,
    metadata: dict[str, Any],
) -> Upload:
    """Open an upload for one file with its validated metadata (``forms.ItemMetadataForm``)."""
    if not context.can_add_items:
        raise EvidenceDenied("you may not add items to this submission now")
    name = clean_filename(filename)
    limit = int(settings.CICNET_EVIDENCE_MAX_BYTES)
    if size <= 0:
        raise EvidenceInputError(f"size: {name} is empty; there is nothing to keep.", field="size")
    if size > limit:
        raise EvidenceInputError(
            f"size: {name} is {size:,} bytes; this vault accepts files up to {limit:,} bytes "
            "(CICNET_EVIDENCE_MAX_BYTES). Split the file or ask the operator.",
            field="size",
        )
    if context.side == "authority" and not metadata.get("parent"):
        raise EvidenceInputError(
            "parent: an authority adds derived items only (a working copy, a redaction …); "
            "choose the item it was made from.",
            field="parent",
        )
    ring = crypto.kek_ring()
    file_key = crypto.new_file_key()
    kek_id, wrapped = crypto.wrap_file_key(file_key, ring)
    upload = Upload(
        upload_id=secrets.token_urlsafe(24),
        submission=context.submission,
        created_by_id=user_id_of(actor),
        side=context.side,
        organisation_name=context.organisation_label,
        filename=name,
        size=size,
        metadata=metadata,
        storage_name=secrets.token_hex(16),
        kek_id=kek_id,
        wrapped_key=wrapped,
    )
    path = _upload_path(upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    with crypto.EncryptedWriter(path, file_key) as writer:
        upload.file_bytes, upload.records = writer.commit()
    try:
        upload.save()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return upload


def upload_get(*, actor: policy.Actor, upload_id: str) -> Upload | None:
    """An upload of the actor's own (nobody else may see or continue it)."""
    if actor.user_id is None:
        return None
    return Upload.objects.filter(upload_id=upload_id, created_by_id=actor.user_id).first()


def upload_chunk(*, actor: policy.Actor, upload_id: str, offset: int, data: bytes) -> int:
    """Append one chunk at ``offset``; returns the bytes received so far."""
    with transaction.atomic():
        upload = (
            Upload.objects.select_for_update()
            .filter(upload_id=upload_id, created_by_id=actor.user_id)
            .first()
        )
        if upload is None:
            raise EvidenceDenied("no such upload")
        if offset != upload.received:
            raise UploadOffsetError(
                f"offset: this upload has {upload.received:,} bytes; send the chunk that "
                f"starts there (you sent one starting at {offset:,}).",
                upload.received,
            )
        if not data:
            raise EvidenceInputError("chunk: the request carried no bytes.", field="chunk")
        if len(data) > chunk_limit():
            raise EvidenceInputError(
                f"chunk: at most {chunk_limit():,} bytes per request (you sent {len(data):,}).",
                field="chunk",
            )
        if upload.received + len(data) > upload.size:
            raise EvidenceInputError(
                f"chunk: {upload.filename} was declared as {upload.size:,} bytes; this chunk "
                "goes past its end. Start the upload again with the right size.",
                field="chunk",
            )
        problem = (
            sniff.disguised_executable(upload.filename, bytes(data[: sniff.HEAD_BYTES]))
            if offset == 0
            else ""
        )
        if problem:
            _discard(upload)  # committed below, before the refusal is raised
        else:
            file_key = crypto.unwrap_file_key(
                upload.kek_id, bytes(upload.wrapped_key), crypto.kek_ring()
            )
            with crypto.EncryptedWriter(
                _upload_path(upload), file_key, resume_at=(upload.file_bytes, upload.records)
            ) as writer:
                writer.write(data)
                upload.file_bytes, upload.records = writer.commit()
            upload.received += len(data)
            upload.save(update_fields=["received", "file_bytes", "records", "updated_at"])
    if problem:
        raise EvidenceInputError(f"file: {problem}", field="file")
    return upload.received


def _discard(upload: Upload) -> None:
    _upload_path(upload).unlink(missing_ok=True)
    upload.delete()


@transaction.atomic
def upload_discard(*, actor: policy.Actor, upload_id: str) -> bool:
    upload = upload_get(actor=actor, upload_id=upload_id)
    if upload is None:
        return False
    _discard(upload)
    return True


def _plaintext(path: Path, kek_id: str, wrapped: bytes, records: int) -> Iterator[bytes]:
    file_key = crypto.unwrap_file_key(kek_id, wrapped, crypto.kek_ring())
    yield from crypto.decrypt_records(path, file_key, records=records)


def upload_complete(
    *, actor: policy.Actor, context: SubmissionContext, upload_id: str, declared_sha256: str
) -> EvidenceItem:
    """Check the whole file against the sender's SHA-256 and turn it into an item."""
    upload = upload_get(actor=actor, upload_id=upload_id)
    if upload is None or upload.submission_id != context.submission.pk:
        raise EvidenceDenied("no such upload")
    declared = declared_sha256.strip().lower()
    if not _SHA256.match(declared):
        raise EvidenceInputError(
            "sha256: give the file's SHA-256 as 64 hexadecimal characters.", field="sha256"
        )
    if upload.received != upload.size:
        raise UploadOffsetError(
            f"file: {upload.filename} is incomplete ({upload.received:,} of {upload.size:,} "
            f"bytes); send the rest from byte {upload.received:,}.",
            upload.received,
            field="file",
        )
    digest = hashlib.sha256()
    head = b""
    path = _upload_path(upload)
    for piece in _plaintext(path, upload.kek_id, bytes(upload.wrapped_key), upload.records):
        if len(head) < sniff.HEAD_BYTES:
            head += piece[: sniff.HEAD_BYTES - len(head)]
        digest.update(piece)
    actual = digest.hexdigest()
    if actual != declared:
        with transaction.atomic():
            _discard(upload)
        raise EvidenceInputError(
            f"sha256: {upload.filename} arrived with SHA-256 {actual}, but your device computed "
            f"{declared}. The file changed on the way or on disk; the upload was discarded — "
            "upload it again.",
            field="sha256",
        )
    problem = sniff.disguised_executable(upload.filename, head)
    if problem:
        with transaction.atomic():
            _discard(upload)
        raise EvidenceInputError(f"file: {problem}", field="file")
    return _item_create(actor=actor, context=context, upload=upload, sha256=actual, head=head)


def _item_create(
    *, actor: policy.Actor, context: SubmissionContext, upload: Upload, sha256: str, head: bytes
) -> EvidenceItem:
    meta = dict(upload.metadata)
    parent_uid = meta.pop("parent", "") or ""
    related_uids: list[str] = meta.pop("related", []) or []
    derivation = meta.pop("derivation", "") or ""
    captured_at = meta.pop("captured_at", None)
    by_uid = {i.uid: i for i in context.items}
    parent = by_uid.get(parent_uid) if parent_uid else None
    if parent_uid and parent is None:
        raise EvidenceInputError(
            f"parent: {parent_uid} is not an item of this submission.", field="parent"
        )
    item = EvidenceItem(
        uid=new_uid("EV"),
        submission=context.submission,
        parent=parent,
        derivation=derivation if parent else "",
        filename=upload.filename,
        size=upload.size,
        sha256=sha256,
        media_type=sniff.media_type(upload.filename, head),
        storage_name=upload.storage_name,
        ciphertext_size=upload.file_bytes,
        records=upload.records,
        kek_id=upload.kek_id,
        wrapped_key=bytes(upload.wrapped_key),
        captured_at=dt.datetime.fromisoformat(captured_at) if captured_at else None,
        created_by_id=user_id_of(actor),
        created_by_side=context.side,
        **meta,
    )
    source = _upload_path(upload)
    target = item_path(item)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    try:
        with transaction.atomic():
            item.save()
            if related_uids:
                item.related.set([by_uid[u] for u in related_uids if u in by_uid])
            upload.delete()
            custody_append(
                item=item,
                action="created",
                actor=actor.username,
                organisation=context.organisation_label,
                purpose="received in the vault",
                details={
                    "sha256": sha256,
                    "size": item.size,
                    "filename": item.filename,
                    "media_type": item.media_type,
                    "handling_code": item.handling_code,
                    "parent": parent.uid if parent else None,
                    "parent_sha256": parent.sha256 if parent else None,
                    "derivation": item.derivation,
                    "hash_checked": "server SHA-256 equals the sender's",
                },
            )
            if parent is not None:
                custody_append(
                    item=parent,
                    action="derived",
                    actor=actor.username,
                    organisation=context.organisation_label,
                    purpose=f"{item.get_derivation_display().lower()} made",
                    details={"child": item.uid, "child_sha256": sha256, "derivation": derivation},
                )
            if context.submission.state == "submitted":
                for referral in Referral.objects.filter(
                    submission=context.submission, state__in=sorted(OPEN_STATES)
                ).select_related("organisation"):
                    custody_append(
                        item=item,
                        action="shared",
                        actor=actor.username,
                        organisation=context.organisation_label,
                        purpose="added to a submitted submission",
                        details={"recipient": referral.organisation.name},
                    )
            SubmissionEvent.objects.create(
                submission=context.submission,
                item=item,
                actor_label=f"{actor.username} · {context.organisation_label}",
                kind="item",
                text=f"Item {item.uid} added: {item.filename} ({item.size:,} bytes, SHA-256 "
                f"{sha256[:16]}…)" + (f", {item.derivation} of {parent.uid}" if parent else ""),
            )
            audit_record(
                actor=actor,
                action="evidence.create",
                object_type="evidence_item",
                object_id=item.uid,
                changes={"sha256": sha256},
            )
    except Exception:
        os.replace(target, source)
        raise
    return item


def item_plaintext(item: EvidenceItem) -> Iterator[bytes]:
    """The item's bytes, decrypted as they are read; raises ``crypto.VaultIntegrityError`` at
    the end if they do not hash to the recorded SHA-256."""
    digest = hashlib.sha256()
    for piece in _plaintext(item_path(item), item.kek_id, bytes(item.wrapped_key), item.records):
        digest.update(piece)
        yield piece
    if digest.hexdigest() != item.sha256:
        raise crypto.VaultIntegrityError(
            f"{item.uid}: stored file hashes to {digest.hexdigest()}, recorded {item.sha256}"
        )


def purge_stale_uploads(*, older_than: dt.timedelta) -> int:
    """Delete uploads untouched for ``older_than`` (their encrypted partial files included)."""
    cutoff = timezone.now() - older_than
    count = 0
    for upload in Upload.objects.filter(updated_at__lt=cutoff):
        with transaction.atomic():
            _discard(upload)
        count += 1
    return count
