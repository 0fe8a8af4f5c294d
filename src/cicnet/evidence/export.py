"""Signed evidence packages: the files of a submission, a ``manifest.json`` with their hashes,
metadata and custody logs, and the instance's Ed25519 signature (format: ``package.py``; checked
by ``verify.py`` with no database and no network).

Exporting is itself a custody event: every item in the package gets an ``exported`` entry
before the manifest is written, so the package carries the record of its own making. A package
for a third party (``recipient`` given) may not hold items whose handling code forbids onward
sharing; they are refused by name, or left out when asked.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.evidence import crypto, package
from cicnet.evidence.custody_log import custody_append, custody_entries
from cicnet.evidence.models import EvidenceItem, SigningKey, SubmissionEvent
from cicnet.evidence.selectors import SubmissionContext
from cicnet.evidence.services import EvidenceDenied, EvidenceInputError
from cicnet.evidence.uploads import item_plaintext
from cicnet.law.crimes import crime
from cicnet.vocabularies import vocabulary


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value else None


def submission_record(context: SubmissionContext) -> dict[str, Any]:
    s = context.submission
    return {
        "uid": s.uid,
        "title": s.title,
        "submitting_organisation": s.submitting_organisation.name,
        "state": s.state,
        "submitted_at": _iso(s.submitted_at),
        "narrative": s.narrative,
        "places": s.places,
        "period_start": _iso(s.period_start),
        "period_end": _iso(s.period_end),
        "period_note": s.period_note,
        "crimes": [
            {"id": cid, "label": (c.label if (c := crime(cid)) else cid)} for cid in s.crimes
        ],
        "persons": s.persons,
        "victims_count": s.victims_count,
        "languages": s.languages,
        "assessment": s.assessment,
        "addressees": [
            {
                "organisation": r.organisation.name,
                "state": r.state,
                "closed_reason": r.closed_reason,
            }
            for r in context.referrals
        ],
    }


def item_metadata(item: EvidenceItem) -> dict[str, Any]:
    codes = vocabulary("evidence", "handling_codes")
    return {
        "description": item.description,
        "captured_at": _iso(item.captured_at),
        "captured_note": item.captured_note,
        "capture_place": item.capture_place,
        "capture_method": item.capture_method,
        "collector": item.collector,
        "source": "" if item.source_anonymous else item.source,
        "source_anonymous": item.source_anonymous,
        "consent_reference": item.consent_reference,
        "consent_scope": item.consent_scope,
        "handling_code": item.handling_code,
        "handling_code_label": codes.label(item.handling_code),
        "source_reliability": item.source_reliability,
        "information_reliability": item.information_reliability,
        "sensitive": {
            "sexual_and_gender_based_violence": item.sensitive_sgbv,
            "child": item.sensitive_child,
            "protected_witness": item.sensitive_protected_witness,
        },
        "related": sorted(r.uid for r in item.related.all()),
        "added_by": item.created_by_side,
        "added_at": _iso(item.created_at),
    }


def export_package(
    *,
    actor: policy.Actor,
    context: SubmissionContext,
    out: Path,
    purpose: str,
    recipient: str = "",
    exclude_restricted: bool = False,
) -> list[EvidenceItem]:
    """Write ``out`` (a zip) with the submission's items the actor may export; returns them."""
    if not policy.can_export_items(context.side):
        raise EvidenceDenied("only the parties export a submission's items")
    purpose = purpose.strip()
    recipient = recipient.strip()
    if not purpose:
        raise EvidenceInputError(
            "purpose: say why the package is made (it goes in the log).", field="purpose"
        )
    items = list(context.items)
    if recipient:
        restricted = [i for i in items if not policy.item_may_leave_parties(i)]
        if restricted and not exclude_restricted:
            names = ", ".join(f"{i.uid} ({i.filename})" for i in restricted)
            raise EvidenceInputError(
                f"recipient: {names} may not be passed to a third party: the provider's "
                "handling code forbids onward sharing. Leave them out (--exclude-restricted), "
                "export without a recipient for your own file, or ask the provider's consent.",
                field="recipient",
            )
        items = [i for i in items if policy.item_may_leave_parties(i)]
    if not items:
        raise EvidenceInputError("submission: there are no items to export.", field="submission")
    out = Path(out)
    if out.suffix.lower() != ".zip":
        raise EvidenceInputError(f"out: {out} must end in .zip.", field="out")
    if not out.parent.is_dir():
        raise EvidenceInputError(f"out: the folder {out.parent} does not exist.", field="out")
    with transaction.atomic():
        for item in items:
            custody_append(
                item=item,
                action="exported",
                actor=actor.username,
                organisation=context.organisation_label,
                purpose=purpose[:500],
                details={"recipient": recipient or "own records", "package": out.name},
            )
        private_key = crypto.signing_key()
        signing_keys = {k.key_id: k.public_key_pem for k in SigningKey.objects.all()}
        manifest: dict[str, Any] = {
            "created_at": timezone.now().astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "exported_by": actor.username,
            "organisation": context.organisation_label,
            "purpose": purpose,
            "recipient": recipient,
            "instance": settings.CICNET_INSTANCE_NAME,
            "submission": submission_record(context),
            "signing_keys": signing_keys,
            "items": [],
        }
        files = []
        for item in items:
            entries = custody_entries(item)
            arcname = f"files/{item.uid}/{item.filename}"
            manifest["items"].append(
                {
                    "uid": item.uid,
                    "parent": item.parent.uid if item.parent else None,
                    "derivation": item.derivation,
                    "filename": item.filename,
                    "path": arcname,
                    "size": item.size,
                    "sha256": item.sha256,
                    "media_type": item.media_type,
                    "metadata": item_metadata(item),
                    "custody": entries,
                    "custody_head": entries[-1]["entry_hash"],
                    "custody_length": len(entries),
                }
            )
            files.append((arcname, lambda item=item: item_plaintext(item)))
        package.write_package(out, manifest=manifest, files=files, private_key=private_key)
        SubmissionEvent.objects.create(
            submission=context.submission,
            actor_label=f"{actor.username} · {context.organisation_label}",
            kind="exported",
            text=f"Signed package of {len(items)} item(s) made"
            + (f" for {recipient}" if recipient else " for own records")
            + f": {purpose[:200]}",
        )
        audit_record(
            actor=actor,
            action="evidence.export",
            object_type="submission",
            object_id=context.submission.uid,
            changes={"items": [i.uid for i in items], "recipient": recipient},
        )
    return items
