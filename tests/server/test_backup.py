"""``cicnet backup`` and ``cicnet restore`` between two real instances (separate databases,
folders and keys), each command in its own process as an operator would run it.

The source instance holds the demo (decisions in the search index, network documents with
files, a submission whose items went through the vault with their custody chains). After a
restore into an empty instance, everything the source had is found there: every decision by
search, every document's bytes, every evidence item decrypting to its SHA-256, every chain
verifying. On PostgreSQL the backup is a ``pg_dump`` and the restore goes into a second database.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from cicnet.server.backup import pg_tool
from cicnet.server.backup_store import BackupError

from .live import cicnet, database_env, postgres_url, subprocess_env

# Run inside an instance (``cicnet shell -c``): what it holds, read through the code that
# serves it: the search service, the stored-file opener of downloads, the vault's reader.
INSPECT = """
import hashlib, json
from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.evidence.custody_log import custody_check
from cicnet.evidence.models import EvidenceItem
from cicnet.evidence.uploads import item_plaintext
from cicnet.jurisprudence.models import Decision
from cicnet.network.models import Document
from cicnet.search.services import search_decisions
from cicnet.search.types import SearchParams
from cicnet.server.downloads import open_stored_file

admin = policy.actor_for(User.objects.get(username="demo-admin"))
page = search_decisions(actor=admin, params=SearchParams(page_size=100, with_facets=False))
documents = {}
for doc in Document.objects.exclude(file="").order_by("pk"):
    handle = open_stored_file(doc.file.name)
    documents[f"{doc.pk} {doc.file.name}"] = handle and hashlib.sha256(handle.read()).hexdigest()
evidence = {}
for item in EvidenceItem.objects.order_by("pk"):
    digest = hashlib.sha256()
    for piece in item_plaintext(item):
        digest.update(piece)
    evidence[item.uid] = [digest.hexdigest(), item.sha256, custody_check(item)]
print(json.dumps({
    "decisions": sorted(Decision.objects.values_list("uid", flat=True)),
    "found": sorted(hit.uid for hit in page.hits),
    "documents": documents,
    "evidence": evidence,
}))
"""


def run(args: list[str], *, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``cicnet ARGS`` in a subprocess, whatever its exit status."""
    return subprocess.run(  # noqa: S603  # our own console command, fixed arguments
        [sys.executable, "-m", "cicnet", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def inspect(env: dict[str, str], cwd: Path) -> dict[str, object]:
    output = cicnet(["shell", "-c", INSPECT], env=env, cwd=cwd)
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


@dataclass
class Instances:
    source: dict[str, str]
    target: dict[str, str]
    cwd: Path
    target_database: str | None  # PostgreSQL: the second database, else None


def _create_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')


def _drop_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def instances(transactional_db: None, tmp_path: Path) -> Iterator[Instances]:
    """A migrated source instance (the test database on PostgreSQL) and an empty target."""
    on_postgres = connection.vendor == "postgresql"
    target_database = f"{connection.settings_dict['NAME']}_restore" if on_postgres else None
    target_url = None
    if target_database:
        _create_database(target_database)
        target_url = postgres_url({**connection.settings_dict, "NAME": target_database})
    source = database_env(tmp_path, var="source")
    target = subprocess_env(var_dir=tmp_path / "target", database_url=target_url)
    try:
        yield Instances(source, target, tmp_path, target_database)
    finally:
        if target_database:
            _drop_database(target_database)


def test_restore_into_an_empty_instance_finds_every_decision_document_and_evidence_item(
    instances: Instances,
) -> None:
    cwd = instances.cwd
    cicnet(["load_demo", "--limit", "2"], env=instances.source, cwd=cwd)
    before = inspect(instances.source, cwd)
    backup = cwd / "backup"
    made = run(["backup", str(backup)], env=instances.source, cwd=cwd)
    assert made.returncode == 0, made.stderr
    assert "store it apart" in made.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["counts"]["evidence_items"] == len(before["evidence"])  # type: ignore[arg-type]
    assert not (cwd / "backup.partial").exists()
    # The keys travel apart from the data, as the warning asks.
    keys = cwd / "elsewhere" / "keys"
    keys.parent.mkdir()
    (backup / "keys").rename(keys)

    restored = run(["restore", str(backup), "--keys", str(keys)], env=instances.target, cwd=cwd)

    assert restored.returncode == 0, restored.stderr
    print(f"\n{made.stdout.strip()}\n{restored.stdout.strip()}")
    after = inspect(instances.target, cwd)
    assert after == before
    assert after["found"] == after["decisions"] and len(after["decisions"]) >= 2  # type: ignore[arg-type]
    documents = after["documents"]
    assert isinstance(documents, dict) and documents and None not in documents.values()
    evidence = after["evidence"]
    assert isinstance(evidence, dict) and len(evidence) >= 2
    for plaintext_sha, recorded_sha, chain_problems in evidence.values():
        assert plaintext_sha == recorded_sha and chain_problems == []
    assert "0 problem(s)" in cicnet(["evidence", "check"], env=instances.target, cwd=cwd)
    assert f"{len(evidence)} evidence items ({len(evidence)} custody chains verify)" in (
        restored.stdout
    )

    # Now the target holds data: a second restore refuses, naming what is there.
    again = run(["restore", str(backup), "--keys", str(keys)], env=instances.target, cwd=cwd)
    assert again.returncode != 0
    assert "not empty" in again.stderr and "jurisprudence.Decision" in again.stderr
    # Without the keys folder (moved away), the restore says where to give it.
    no_keys = run(["restore", str(backup), "--force"], env=instances.target, cwd=cwd)
    assert no_keys.returncode != 0 and "--keys" in no_keys.stderr


def _target_is_untouched(instances: Instances) -> None:
    var = Path(instances.target["CICNET_VAR_DIR"])
    assert not any(var.rglob("*.sqlite3")) and not (var / "files").exists()
    assert not (var / "evidence").exists() and not (var / "keys").exists()
    if instances.target_database:
        probe = (
            "from django.db import connection; print(len(connection.introspection.table_names()))"
        )
        tables = cicnet(["shell", "-c", probe], env=instances.target, cwd=instances.cwd)
        assert tables.strip().splitlines()[-1] == "0"


def test_a_tampered_backup_is_refused_naming_the_file_and_nothing_is_written(
    instances: Instances,
) -> None:
    cwd = instances.cwd
    media = Path(instances.source["CICNET_VAR_DIR"]) / "files" / "network"
    media.mkdir(parents=True)
    (media / "report.txt").write_text("Fictional report (test).\n")
    backup = cwd / "backup"
    cicnet(["backup", str(backup)], env=instances.source, cwd=cwd)
    stored = backup / "files" / "network" / "report.txt"
    stored.write_text("Fictional report (altered).\n")

    refused = run(["restore", str(backup)], env=instances.target, cwd=cwd)

    assert refused.returncode != 0
    assert f"{stored}: differs from the manifest" in refused.stderr
    assert "nothing was restored" in refused.stderr
    _target_is_untouched(instances)

    # A manifest altered to write outside the instance is refused the same way.
    stored.write_text("Fictional report (test).\n")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"].append({"path": "files/../../escape.txt", "size": 0, "sha256": "0" * 64})
    (backup / "manifest.json").write_text(json.dumps(manifest))
    escaped = run(["restore", str(backup)], env=instances.target, cwd=cwd)
    assert escaped.returncode != 0 and "not a plain relative path" in escaped.stderr
    _target_is_untouched(instances)


def test_backup_follows_no_link_in_the_stores_and_refuses_a_dest_in_use(
    instances: Instances,
) -> None:
    cwd = instances.cwd
    secret = cwd / "outside-secret.txt"
    secret.write_text("not part of the instance\n")
    media = Path(instances.source["CICNET_VAR_DIR"]) / "files"
    media.mkdir(parents=True)
    (media / "planted.txt").symlink_to(secret)
    (media / "planted-folder").symlink_to(cwd)
    backup = cwd / "backup"

    made = run(["backup", str(backup)], env=instances.source, cwd=cwd)

    assert made.returncode == 0, made.stderr
    assert f"{media / 'planted.txt'}: a symbolic link; not followed" in made.stderr
    assert f"{media / 'planted-folder'}: a symbolic link to a folder; not followed" in made.stderr
    copied = [p for p in backup.rglob("*") if p.is_file()]
    assert all(b"not part of the instance" not in p.read_bytes() for p in copied)
    assert not any("outside-secret" in str(p) for p in copied)

    again = run(["backup", str(backup)], env=instances.source, cwd=cwd)
    assert again.returncode != 0
    assert f"DEST: {backup} exists and is not empty" in again.stderr
    (cwd / "other.partial").mkdir()
    interrupted = run(["backup", str(cwd / "other")], env=instances.source, cwd=cwd)
    assert interrupted.returncode != 0 and "an interrupted backup?" in interrupted.stderr
    assert not (cwd / "other").exists()


def test_a_missing_pg_dump_is_named_with_its_setting() -> None:
    with (
        override_settings(CICNET_PG_DUMP="/nonexistent/pg_dump"),
        pytest.raises(BackupError, match="CICNET_PG_DUMP: '/nonexistent/pg_dump' was not found"),
    ):
        pg_tool("CICNET_PG_DUMP")
