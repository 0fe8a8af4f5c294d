"""A signed-off anonymisation that a re-run leaves exactly as it was keeps its sign-off.

Re-ingesting a decision replaces its texts (``pipeline/store.py``), and with them their
anonymisations: after an upgrade of the anonymiser every re-ingested text would wait for a new
sign-off, even where the new version suggests exactly what the old one did. So the store stage
takes the signed-off reviews of a decision before it replaces its texts (``take``), and
``services._store`` gives one back to the new anonymisation of the same language only when
nothing a reviewer saw has changed (``restore``):

- the same text and the same automatic suggestions under the same policy (``digest``: the text,
  every span cut into paragraphs with its kind and entity, each entity's kind, role and
  pseudonym, the review reasons, whether a model ran);
- no mention a curator added by hand, and no pseudonym or role a curator changed (the entities
  as stored equal the automatic ones).

Then the reviewer's accept / reject decisions are applied to the same spans and the sign-off is
copied with an audit entry; in every other case the new suggestions wait for a sign-off as
before (docs/anonymisation.md, "A new version of the anonymiser").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from cicnet.audit.services import audit_record

from .models import AnonymisedMention, TextAnonymisation
from .types import AnonymisationResult

Span = tuple[int, int, int, str, str]  # paragraph number, start, end, kind, entity key
Entity = tuple[str, str, str, str]  # key, kind, role, pseudonym


@dataclass(frozen=True)
class CarriedReview:
    """What a signed-off anonymisation of one text was, taken before its text is replaced."""

    digest: str
    entities: frozenset[Entity]
    statuses: dict[Span, str]
    manual: bool
    signed_off_at: datetime
    signed_off_by_id: int | None
    sign_off_kind: str
    sign_off_batch: str
    engine_version: str


def digest(joined: str, result: AnonymisationResult, spans: list[Span]) -> str:
    """What a sign-off rests on (module docstring); ``spans`` already cut into paragraphs."""
    entities = sorted((e.id, e.kind, e.role or "", e.pseudonym) for e in result.entities)
    payload = json.dumps(
        [joined, result.policy, entities, sorted(spans), list(result.review), result.without_model],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def take(decision_id: int) -> dict[str, CarriedReview]:
    """The signed-off reviews of a decision's texts, by language (texts without a digest, made
    before digests were stored, carry nothing)."""
    carried: dict[str, CarriedReview] = {}
    records = (
        TextAnonymisation.objects.filter(text__decision_id=decision_id, signed_off_at__isnull=False)
        .exclude(suggestion_digest="")
        .select_related("text")
        .prefetch_related("entities__mentions")
    )
    for record in records:
        statuses: dict[Span, str] = {}
        manual = False
        entities = set()
        for entity in record.entities.all():
            entities.add((entity.key, entity.kind, entity.role, entity.pseudonym))
            for m in entity.mentions.all():
                manual = manual or m.source == "manual"
                statuses[(m.paragraph_number, m.start, m.end, m.kind, entity.key)] = m.status
        assert record.signed_off_at is not None  # filtered above
        carried[record.text.language] = CarriedReview(
            digest=record.suggestion_digest,
            entities=frozenset(entities),
            statuses=statuses,
            manual=manual,
            signed_off_at=record.signed_off_at,
            signed_off_by_id=record.signed_off_by_id,
            sign_off_kind=record.sign_off_kind,
            sign_off_batch=record.sign_off_batch,
            engine_version=record.engine_version,
        )
    return carried


def restore(record: TextAnonymisation, carried: CarriedReview | None) -> bool:
    """Give ``record`` (just stored, its mentions included) the carried review when nothing a
    reviewer saw has changed; returns whether it did."""
    if carried is None or carried.manual or carried.digest != record.suggestion_digest:
        return False
    entities = {(e.key, e.kind, e.role, e.pseudonym) for e in record.entities.all()}
    if entities != carried.entities:  # a pseudonym or role a curator changed
        return False
    mentions = list(
        AnonymisedMention.objects.filter(entity__anonymisation=record).select_related("entity")
    )
    for m in mentions:
        key = (m.paragraph_number, m.start, m.end, m.kind, m.entity.key)
        if key not in carried.statuses:  # cannot happen with equal digests; refuse, not guess
            return False
        m.status = carried.statuses[key]
    AnonymisedMention.objects.bulk_update(mentions, ["status"], batch_size=1000)
    record.signed_off_at = carried.signed_off_at
    record.signed_off_by_id = carried.signed_off_by_id
    record.sign_off_kind = carried.sign_off_kind
    record.sign_off_batch = carried.sign_off_batch
    record.save(update_fields=["signed_off_at", "signed_off_by", "sign_off_kind", "sign_off_batch"])
    audit_record(
        actor=None,
        action="anonymisation.sign_off_carried",
        object_type="decision",
        object_id=record.text.decision.uid,
        changes={
            "text": record.text.language,
            "from_version": carried.engine_version,
            "to_version": record.engine_version,
            "signed_off_at": carried.signed_off_at.isoformat(),
        },
    )
    return True
