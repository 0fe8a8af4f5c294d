"""``cicnet reindex [--if-stale]``: rebuild the search index from the database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.search.services import index_status, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from the database (--if-stale: only when it is out of step)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Do nothing when the index is already in step with the database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            status = index_status()
            if options["if_stale"] and not status.stale:
                self.stdout.write(
                    f"Search index ({status.backend}) is up to date: {status.index_decisions} "
                    "decision(s); nothing to do."
                )
                return
            if status.stale:
                self.stdout.write(f"Search index ({status.backend}) is stale: {status.reason}.")
            started = time.monotonic()
            count = rebuild_index()
        except Exception as exc:
            raise CommandError(f"Reindexing failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the {status.backend} search index: {count} decision(s) in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
