"""``cicnet embed``: the embedding stage of the pipeline (search/embeddings.py).

- ``cicnet embed`` embeds what is pending (at most ``--limit`` paragraphs) and says how much is
  left;
- ``--until-done`` runs until nothing is pending and exits (``make setup`` runs it for the demo);
- ``--watch`` keeps running, embedding what becomes pending every ``--interval`` seconds
  (``cicnet serve`` starts it beside the app servers);
- ``--status`` only reports.

Each batch is committed on its own: a run that is stopped resumes where it stopped.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.search import vectors
from cicnet.search.embeddings import count_pending, embed_pending, model_name


class Command(BaseCommand):
    help = "Embed the paragraphs the search index holds for semantic search (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--until-done", action="store_true", help="Run until nothing is pending."
        )
        parser.add_argument(
            "--watch", action="store_true", help="Keep running (a background stage)."
        )
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between looks (--watch)."
        )
        parser.add_argument(
            "--limit", type=int, default=500, help="Paragraphs per run (default 500)."
        )
        parser.add_argument("--status", action="store_true", help="Only say what is pending.")
        parser.add_argument(
            "--threads",
            type=int,
            default=os.cpu_count() or 1,
            help="CPU threads for the model (default: every core; the stage runs at low "
            "priority under `cicnet serve`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = model_name()
        if name == "off":
            self.stdout.write(
                "Semantic search is off (CICNET_EMBEDDING_MODEL=off): nothing to embed."
            )
            return
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        if options["threads"] < 1:
            raise CommandError("--threads must be at least 1.")
        settings.CICNET_EMBEDDING_THREADS = options["threads"]
        if options["status"]:
            info = vectors.status()
            self.stdout.write(
                f"{name}: {count_pending()} paragraph(s) pending; the vector index holds "
                f"{info['paragraphs']} paragraph(s) of {info['decisions']} decision(s)."
            )
            return
        total = 0
        started = time.monotonic()
        while True:
            result = embed_pending(limit=options["limit"])
            total += result.embedded
            if result.embedded:
                rate = result.embedded / result.seconds if result.seconds else 0.0
                self.stdout.write(
                    f"Embedded {result.embedded} paragraph(s) with {name} ({rate:.1f}/s); "
                    f"{result.pending} pending."
                )
            if result.pending and (options["until_done"] or options["watch"]):
                continue
            if options["watch"]:
                time.sleep(max(0.5, options["interval"]))
                continue
            break
        if not options["watch"]:
            left = result.pending
            self.stdout.write(
                self.style.SUCCESS(
                    f"Embedding: {total} paragraph(s) embedded in "
                    f"{time.monotonic() - started:.1f} s; "
                    + ("nothing pending." if not left else f"{left} pending: run it again.")
                )
            )
