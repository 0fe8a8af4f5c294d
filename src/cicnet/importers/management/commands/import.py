"""``cicnet import SOURCE ID…``: import decisions from a court database (docs/import.md).

Thin: parses, calls ``importers.services.import_decisions`` and prints one line per identifier.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.demo.rechtspraak_pairs import rechtspraak_pairs
from cicnet.errors import UserInputError
from cicnet.importers.rechtspraak import Rechtspraak
from cicnet.importers.services import SOURCES, import_decisions


class Command(BaseCommand):
    help = (
        "Import decisions from a court database: SOURCE is one of "
        f"{', '.join(sorted(SOURCES))}; each ID an ECLI, or ECLI+ECLI for a decision and the "
        "court's own translation (docs/import.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The court database, e.g. rechtspraak.")
        parser.add_argument("identifiers", nargs="*", metavar="ID", help="ECLI or ECLI+ECLI.")
        parser.add_argument(
            "--demo-pairs",
            action="store_true",
            help="rechtspraak: the Dutch war-crimes judgments and their English versions of the "
            "demo catalogue (demo/data/rechtspraak_pairs.csv).",
        )
        parser.add_argument(
            "--search",
            metavar="QUERY",
            help="rechtspraak: also import every ECLI the zoeken endpoint lists for QUERY, e.g. "
            "'creator=http://standaarden.overheid.nl/owms/terms/Rechtbank_Den_Haag"
            "&date=2021-01-01&date=2021-12-31&max=100'.",
        )
        parser.add_argument(
            "--from-folder",
            metavar="DIR",
            help="Read the source's files (a bulk download) from DIR instead of the network "
            "(give it after the IDs).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["from_folder"]) if options["from_folder"] else None
        if folder is not None and not folder.is_dir():
            raise CommandError(f"--from-folder: {folder} is not a folder")
        identifiers = list(options["identifiers"])
        if options["demo_pairs"]:
            if options["source"] != "rechtspraak":
                raise CommandError("--demo-pairs: the demo pairs are rechtspraak.nl decisions")
            identifiers += rechtspraak_pairs()
        if options["search"]:
            if options["source"] != "rechtspraak" or folder is not None:
                raise CommandError("--search: only for rechtspraak, over the network")
            try:
                found = Rechtspraak().search(options["search"])
            except UserInputError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"search: {len(found)} ECLIs listed")
            identifiers += [e for e in found if e not in identifiers]
        if not identifiers:
            raise CommandError("give at least one ID (or --demo-pairs)")
        try:
            run = import_decisions(
                actor=None,
                source=options["source"],
                identifiers=identifiers,
                folder=folder,
            )
        except UserInputError as exc:
            raise CommandError(exc.message) from exc
        for result in run.results:
            for line in result["messages"]:
                self.stderr.write(line)
            self.stdout.write(
                f"{result['identifier']}: {result['outcome']} {result['uid']}".rstrip()
            )
        failed = sum(r["outcome"] == "failed" for r in run.results)
        self.stdout.write(
            f"{len(run.results)} imported: {len(run.results) - failed} ok, {failed} failed"
        )
        if failed:
            raise CommandError(f"{failed} of {len(run.results)} failed; see the lines above")
