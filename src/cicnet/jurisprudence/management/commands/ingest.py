"""``cicnet ingest PATH [--check] [--quiet]``: load decisions from metadata and text files.

Thin: finds the files, runs ``pipeline.runner`` and prints. The format is in docs/ingest.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cicnet.pipeline.base import InputError
from cicnet.pipeline.runner import DocumentResult, discover, ingest_sources


class Command(BaseCommand):
    help = (
        "Ingest decisions: PATH is a NAME.yaml metadata file or a folder searched recursively; "
        "texts are NAME.<lang>.<txt|html|docx|pdf> beside it (docs/ingest.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A NAME.yaml file or a folder of them.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Validate metadata and extract the texts without writing anything.",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sources, warnings = discover(Path(options["path"]))
        except InputError as exc:
            raise CommandError(exc.line) from exc
        for line in warnings:
            self.stderr.write(line)
        show_bar = not options["quiet"] and sys.stderr.isatty()
        # delay: the bar appears only on runs long enough to need one.
        bar = tqdm(
            total=len(sources),
            unit="decision",
            disable=not show_bar,
            delay=1.0,
            file=sys.stderr,
            leave=False,
        )

        def on_result(result: DocumentResult) -> None:
            if result.error or result.warnings:
                if show_bar:
                    bar.clear()
                for line in (*result.warnings, result.error):
                    if line:
                        self.stderr.write(line)
            bar.update()

        with bar:
            report = ingest_sources(sources, check=options["check"], on_result=on_result)
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(
                f"{len(report.failed)} of {len(report.results)} decisions failed; fix the lines "
                "above and run again"
            )
