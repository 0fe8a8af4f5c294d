"""``cicnet align ORIGINAL TRANSLATION [--json]``: align two files the way ingestion would.

Prints ``{"pairs": [{"original": [i, …], "translation": [j, …], "confidence": c}, …]}`` with
``--json`` (0-based paragraph indices, in order), else a readable table. Needs no database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.translation.files import AlignmentError, align_texts, paragraphs_of_file


class Command(BaseCommand):
    help = (
        "Align a translation with its original paragraph by paragraph (for .txt a paragraph is "
        "a block separated by a blank line) and print the pairs with their confidence."
    )
    requires_system_checks: list[str] = []  # needs no database
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("original", help="the original (.txt, .html, .docx or .pdf)")
        parser.add_argument("translation", help="the translation, same formats")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            original = paragraphs_of_file(Path(options["original"]))
            translation = paragraphs_of_file(Path(options["translation"]))
        except AlignmentError as exc:
            raise CommandError(str(exc)) from exc
        pairs = align_texts(original, translation)
        if options["json"]:
            self.stdout.write(
                json.dumps({"pairs": [p.as_json() for p in pairs]}, ensure_ascii=False)
            )
            return
        self.stdout.write(
            f"{len(original.paragraphs)} original paragraphs ({original.numbering} numbering), "
            f"{len(translation.paragraphs)} translation paragraphs "
            f"({translation.numbering} numbering), {len(pairs)} pairs"
        )
        for p in pairs:
            left = ",".join(str(i) for i in p.original) or "-"
            right = ",".join(str(j) for j in p.translation) or "-"
            flag = "  CHECK" if p.confidence < 0.5 else ""
            self.stdout.write(f"{left:>12}  ↔  {right:<16} {p.confidence:.2f}{flag}")
