"""Signing an anonymisation off: the gate between the anonymise stage and every reader below
the Secretariat (``selectors.text_for`` shows a text's anonymised paragraphs only once it is
signed off; until then they are withheld, however the decision was ingested or published).

Two ways through the gate, each recorded on the text as what it is:

- ``reviewed``: a curator reviewed the suggestions in the workbench and signed off
  (``workbench.sign_off``);
- ``bulk``: a curator signed off a batch of automatic anonymisations without reviewing each
  (``sign_off_batch``, ``cicnet anonymisation sign-off --batch LABEL``). Readers are told so.

Both accept the suggestions not decided yet, write one audit entry per decision and re-index it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.errors import ActionDenied, UserInputError
from cicnet.jurisprudence.models import Decision
from cicnet.search.services import index_on_commit

from .models import AnonymisedMention, TextAnonymisation

MAX_BATCH_LABEL = 200


class SignOffError(UserInputError):
    """A sign-off that cannot be made; ``field`` names the parameter or form field."""


class SignOffDenied(ActionDenied):
    """Only the Secretariat signs anonymisations off."""


def sign_off_decision(
    *, actor: policy.Actor, decision: Decision, kind: str, batch: str = ""
) -> int:
    """Sign off every text of ``decision``; returns how many suggestions that accepted.

    Raises ``SignOffError`` when a text has no anonymisation yet (nothing is written then).
    """
    if not policy.can_review_anonymisation(actor):
        raise SignOffDenied("Only the Secretariat signs anonymisations off.")
    with transaction.atomic():
        texts = list(decision.texts.all())
        records = list(
            TextAnonymisation.objects.filter(text__decision=decision).select_related("text")
        )
        missing = {t.language for t in texts} - {r.text.language for r in records}
        if missing:
            raise SignOffError(
                f"sign_off: the {', '.join(sorted(missing))} text of {decision.uid} has not been "
                "anonymised yet; run the anonymise stage (re-ingest) first.",
                field="sign_off",
            )
        if not records:
            raise SignOffError(
                f"sign_off: {decision.uid} has no text to anonymise.", field="sign_off"
            )
        accepted = AnonymisedMention.objects.filter(
            entity__anonymisation__in=records, status="suggested"
        ).update(status="accepted")
        TextAnonymisation.objects.filter(id__in=[r.id for r in records]).update(
            signed_off_at=timezone.now(),
            signed_off_by_id=actor.user_id,
            sign_off_kind=kind,
            sign_off_batch=batch,
        )
        changes: dict[str, object] = {
            "texts": sorted(r.text.language for r in records),
            "suggestions_accepted": accepted,
            "kind": kind,
        }
        if batch:
            changes["batch"] = batch
        audit_record(
            actor=actor,
            action="anonymisation.sign_off",
            object_type="decision",
            object_id=decision.uid,
            changes=changes,
        )
        index_on_commit([decision.uid])
    return accepted


@dataclass
class BatchResult:
    """What a bulk sign-off did, decision by decision."""

    signed_off: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # uid -> why


def sign_off_batch(
    *, actor: policy.Actor, decisions: Iterable[Decision], batch: str
) -> BatchResult:
    """Sign off, in bulk and without review, every decision of ``decisions`` whose texts are
    anonymised and not yet signed off. ``batch`` labels the batch (it is shown to readers and
    kept in the audit log). Each decision is signed off on its own: one that cannot be (a text
    not anonymised) is reported in ``refused`` and the others go ahead."""
    label = batch.strip()
    if not label:
        raise SignOffError(
            "batch: give the batch a label that says what it is, e.g. 'ECtHR import 2026-12'.",
            field="batch",
        )
    if len(label) > MAX_BATCH_LABEL:
        raise SignOffError(
            f"batch: at most {MAX_BATCH_LABEL} characters ({len(label)} given).", field="batch"
        )
    if not policy.can_review_anonymisation(actor):
        raise SignOffDenied("Only the Secretariat signs anonymisations off.")
    result = BatchResult()
    for decision in decisions:
        if _signed_off(decision):
            result.already.append(decision.uid)
            continue
        try:
            sign_off_decision(actor=actor, decision=decision, kind="bulk", batch=label)
        except SignOffError as exc:
            result.refused[decision.uid] = str(exc)
        else:
            result.signed_off.append(decision.uid)
    return result


def _signed_off(decision: Decision) -> bool:
    """Every text of the decision has an anonymisation, and every one is signed off."""
    languages = set(decision.texts.values_list("language", flat=True))
    signed = set(
        TextAnonymisation.objects.filter(
            text__decision=decision, signed_off_at__isnull=False
        ).values_list("text__language", flat=True)
    )
    return bool(languages) and languages <= signed
