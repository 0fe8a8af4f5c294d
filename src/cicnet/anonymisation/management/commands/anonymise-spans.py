"""``cicnet anonymise-spans``: JSON Lines ``{id, text}`` on stdin → ``{id, spans}`` on stdout.

The contract is in ``cicnet.anonymisation.spans``. The file name carries the hyphen of the
documented command name: Django finds commands by file name and ``import_module`` accepts it.
No system or migration checks run, so the command needs no database.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.anonymisation.pipelines import PIPELINE_PACKAGES
from cicnet.anonymisation.policies import policy_ids
from cicnet.anonymisation.spans import spans_jsonl


class Command(BaseCommand):
    help = (
        "Anonymise raw texts: JSON Lines {id, text} on stdin -> JSON Lines "
        "{id, spans: [[start, end, kind], ...]} on stdout. Needs no database."
    )
    requires_system_checks: list[str] = []  # no checks: the command must run without a database
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--policy", default="strict", choices=policy_ids(), help="anonymisation policy"
        )
        parser.add_argument(
            "--language",
            default="en",
            help=f"ISO 639-1 code of the texts (models for: {', '.join(PIPELINE_PACKAGES)}; "
            "other languages get the rules only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bad = spans_jsonl(
            sys.stdin,
            out=sys.stdout,
            err=sys.stderr,
            policy=options["policy"],
            language=options["language"],
        )
        if bad:
            raise CommandError(f"{bad} input line(s) rejected; see the messages above")
