"""``cicnet backup DEST``: the database, the stored files, the evidence vault, and the keys apart.

A backup is a folder::

    manifest.json          format, cicnet version, time, migration state, counts, and the size
                           and SHA-256 of every file below (what ``cicnet restore`` checks first)
    database/              cicnet.sqlite3 (SQLite online backup) or cicnet.pgdump (pg_dump -Fc)
    files/                 MEDIA_ROOT: network documents, decision source files
    evidence/              CICNET_EVIDENCE_DIR: the encrypted vault (and uploads in progress)
    keys/                  the keys, with their own keys-manifest.json: move this folder
                           elsewhere (another medium, another custodian); the data beside them is
                           only as safe as the place both are kept

The database copy is consistent while the server runs: SQLite's online backup API copies one
snapshot, ``pg_dump`` dumps one snapshot, and the counts and migration state in the manifest are
read from that same snapshot. The files are copied after it, so a file added meanwhile is in the
backup without its row (harmless) and one removed meanwhile is missing (``cicnet evidence check``
names it after a restore). The search index is not copied: ``cicnet restore`` rebuilds it.

Everything is written under ``DEST.partial`` and renamed to ``DEST`` only when complete, so an
interrupted backup never looks like one. The manifest detects a damaged or altered file; it is
not signed, so it does not stop someone who can rewrite the whole backup.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

import cicnet
from cicnet.server.backup_store import (
    BackupError,
    FileEntry,
    copy_file,
    fsync_dir,
    hash_file,
    walk_store,
    write_json,
)

FORMAT = "cicnet-backup/1"
MANIFEST = "manifest.json"
KEYS_FOLDER = "keys"
KEYS_MANIFEST = "keys-manifest.json"
SQLITE_FILE = "database/cicnet.sqlite3"
PGDUMP_FILE = "database/cicnet.pgdump"
SIGNING_KEY_ENTRY = "signing-key.pem"
KEYS_DIR_PREFIX = "keys-dir"
PG_TIMEOUT_S = 6 * 3600

# What the manifest counts, by model (app label, model name).
COUNTED = {
    "decisions": ("jurisprudence", "Decision"),
    "documents": ("network", "Document"),
    "evidence_items": ("evidence", "EvidenceItem"),
    "custody_entries": ("evidence", "CustodyEntry"),
    "users": ("accounts", "User"),
}

Report = Callable[[str], None]


def stores() -> dict[str, Path]:
    """The data folders a backup holds, by their folder name in the backup."""
    return {"files": Path(settings.MEDIA_ROOT), "evidence": Path(settings.CICNET_EVIDENCE_DIR)}


def database_engine() -> str:
    """``sqlite`` or ``postgresql``: the two databases cicnet runs on."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"DATABASE_URL: cicnet backs up SQLite or PostgreSQL, not {vendor}")
    return vendor


def pg_tool(setting: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore`` as the setting names it; ``BackupError``
    naming the setting when it is not found."""
    value = str(getattr(settings, setting))
    found = shutil.which(value)
    if found is None:
        raise BackupError(
            f"{setting}: {value!r} was not found. Install the PostgreSQL client tools (the "
            f"server's major version or newer) or set {setting} to the program's full path."
        )
    return found


def pg_environment() -> dict[str, str]:
    """The environment that points ``pg_dump``/``pg_restore`` at the configured database."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def run_pg_tool(args: Sequence[str]) -> None:
    """Run a PostgreSQL client program; ``BackupError`` with its message when it fails."""
    proc = subprocess.run(  # noqa: S603  # a configured PostgreSQL client, fixed arguments
        list(args),
        env=pg_environment(),
        capture_output=True,
        text=True,
        timeout=PG_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        name = Path(args[0]).name
        raise BackupError(f"{name} failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")


def snapshot_facts(cursor: Any) -> dict[str, Any]:
    """Counts and applied migrations read through ``cursor`` (a DB-API cursor on the snapshot
    being backed up, or on the restored database)."""
    from django.apps import apps

    counts: dict[str, int] = {}
    for name, (app_label, model_name) in COUNTED.items():
        table = apps.get_model(app_label, model_name)._meta.db_table
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608  # a model's own table
        counts[name] = int(cursor.fetchone()[0])
    cursor.execute('SELECT "app", "name" FROM "django_migrations"')
    migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    return {"counts": counts, "migrations": migrations}


def _dump_sqlite(target: Path) -> dict[str, Any]:
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # one consistent snapshot, while other processes keep writing
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        (check,) = copy.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"{target}: the database copy does not check out: {check}")
        facts = snapshot_facts(copy.cursor())
    finally:
        copy.close()
    os.chmod(target, 0o600)
    return facts


def _dump_postgresql(target: Path) -> dict[str, Any]:
    pg_dump = pg_tool("CICNET_PG_DUMP")
    with transaction.atomic(), connection.cursor() as cursor:
        # The counts and pg_dump read the same snapshot, exported from this transaction.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        facts = snapshot_facts(cursor)
        run_pg_tool(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                f"--dbname={connection.settings_dict['NAME']}",
            ]
        )
    os.chmod(target, 0o600)
    return facts


@dataclass
class BackupResult:
    dest: Path
    counts: dict[str, int]
    database_bytes: int
    files: int  # stored files, the database not included
    bytes: int
    key_files: int
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _partial_of(dest: Path) -> Path:
    return dest.with_name(dest.name + ".partial")


def _check_dest(dest: Path) -> None:
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise BackupError(f"DEST: {dest} exists and is not a folder; choose a new folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise BackupError(f"DEST: {dest} exists and is not empty; choose a new folder")
    partial = _partial_of(dest)
    if partial.exists() or partial.is_symlink():
        raise BackupError(
            f"DEST: {partial} exists (an interrupted backup?); remove it or choose another DEST"
        )


def _key_sources() -> tuple[list[tuple[str, Path]], list[str]]:
    """The key files to keep apart: (path inside keys/, source) pairs, and skipped entries."""
    signing = Path(settings.CICNET_SIGNING_KEY_FILE)
    keys_dir = Path(settings.CICNET_KEYS_DIR)
    found: list[tuple[str, Path]] = []
    if signing.is_file() and not signing.is_symlink():
        found.append((SIGNING_KEY_ENTRY, signing))
    files, skipped = walk_store(keys_dir)
    for relative in files:
        source = keys_dir / relative
        if source.name.startswith(".") or source.resolve() == signing.resolve():
            continue  # a key being created (temporary file), or the signing key taken above
        found.append((f"{KEYS_DIR_PREFIX}/{relative.as_posix()}", source))
    return found, skipped


def _is_key_file(path: Path) -> bool:
    """Whether ``path`` (inside a data store) is one of the keys, which stay out of the data."""
    keys_dir = Path(settings.CICNET_KEYS_DIR).resolve()
    resolved = path.resolve()
    signing = Path(settings.CICNET_SIGNING_KEY_FILE).resolve()
    return resolved == signing or resolved.is_relative_to(keys_dir)


def _copy_tree(
    root: Path, folder: str, into: Path, entries: list[FileEntry], skipped: list[str]
) -> None:
    files, skipped_here = walk_store(root)
    skipped.extend(skipped_here)
    for relative in files:
        source = root / relative
        if _is_key_file(source):
            skipped.append(f"{source}: a key file inside a data folder; it goes to keys/ only")
            continue
        name = f"{folder}/{relative.as_posix()}"
        target = into / name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        size, sha = copy_file(source, target)
        entries.append(FileEntry(name, size, sha))


def backup_create(*, dest: Path, report: Report) -> BackupResult:
    """Write a complete backup to ``dest`` (a new or empty folder); see the module docstring."""
    dest = dest.absolute()
    _check_dest(dest)
    engine = database_engine()
    partial = _partial_of(dest)
    partial.mkdir(mode=0o700, parents=True)
    (partial / "database").mkdir(mode=0o700)
    database_file = SQLITE_FILE if engine == "sqlite" else PGDUMP_FILE
    if engine == "sqlite":
        facts = _dump_sqlite(partial / database_file)
    else:
        facts = _dump_postgresql(partial / database_file)
    size, sha = hash_file(partial / database_file)
    entries = [FileEntry(database_file, size, sha)]
    skipped: list[str] = []
    for folder, root in stores().items():
        _copy_tree(root, folder, partial, entries, skipped)

    key_sources, key_skipped = _key_sources()
    skipped.extend(key_skipped)
    backup_id = secrets.token_hex(8)
    keys_folder = partial / KEYS_FOLDER
    keys_folder.mkdir(mode=0o700)
    key_entries = []
    for name, source in key_sources:
        target = keys_folder / name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        size, sha = copy_file(source, target)
        key_entries.append(FileEntry(name, size, sha))
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    write_json(
        keys_folder / KEYS_MANIFEST,
        {
            "format": FORMAT,
            "backup_id": backup_id,
            "created_at": created,
            "files": [e.as_json() for e in key_entries],
        },
    )
    notes = []
    if str(settings.CICNET_EVIDENCE_KEYS or "").strip():
        notes.append(
            "CICNET_EVIDENCE_KEYS is set: the vault's key-encryption keys live in your secret "
            "store and are not in this backup; keep them there."
        )
    write_json(
        partial / MANIFEST,
        {
            "format": FORMAT,
            "backup_id": backup_id,
            "cicnet_version": cicnet.__version__,
            "created_at": created,
            "database": {"engine": engine, "file": database_file},
            "migrations": facts["migrations"],
            "counts": facts["counts"],
            "files": [e.as_json() for e in entries],
            "totals": {"files": len(entries), "bytes": sum(e.size for e in entries)},
            "keys": {"folder": KEYS_FOLDER, "files": len(key_entries)},
            "skipped": skipped,
        },
    )
    for written in sorted({p.parent for p in partial.rglob("*") if p.is_file()}, reverse=True):
        fsync_dir(written)
    fsync_dir(partial)
    partial.rename(dest)  # only a complete backup carries the name DEST
    fsync_dir(dest.parent)
    for line in skipped:
        report(f"skipped {line}")
    return BackupResult(
        dest=dest,
        counts=facts["counts"],
        database_bytes=entries[0].size,
        files=len(entries) - 1,
        bytes=sum(e.size for e in entries[1:]),
        key_files=len(key_entries),
        skipped=skipped,
        notes=notes,
    )
