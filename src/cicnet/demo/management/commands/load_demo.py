"""``cicnet load_demo``: fictional demo users plus the real demo decisions (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from cicnet.coordination.demo import load_coordination_demo
from cicnet.demo.services import demo_load
from cicnet.evidence.demo import load_evidence_demo


class Command(BaseCommand):
    help = (
        "Create the demo users (one per role) when missing, the demo networks (the Genocide "
        "Network's 36 meetings and a fictional regional network, with fictional members of every "
        "network role), ingest the demo decisions: the catalogue of national decisions and "
        "113 ECtHR judgments, and a fictional case coordination between two authorities (cases "
        "with a cross-check hit, a question, a request, a joint investigation team). Safe to run "
        "again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            metavar="N",
            help="Load only the first N decisions of each source (for quick tests).",
        )
        parser.add_argument(
            "--skip-texts", action="store_true", help="Leave out the ECtHR full texts."
        )

    def handle(self, *args: Any, limit: int | None, skip_texts: bool, **options: Any) -> None:
        if limit is not None and limit < 0:
            raise CommandError("--limit: give a number of decisions, 0 or more")
        # The notifications the demo's own steps trigger (a team amendment, …) would go to the
        # fictional people's addresses (example.invalid) through whatever mail the instance
        # has configured: they are held back here and counted instead.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            self._load(limit=limit, skip_texts=skip_texts, verbosity=options["verbosity"])
            held = len(mail.outbox)
            mail.outbox = []
        if held:
            self.stdout.write(
                f"Demo e-mails: {held} notification(s) to the fictional people held back, not sent"
            )

    def _load(self, *, limit: int | None, skip_texts: bool, verbosity: int) -> None:
        result = demo_load(
            limit=limit,
            skip_texts=skip_texts,
            stdout=self.stdout,
            stderr=self.stderr,
            verbosity=verbosity,
        )
        if result.users_created:
            self.stdout.write(f"Demo users created: {', '.join(result.users_created)}")
        else:
            self.stdout.write("Demo users already present.")
        if result.network_users_created:
            self.stdout.write(
                f"Demo network users created: {', '.join(result.network_users_created)}"
            )
        self.stdout.write(
            "Demo networks: Genocide Network (36 archive meetings) and a fictional regional "
            f"network; {result.network_documents_created} demo documents added"
        )
        if load_evidence_demo():
            self.stdout.write(
                "Demo submission: net-cso sent two fictional items to net-ncp (/cooperation/; "
                "the vault asks for the second factor even in the demo)"
            )
        self.stdout.write(f"Demo decisions offered to ingestion: {result.records_written}")
        coordination = load_coordination_demo()
        if coordination.created:
            self.stdout.write(
                "Demo coordination (fictional cases, people and team; /coordination/, behind the "
                "second factor): net-ncp and net-ncp-b hold " + ", ".join(coordination.created)
            )
        if result.ingest_failed:
            raise CommandError(f"Ingesting the demo decisions failed: {result.ingest_failed}")
        if result.sign_off_refused:
            raise CommandError("Demo sign-off refused: " + "; ".join(result.sign_off_refused))
        if result.signed_off:
            self.stdout.write(
                f"Demo texts: the automatic anonymisation of {result.signed_off} decision(s) "
                "signed off in bulk by demo-curator, labelled as not reviewed by a person"
            )
