"""``cicnet send_alerts --frequency daily|weekly``: send the e-mail digests (run from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cicnet.alerts.services import alerts_send


class Command(BaseCommand):
    help = "Send the daily or weekly alert digests (decisions published since the last one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", choices=["daily", "weekly"], required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        report = alerts_send(frequency=options["frequency"])
        self.stdout.write(report.summary())
