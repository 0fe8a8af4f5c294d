"""``cicnet question_reminders [--base-url URL]``: e-mail the practitioners asked who have not
answered an open question whose deadline is within three days (once per question). Run it
daily (cron or a systemd timer; docs/coordination.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cicnet.coordination.questions import reminders_send


class Command(BaseCommand):
    help = "E-mail deadline reminders of open questions to the network."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", default="", help="Start of the links in the e-mails (https://host)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send(base_url=str(options["base_url"]))
        self.stdout.write(f"{count} question(s) reminded")
