"""``cicnet anonymisation sign-off --batch LABEL --by USERNAME (--decision UID … | --pending)``:
sign off a batch of automatic anonymisations without reviewing each, recorded as such (readers
are told "signed off in bulk, not reviewed by a person"). The rules are
``anonymisation.sign_off.sign_off_batch``'s; this command only parses and reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicnet.access import policy
from cicnet.accounts.selectors import user_by_username
from cicnet.anonymisation.selectors import decisions_for_sign_off
from cicnet.anonymisation.sign_off import SignOffDenied, SignOffError, sign_off_batch


class Command(BaseCommand):
    help = "Anonymisation tasks of the Secretariat: sign-off (bulk, audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="task", required=True, metavar="TASK")
        sign = sub.add_parser(
            "sign-off",
            help="Sign off the automatic anonymisation of a batch of decisions without review.",
        )
        sign.add_argument(
            "--batch", required=True, help="A label that says what the batch is (shown to readers)."
        )
        sign.add_argument("--by", required=True, help="Username of the curator who signs off.")
        which = sign.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--decision", action="append", default=[], metavar="UID", help="A decision (repeat)."
        )
        which.add_argument(
            "--pending", action="store_true", help="Every decision with a text not signed off."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        user = user_by_username(opts["by"])
        if user is None:
            raise CommandError(f"by: no user {opts['by']!r}")
        decisions, unknown = decisions_for_sign_off(
            uids=opts["decision"] or None, pending=opts["pending"]
        )
        if unknown:
            raise CommandError(f"decision: no decision {', '.join(unknown)}; nothing signed off")
        try:
            result = sign_off_batch(
                actor=policy.actor_for(user), decisions=decisions, batch=opts["batch"]
            )
        except (SignOffError, SignOffDenied) as exc:
            raise CommandError(str(exc)) from exc
        for uid, why in result.refused.items():
            self.stderr.write(f"{uid}: refused: {why}")
        self.stdout.write(
            f"batch {opts['batch'].strip()!r}: {len(result.signed_off)} decision(s) signed off in "
            f"bulk, {len(result.already)} already signed off, {len(result.refused)} refused"
        )
        if result.refused:
            raise CommandError(f"{len(result.refused)} decision(s) could not be signed off")
