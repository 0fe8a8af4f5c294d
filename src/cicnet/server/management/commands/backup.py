"""``cicnet backup DEST``: a backup of the instance that ``cicnet restore`` can put back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.server.backup import KEYS_FOLDER, backup_create
from cicnet.server.backup_store import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump), the stored files and the "
        "evidence vault to DEST, a new folder, with a manifest of SHA-256 hashes; the keys go "
        "to DEST/keys, to be stored apart. Safe while the server runs. See docs/deploy.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", help="A new (or empty) folder for the backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(
                dest=Path(options["dest"]), report=lambda line: self.stderr.write(line)
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = result.counts
        self.stdout.write(
            f"backed up to {result.dest}: {counts['decisions']} decisions, "
            f"{counts['documents']} documents, {counts['evidence_items']} evidence items, "
            f"database {result.database_bytes:,} bytes, {result.files} files, "
            f"{result.bytes:,} bytes"
        )
        for note in result.notes:
            self.stderr.write(self.style.WARNING(note))
        self.stderr.write(
            self.style.WARNING(
                f"{result.key_files} key file(s) are in {result.dest / KEYS_FOLDER}: move that "
                "folder away from the data now and store it apart (another medium, another "
                "custodian). Whoever holds both can read the evidence. Restore with "
                "`cicnet restore SRC --keys PATH`."
            )
        )
