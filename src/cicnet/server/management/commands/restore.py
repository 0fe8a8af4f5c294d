"""``cicnet restore SRC``: put a ``cicnet backup`` back into an empty instance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.server.backup_store import BackupError
from cicnet.server.restore import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `cicnet backup` into this (empty) instance: checks every "
        "file against the manifest first, then restores the database, files and keys, applies "
        "newer migrations and rebuilds the search index. See docs/deploy.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", help="The backup folder.")
        parser.add_argument(
            "--keys",
            default=None,
            help="The keys folder of the backup, where it is stored apart (default: SRC/keys).",
        )
        parser.add_argument(
            "--no-keys",
            action="store_true",
            help="Restore no key file: this instance already has its keys "
            "(CICNET_EVIDENCE_KEYS, CICNET_SIGNING_KEY_FILE).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data of an instance that is not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keys"] and options["no_keys"]:
            raise CommandError("--keys and --no-keys: give one or the other")
        try:
            result = backup_restore(
                src=Path(options["src"]),
                keys=Path(options["keys"]) if options["keys"] else None,
                without_keys=options["no_keys"],
                force=options["force"],
                report=lambda line: self.stderr.write(line),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = result.counts
        self.stdout.write(
            f"restored {options['src']}: {counts['decisions']} decisions, "
            f"{counts['documents']} documents, {counts['evidence_items']} evidence items "
            f"({result.chains_verified} custody chains verify), {result.files} files, "
            f"{result.bytes:,} bytes, {result.key_files} key file(s); "
            f"{result.migrations_applied} migration(s) applied; search index rebuilt "
            f"({result.indexed} decisions)"
        )
        if result.problems:
            for line in result.problems:
                self.stderr.write(self.style.ERROR(line))
            raise CommandError("restored, but the checks above failed")
