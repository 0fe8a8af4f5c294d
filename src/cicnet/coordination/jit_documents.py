"""The shared document area of a joint investigation team: members upload documents (the
agreement, working documents), list them, download them, and upload new versions; the earlier
versions stay. Every upload and download is audited (ids and hashes only, never a file name or
a title) and each version shows who uploaded it, for which member, and when.

Files are kept the way the evidence vault keeps its items: encrypted at rest with a key of
their own, wrapped by the vault's key-encryption key (``evidence/crypto.py``), under a random
name in ``CICNET_EVIDENCE_DIR/jit/``; read back only as a regular file inside that folder
(``pipeline/files.file_problem``: no symbolic link, no hard link, nothing outside it), checked
against the recorded SHA-256 as it streams, and always served as an attachment
(``server/downloads.py``). An instance administrator reaches none of it through a page, the API
or the Django admin; a Secretariat only when its organisation (Eurojust) is a member.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.coordination.models import JointTeam, JointTeamDocument, JointTeamDocumentVersion
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.evidence import crypto, sniff
from cicnet.evidence.services import EvidenceInputError
from cicnet.evidence.uploads import clean_filename, evidence_dir
from cicnet.network.models import Organisation
from cicnet.pipeline.files import file_problem
from cicnet.vocabularies import vocabulary

# What a document area takes: office documents, PDF, text, images, e-mail, archives. Anything
# else (a program, a script, a web page) is refused by its name; a file whose first bytes are
# an executable is refused whatever its name (``sniff.disguised_executable``).
ALLOWED_SUFFIXES = frozenset(
    {
        ".pdf",
        ".doc",
        ".docx",
        ".odt",
        ".rtf",
        ".txt",
        ".md",
        ".xls",
        ".xlsx",
        ".ods",
        ".csv",
        ".ppt",
        ".pptx",
        ".odp",
        ".jpg",
        ".jpeg",
        ".png",
        ".tif",
        ".tiff",
        ".eml",
        ".msg",
        ".zip",
        ".7z",
    }
)
# Formats whose first bytes are known: a file named so must start with one of them. The
# legacy Office formats and Outlook messages are OLE compound files; a ".doc" that is a web
# page (which Word renders, remote references and all) is refused like a ".pdf" that is not.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_TIFF = (b"II*\x00", b"MM\x00*")
_SIGNATURE_OF: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".odp": _ZIP,
    ".zip": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".msg": _OLE,
    ".rtf": (b"{\\rtf",),
    ".7z": (b"7z\xbc\xaf\x27\x1c",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".tif": _TIFF,
    ".tiff": _TIFF,
}


class DocumentUnreadable(CoordinationInputError):
    """The stored file is missing, not a regular file of the store, or altered."""


def store_dir() -> Path:
    return evidence_dir() / "jit"


def _path(version: JointTeamDocumentVersion) -> Path:
    return store_dir() / version.storage_name


def max_bytes() -> int:
    return int(settings.CICNET_JIT_DOCUMENT_MAX_BYTES)


def _member_org(actor: policy.Actor, team: JointTeam) -> Organisation:
    """The member organisation the actor acts for in ``team``; denied for anyone else."""
    if not policy.can_use_jit_documents(actor, team):
        raise CoordinationDenied("not a member of this team")
    member = (
        team.members.filter(
            organisation_id__in=sorted(actor.organisation_ids), withdrawn_at__isnull=True
        )
        .select_related("organisation")
        .first()
    )
    if member is None:  # pragma: no cover - can_use_jit_documents checked the same rows
        raise CoordinationDenied("not a member of this team")
    return member.organisation


def _check_type(name: str, head: bytes) -> str:
    """The media type of the file, or a refusal naming the file and what the area takes."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise CoordinationInputError(
            f"File: {name} is of a type the document area does not take ({suffix or 'no type'}"
            "). Upload a PDF, an office document, text, an image, an e-mail or an archive "
            f"({', '.join(sorted(ALLOWED_SUFFIXES))}).",
            field="file",
        )
    problem = sniff.disguised_executable(name, head)
    if problem:
        raise CoordinationInputError(f"File: {problem}", field="file")
    if not head.startswith(_SIGNATURE_OF.get(suffix, (b"",))):
        raise CoordinationInputError(
            f"File: {name} is named {suffix} but its content is not; upload the document "
            "itself (or rename it to what it is).",
            field="file",
        )
    return sniff.media_type(name, head)


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    filename: str
    size: int
    sha256: str
    media_type: str
    records: int
    kek_id: str
    wrapped_key: bytes


def _store(name: str, chunks: Iterable[bytes], size: int) -> StoredFile:
    """Check ``name``, its size and its type; encrypt the bytes into the store as they come."""
    try:
        clean = clean_filename(name)
    except EvidenceInputError as exc:
        raise CoordinationInputError(
            "File: " + exc.message.removeprefix("filename: "), field="file"
        ) from None
    limit = max_bytes()
    if size <= 0:
        raise CoordinationInputError(
            f"File: {clean} is empty; choose the document itself.", field="file"
        )
    if size > limit:
        raise CoordinationInputError(
            f"File: {clean} is {size:,} bytes; the document area takes files up to {limit:,} "
            "bytes (CICNET_JIT_DOCUMENT_MAX_BYTES). Split it or ask the operator.",
            field="file",
        )
    ring = crypto.kek_ring()
    file_key = crypto.new_file_key()
    kek_id, wrapped = crypto.wrap_file_key(file_key, ring)
    storage_name = secrets.token_hex(16)
    path = store_dir() / storage_name
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    head = b""
    media = ""
    written = 0
    try:
        with crypto.EncryptedWriter(path, file_key) as writer:
            for chunk in chunks:
                if not head:
                    head = bytes(chunk[: sniff.HEAD_BYTES])
                    media = _check_type(clean, head)
                digest.update(chunk)
                written += len(chunk)
                writer.write(chunk)
            _, records = writer.commit()
        if written != size or not head:
            raise CoordinationInputError(
                f"File: {clean} arrived incomplete; upload it again.", field="file"
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredFile(
        storage_name=storage_name,
        filename=clean,
        size=size,
        sha256=digest.hexdigest(),
        media_type=media,
        records=records,
        kek_id=kek_id,
        wrapped_key=wrapped,
    )


def _version_create(
    *,
    actor: policy.Actor,
    document: JointTeamDocument,
    organisation: Organisation,
    stored: StoredFile,
    note: str,
) -> JointTeamDocumentVersion:
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = JointTeamDocumentVersion.objects.create(
        document=document,
        number=number,
        filename=stored.filename,
        size=stored.size,
        sha256=stored.sha256,
        media_type=stored.media_type,
        storage_name=stored.storage_name,
        records=stored.records,
        kek_id=stored.kek_id,
        wrapped_key=stored.wrapped_key,
        note=note.strip()[:300],
        uploaded_by_id=actor.user_id,
        uploaded_by_name=actor.username,
        organisation=organisation,
    )
    audit_record(
        actor=actor,
        action="coordination.jit_document_upload",
        object_type="coordination.jit",
        object_id=document.team.uid,
        changes={"document": document.pk, "version": number, "sha256": stored.sha256},
    )
    return version


def document_upload(
    *,
    actor: policy.Actor,
    team: JointTeam,
    title: str,
    kind: str,
    filename: str,
    chunks: Iterable[bytes],
    size: int,
    note: str = "",
) -> JointTeamDocumentVersion:
    """Add a document (its version 1) to the team's area: members only."""
    organisation = _member_org(actor, team)
    if not title.strip():
        raise CoordinationInputError("Title: give the document a title.", field="title")
    if kind not in vocabulary("coordination", "jit_document_kinds").ids():
        raise CoordinationInputError(
            "Kind: choose agreement document, working document or other.", field="kind"
        )
    stored = _store(filename, chunks, size)
    try:
        with transaction.atomic():
            document = JointTeamDocument.objects.create(
                team=team, title=title.strip()[:300], kind=kind, organisation=organisation
            )
            return _version_create(
                actor=actor,
                document=document,
                organisation=organisation,
                stored=stored,
                note=note,
            )
    except BaseException:
        (store_dir() / stored.storage_name).unlink(missing_ok=True)
        raise


def version_upload(
    *,
    actor: policy.Actor,
    document: JointTeamDocument,
    filename: str,
    chunks: Iterable[bytes],
    size: int,
    note: str = "",
) -> JointTeamDocumentVersion:
    """Replace a document by a new version; the earlier versions stay readable."""
    organisation = _member_org(actor, document.team)
    stored = _store(filename, chunks, size)
    try:
        with transaction.atomic():
            JointTeamDocument.objects.select_for_update().filter(pk=document.pk).exists()
            return _version_create(
                actor=actor,
                document=document,
                organisation=organisation,
                stored=stored,
                note=note,
            )
    except BaseException:
        (store_dir() / stored.storage_name).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class DocumentRow:
    document: JointTeamDocument
    latest: JointTeamDocumentVersion
    versions: list[JointTeamDocumentVersion]


def team_documents(*, actor: policy.Actor, team: JointTeam) -> list[DocumentRow]:
    """The team's documents with their versions, newest first (two queries)."""
    _member_org(actor, team)
    documents = list(team.documents.select_related("organisation"))
    by_document: dict[int, list[JointTeamDocumentVersion]] = {d.pk: [] for d in documents}
    for version in (
        JointTeamDocumentVersion.objects.filter(document__in=documents)
        .select_related("organisation")
        .defer("wrapped_key")
        .order_by("document", "-number")
    ):
        by_document[version.document_id].append(version)
    return [
        DocumentRow(document=d, latest=by_document[d.pk][0], versions=by_document[d.pk])
        for d in documents
        if by_document[d.pk]
    ]


def document_get(*, actor: policy.Actor, team: JointTeam, uid: str) -> JointTeamDocument | None:
    if not policy.can_use_jit_documents(actor, team):
        return None
    return team.documents.filter(uid=uid).first()


def version_get(
    *, actor: policy.Actor, team: JointTeam, doc: str, number: int
) -> JointTeamDocumentVersion | None:
    document = document_get(actor=actor, team=team, uid=doc)
    if document is None:
        return None
    return document.versions.select_related("document__team").filter(number=number).first()


def version_open(
    *, actor: policy.Actor, team: JointTeam, version: JointTeamDocumentVersion
) -> Iterator[bytes]:
    """The version's bytes for a member, decrypted as they stream; the download is audited
    first. Refused before any byte when the stored file is not a regular file of the store;
    an altered file fails authentication (``crypto.VaultIntegrityError``) while streaming."""
    organisation = _member_org(actor, team)
    path = _path(version)
    problem = file_problem(path, store_dir().resolve())
    if problem:
        raise DocumentUnreadable(
            f"File: the stored copy of {version.filename} {problem}; tell the operator.",
            field="file",
        )
    audit_record(
        actor=actor,
        action="coordination.jit_document_download",
        object_type="coordination.jit",
        object_id=team.uid,
        changes={
            "document": version.document_id,
            "version": version.number,
            "organisation": organisation.pk,
        },
    )
    return _plaintext(version, path)


def _plaintext(version: JointTeamDocumentVersion, path: Path) -> Iterator[bytes]:
    file_key = crypto.unwrap_file_key(version.kek_id, bytes(version.wrapped_key), crypto.kek_ring())
    digest = hashlib.sha256()
    for piece in crypto.decrypt_records(path, file_key, records=version.records):
        digest.update(piece)
        yield piece
    if digest.hexdigest() != version.sha256:
        raise crypto.VaultIntegrityError(
            f"{os.fspath(path)}: stored file hashes to {digest.hexdigest()}, "
            f"recorded {version.sha256}"
        )
