"""``cicnet restore SRC``: a backup written by ``cicnet backup`` back into an empty instance.

In this order, and nothing is written before step 3:

1. The manifest is read and every file of the backup is hashed against it; a file that differs,
   is missing or is not listed is named and the restore stops. So are a backup of the other
   database kind and one made by a newer cicnet (migrations this code does not know).
2. The instance must be empty (no row in any cicnet table, no file in ``MEDIA_ROOT`` or
   ``CICNET_EVIDENCE_DIR``, no different key file); ``force`` replaces what is there instead.
   The keys come from ``SRC/keys`` or from the folder given apart (``keys``); they are checked
   against their own manifest too.
3. The database (SQLite backup API into the configured file, or ``pg_restore --clean
   --if-exists``), the files (each through a temporary name, no link followed) and the keys.
4. Migrations newer than the backup are applied, the search index is rebuilt from the
   database, every evidence item's custody chain is verified and its file key unwrapped with
   the restored keys, and the counts are compared with the manifest's.

Caveats: ``force`` leaves files that are not in the backup where they are (rows no longer point
to them); on PostgreSQL, tables the backup does not know are left too. A restore interrupted in
step 3 or 4 leaves a partial instance: run it again with ``force``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from cicnet.server.backup import (
    FORMAT,
    KEYS_DIR_PREFIX,
    KEYS_FOLDER,
    KEYS_MANIFEST,
    MANIFEST,
    SIGNING_KEY_ENTRY,
    database_engine,
    pg_tool,
    run_pg_tool,
    snapshot_facts,
    stores,
)
from cicnet.server.backup_store import (
    BackupError,
    FileEntry,
    checked_relative,
    hash_file,
    place_file,
    safe_target,
    walk_store,
)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")

Report = Callable[[str], None]


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path}: missing; is {path.parent} a cicnet backup?") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: not a readable JSON manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path}: not a {FORMAT} manifest")
    return data


def _entries(manifest: dict[str, Any], *, where: Path) -> list[FileEntry]:
    entries = []
    for raw in manifest.get("files") or []:
        if not isinstance(raw, dict):
            raise BackupError(f"{where}: a file entry is not an object")
        path = checked_relative(raw.get("path"), where=str(where))
        size, sha = raw.get("size"), raw.get("sha256")
        well_formed = isinstance(size, int) and size >= 0 and isinstance(sha, str)
        if not well_formed or not _SHA256.match(str(sha)):
            raise BackupError(f"{where}: {path}: size or SHA-256 missing or malformed")
        entries.append(FileEntry(path.as_posix(), int(str(size)), str(sha)))
    return entries


def _differences(folder: Path, entries: list[FileEntry], *, unlisted_ok: set[str]) -> list[str]:
    """One line per file of ``folder`` that differs from ``entries``, is missing or unlisted."""
    problems = []
    for entry in entries:
        try:
            size, sha = hash_file(folder / entry.path)
        except FileNotFoundError:
            problems.append(f"{folder / entry.path}: missing")
            continue
        except (OSError, BackupError) as exc:
            problems.append(f"{folder / entry.path}: cannot be read ({exc})")
            continue
        if (size, sha) != (entry.size, entry.sha256):
            problems.append(
                f"{folder / entry.path}: differs from the manifest ({size} bytes, SHA-256 "
                f"{sha}; the manifest says {entry.size} bytes, {entry.sha256})"
            )
    listed = {e.path for e in entries} | unlisted_ok
    files, skipped = walk_store(folder)
    for relative in files:
        text = relative.as_posix()
        if text not in listed and not text.startswith(f"{KEYS_FOLDER}/"):
            problems.append(f"{folder / text}: not in the manifest")
    return problems + skipped


@dataclass
class VerifiedBackup:
    """A backup whose every file matches its manifest, and where its keys are."""

    src: Path
    manifest: dict[str, Any]
    data: list[FileEntry]
    keys_folder: Path | None
    keys: list[FileEntry]
    notes: list[str] = field(default_factory=list)


def backup_verify(*, src: Path, keys: Path | None, without_keys: bool) -> VerifiedBackup:
    """Check ``src`` (and the keys folder) against the manifests; ``BackupError`` naming every
    file that differs. Reads only."""
    manifest = _read_manifest(src / MANIFEST)
    data = _entries(manifest, where=src / MANIFEST)
    problems = _differences(src, data, unlisted_ok={MANIFEST})
    database = manifest.get("database") or {}
    if database.get("engine") != database_engine():
        raise BackupError(
            f"DATABASE_URL: the backup holds a {database.get('engine')} database and this "
            f"instance is configured for {database_engine()}; restore into one of the same kind"
        )
    if not any(e.path == database.get("file") for e in data):
        problems.append(f"{src / MANIFEST}: the database file is not among the listed files")
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest.get("migrations") or []) - known)
    if unknown:
        raise BackupError(
            f"{src / MANIFEST}: made by a newer cicnet ({manifest.get('cicnet_version')}); "
            f"this one lacks the migrations {', '.join(unknown[:5])}; upgrade cicnet first"
        )
    keys_folder: Path | None = keys if keys is not None else src / KEYS_FOLDER
    key_entries: list[FileEntry] = []
    notes: list[str] = []
    expected_keys = int((manifest.get("keys") or {}).get("files") or 0)
    if without_keys:
        keys_folder = None
    elif keys_folder is None or not (keys_folder / KEYS_MANIFEST).exists():
        if keys is not None or expected_keys:
            raise BackupError(
                f"--keys: no {KEYS_MANIFEST} in {keys_folder}; give the keys folder this "
                "backup wrote (stored apart), or --no-keys if this instance already has its "
                "keys (CICNET_EVIDENCE_KEYS, CICNET_SIGNING_KEY_FILE)"
            )
        keys_folder = None
    else:
        keys_manifest = _read_manifest(keys_folder / KEYS_MANIFEST)
        key_entries = _entries(keys_manifest, where=keys_folder / KEYS_MANIFEST)
        problems += _differences(keys_folder, key_entries, unlisted_ok={KEYS_MANIFEST})
        if keys_manifest.get("backup_id") != manifest.get("backup_id"):
            notes.append(
                f"the keys in {keys_folder} were saved by another backup "
                f"({keys_manifest.get('created_at')}); the checks below say whether they fit"
            )
    if problems:
        raise BackupError(
            "the backup does not match its manifest; nothing was restored:\n  "
            + "\n  ".join(problems)
        )
    return VerifiedBackup(src, manifest, data, keys_folder, key_entries, notes)


def _key_target(entry: FileEntry) -> Path:
    if entry.path == SIGNING_KEY_ENTRY:
        return Path(settings.CICNET_SIGNING_KEY_FILE)
    path = PurePosixPath(entry.path)
    if path.parts[0] != KEYS_DIR_PREFIX or len(path.parts) < 2:
        raise BackupError(f"{KEYS_MANIFEST}: {entry.path}: not a key file this cicnet restores")
    return Path(settings.CICNET_KEYS_DIR).joinpath(*path.parts[1:])


def _data_target(entry: FileEntry) -> Path:
    path = PurePosixPath(entry.path)
    root = stores().get(path.parts[0])
    if root is None or len(path.parts) < 2:
        raise BackupError(f"{MANIFEST}: {entry.path}: not in a folder this cicnet restores")
    return safe_target(root, PurePosixPath(*path.parts[1:]))


def _rows_present() -> list[str]:
    tables = set(connection.introspection.table_names())
    return [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("cicnet.")
        and not model._meta.proxy
        and model._meta.db_table in tables
        and model._default_manager.exists()
    ]


def instance_problems(backup: VerifiedBackup) -> list[str]:
    """Why this instance is not empty: rows, stored files, key files that differ."""
    problems = []
    rows = _rows_present()
    if rows:
        problems.append(f"the database already holds data ({', '.join(rows[:6])})")
    for name, root in stores().items():
        files, skipped = walk_store(root)
        if files or skipped:
            problems.append(f"{root} ({name}) already holds {len(files) + len(skipped)} file(s)")
    for entry in backup.keys:
        target = _key_target(entry)
        if target.exists() and hash_file(target) != (entry.size, entry.sha256):
            problems.append(f"{target} exists and differs from the backup's key")
    return problems


def _restore_database(backup: VerifiedBackup) -> None:
    source = backup.src / backup.manifest["database"]["file"]
    connections.close_all()
    if database_engine() == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        writer = sqlite3.connect(target, timeout=20)
        try:
            reader.backup(writer)
        finally:
            reader.close()
            writer.close()
    else:
        run_pg_tool(
            [
                pg_tool("CICNET_PG_RESTORE"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ]
        )
    connections.close_all()


@dataclass
class RestoreResult:
    counts: dict[str, int]
    files: int
    bytes: int
    key_files: int
    migrations_applied: int
    indexed: int
    chains_verified: int
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _vault_problems() -> tuple[int, list[str]]:
    """Custody chains that verify, and every problem: a broken chain, a file key the restored
    key-encryption keys do not unwrap. The files themselves: ``cicnet evidence check``."""
    from cicnet.evidence import crypto
    from cicnet.evidence.custody_log import custody_check
    from cicnet.evidence.models import EvidenceItem

    problems: list[str] = []
    value = str(settings.CICNET_EVIDENCE_KEYS or "").strip()
    key_file = Path(settings.CICNET_KEYS_DIR) / "evidence-keys"
    ring = None
    if value:
        ring = crypto.parse_kek_ring(value)
    elif key_file.is_file():
        ring = crypto.parse_kek_ring(key_file.read_text("ascii"), source=str(key_file))
    verified = 0
    for item in EvidenceItem.objects.order_by("pk").iterator():
        chain = custody_check(item)
        problems.extend(chain)
        verified += not chain
        if ring is None:
            continue
        try:
            crypto.unwrap_file_key(item.kek_id, bytes(item.wrapped_key), ring)
        except crypto.VaultKeyError as exc:
            problems.append(f"{item.uid}: {exc}")
    if ring is None and verified:
        problems.append(
            "no key-encryption keys (CICNET_EVIDENCE_KEYS or the keys folder): evidence files "
            "cannot be read until they are given"
        )
    return verified, problems


def backup_restore(
    *, src: Path, keys: Path | None, without_keys: bool, force: bool, report: Report
) -> RestoreResult:
    """Restore the backup at ``src`` into this instance; see the module docstring."""
    backup = backup_verify(src=src.absolute(), keys=keys, without_keys=without_keys)
    for note in backup.notes:
        report(note)
    blockers = instance_problems(backup)
    if blockers and not force:
        raise BackupError(
            "this instance is not empty; restore into an empty one, or give --force to replace "
            "it:\n  " + "\n  ".join(blockers)
        )
    _restore_database(backup)
    database_file = backup.manifest["database"]["file"]
    files = [e for e in backup.data if e.path != database_file]
    for entry in files:
        place_file(backup.src / entry.path, _data_target(entry), mode=0o600)
    if backup.keys_folder is not None:
        for entry in backup.keys:
            target = _key_target(entry)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            place_file(backup.keys_folder / entry.path, target, mode=0o600)

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
    from cicnet.search.services import rebuild_index

    indexed = rebuild_index()
    with connection.cursor() as cursor:
        counts = snapshot_facts(cursor)["counts"]
    verified, problems = _vault_problems()
    expected = backup.manifest.get("counts") or {}
    if not plan and counts != expected:
        problems.append(f"restored counts {counts} differ from the manifest's {expected}")
    return RestoreResult(
        counts=counts,
        files=len(files),
        bytes=sum(e.size for e in files),
        key_files=len(backup.keys),
        migrations_applied=len(plan),
        indexed=indexed,
        chains_verified=verified,
        problems=problems,
    )
