"""``cicnet evidence …``: the vault's operator commands.

- ``export SUBMISSION --out FILE.zip --as USERNAME --purpose TEXT [--recipient NAME]
  [--exclude-restricted]``: a signed package, made on behalf of a party to the submission
  (checked by the policy exactly like the web page) and recorded in every item's custody log.
- ``check``: re-verify every item's custody chain and the SHA-256 of every stored file.
- ``rotate-keys``: re-wrap every file key with the current key-encryption key (the first in
  ``CICNET_EVIDENCE_KEYS``); the files themselves are not rewritten.
- ``purge-uploads [--hours N]``: remove uploads abandoned for N hours (default:
  ``CICNET_EVIDENCE_UPLOAD_TTL_HOURS``).
- ``public-key``: print the instance's signing key and its fingerprint, to publish.

Thin: each subcommand parses, calls one service and prints. ``cicnet verify-package`` is
separate and needs no database (``evidence/verify.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cicnet.access import policy
from cicnet.evidence import crypto, custody
from cicnet.evidence.custody_log import custody_check
from cicnet.evidence.export import export_package
from cicnet.evidence.models import EvidenceItem, Upload
from cicnet.evidence.selectors import submission_context
from cicnet.evidence.services import EvidenceDenied, EvidenceInputError
from cicnet.evidence.uploads import item_plaintext, purge_stale_uploads


class Command(BaseCommand):
    help = "Evidence vault: export a signed package, check, rotate keys, purge uploads."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write a signed package of a submission's items.")
        export.add_argument("submission", help="The submission's reference, e.g. SUB-7Q2M4K9T.")
        export.add_argument("--out", required=True, help="The zip file to write.")
        export.add_argument(
            "--as",
            dest="username",
            required=True,
            help="The user (a party to the submission) on whose behalf the package is made.",
        )
        export.add_argument("--purpose", required=True, help="Why: goes in every custody log.")
        export.add_argument("--recipient", default="", help="A third party receiving it.")
        export.add_argument(
            "--exclude-restricted",
            action="store_true",
            help="Leave out items whose handling code forbids onward sharing.",
        )
        sub.add_parser("check", help="Verify every custody chain and stored file.")
        sub.add_parser("rotate-keys", help="Re-wrap every file key with the current key.")
        purge = sub.add_parser("purge-uploads", help="Remove abandoned uploads.")
        purge.add_argument("--hours", type=int, default=None, help="Age in hours.")
        sub.add_parser("public-key", help="Print the signing key and its fingerprint.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            self._export(options)
        elif action == "check":
            self._check()
        elif action == "rotate-keys":
            self._rotate()
        elif action == "purge-uploads":
            hours = options["hours"] or settings.CICNET_EVIDENCE_UPLOAD_TTL_HOURS
            count = purge_stale_uploads(older_than=dt.timedelta(hours=hours))
            self.stdout.write(f"removed {count} upload(s) untouched for {hours} h")
        elif action == "public-key":
            public = crypto.signing_key().public_key()
            self.stdout.write(crypto.public_key_pem(public).rstrip())
            self.stdout.write(f"fingerprint (key id): {custody.key_id(public)}")

    def _export(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"--as: no active user {options['username']!r}.")
        actor = policy.actor_for(user)
        context = submission_context(actor=actor, uid=options["submission"])
        if context is None:
            raise CommandError(
                f"submission: {options['submission']} does not exist or {user} is not a party "
                "to it."
            )
        out = Path(options["out"]).resolve()
        try:
            items = export_package(
                actor=actor,
                context=context,
                out=out,
                purpose=options["purpose"],
                recipient=options["recipient"],
                exclude_restricted=options["exclude_restricted"],
            )
        except (EvidenceDenied, EvidenceInputError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"wrote {out}: {len(items)} item(s), signed")
        self.stdout.write(f"verify with: cicnet verify-package {out}")

    def _check(self) -> None:
        problems = 0
        count = 0
        for item in EvidenceItem.objects.order_by("pk").iterator():
            count += 1
            found = custody_check(item)
            try:
                for _ in item_plaintext(item):
                    pass
            except (crypto.VaultIntegrityError, OSError) as exc:
                found.append(f"{item.uid}: stored file: {exc}")
            for line in found:
                self.stdout.write(f"FAIL {line}")
            problems += len(found)
        self.stdout.write(f"checked {count} item(s): {problems} problem(s)")
        if problems:
            raise CommandError("the vault does not verify; see the FAIL lines above")

    def _rotate(self) -> None:
        ring = crypto.kek_ring()
        changed = 0
        with transaction.atomic():
            for item in EvidenceItem.objects.select_for_update().exclude(kek_id=ring.current_id):
                item.kek_id, item.wrapped_key = crypto.rewrap(
                    item.kek_id, bytes(item.wrapped_key), ring
                )
                item.save(update_fields=["kek_id", "wrapped_key"])
                changed += 1
            for upload in Upload.objects.select_for_update().exclude(kek_id=ring.current_id):
                upload.kek_id, upload.wrapped_key = crypto.rewrap(
                    upload.kek_id, bytes(upload.wrapped_key), ring
                )
                upload.save(update_fields=["kek_id", "wrapped_key"])
                changed += 1
        self.stdout.write(
            f"re-wrapped {changed} file key(s) with {ring.current_id}; older keys may be "
            "removed from CICNET_EVIDENCE_KEYS once no upload in progress uses them"
        )
