"""Writes of the anonymisation workbench: the Secretariat's decisions about suggested spans.

Every action checks ``policy.can_review_anonymisation``, runs in one transaction, is written to
the audit log, withdraws an earlier sign-off of the decision (what was signed is no longer what
is shown) and re-indexes the decision after commit, because the index holds the anonymised text.
A bad value raises ``WorkbenchError`` naming the field; nothing is written then.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.errors import ActionDenied, UserInputError
from cicnet.jurisprudence.models import Decision, Paragraph
from cicnet.search.services import index_on_commit
from cicnet.vocabularies import vocabulary

from .models import AnonymisedEntity, AnonymisedMention, TextAnonymisation
from .sign_off import SignOffError, sign_off_decision

MAX_PSEUDONYM = 100


class WorkbenchError(UserInputError):
    """A workbench action with a bad value; ``field`` names the form field."""


class WorkbenchDenied(ActionDenied):
    """The actor may not use the workbench."""


def _require(actor: policy.Actor) -> None:
    if not policy.can_review_anonymisation(actor):
        raise WorkbenchDenied("Only the Secretariat reviews anonymisations.")


def _changed(actor: policy.Actor, decision: Decision, action: str, changes: dict[str, Any]) -> None:
    """What every action does after its change: withdraw the sign-off, audit, re-index."""
    withdrawn = TextAnonymisation.objects.filter(
        text__decision=decision, signed_off_at__isnull=False
    ).update(signed_off_at=None, signed_off_by=None, sign_off_kind="", sign_off_batch="")
    if withdrawn:
        changes = {**changes, "sign_off_withdrawn": True}
    audit_record(
        actor=actor,
        action=f"anonymisation.{action}",
        object_type="decision",
        object_id=decision.uid,
        changes=changes,
    )
    index_on_commit([decision.uid])


def _mention(decision: Decision, mention_id: int) -> AnonymisedMention:
    mention = (
        AnonymisedMention.objects.select_related("entity__anonymisation__text")
        .filter(id=mention_id, entity__anonymisation__text__decision=decision)
        .first()
    )
    if mention is None:
        raise WorkbenchError(f"mention: no mention {mention_id} in this decision.", field="mention")
    return mention


def _entity(decision: Decision, entity_id: int, *, field: str = "entity") -> AnonymisedEntity:
    entity = (
        AnonymisedEntity.objects.select_related("anonymisation__text")
        .filter(id=entity_id, anonymisation__text__decision=decision)
        .first()
    )
    if entity is None:
        raise WorkbenchError(f"{field}: no entity {entity_id} in this decision.", field=field)
    return entity


def _status(status: str) -> str:
    if status not in ("accepted", "rejected", "suggested"):
        raise WorkbenchError(
            f"status: {status!r} is not a mention status; use accepted, rejected or suggested.",
            field="status",
        )
    return status


def set_mention_status(
    *, actor: policy.Actor, decision: Decision, mention_id: int, status: str
) -> AnonymisedMention:
    """Accept or reject one suggested span (or return it to 'suggested')."""
    _require(actor)
    status = _status(status)
    with transaction.atomic():
        mention = _mention(decision, mention_id)
        old = mention.status
        mention.status = status
        mention.save(update_fields=["status"])
        _changed(
            actor,
            decision,
            f"mention.{status}",
            {"mention": mention.id, "entity": mention.entity.key, "status": [old, status]},
        )
    return mention


def set_entity_status(
    *, actor: policy.Actor, decision: Decision, entity_id: int, status: str
) -> int:
    """Accept or reject every mention of one entity; returns how many changed."""
    _require(actor)
    status = _status(status)
    with transaction.atomic():
        entity = _entity(decision, entity_id)
        n = entity.mentions.exclude(status=status).update(status=status)
        _changed(actor, decision, f"entity.{status}", {"entity": entity.key, "mentions": n})
    return n


def set_pseudonym(
    *, actor: policy.Actor, decision: Decision, entity_id: int, pseudonym: str
) -> AnonymisedEntity:
    """Change what replaces every mention of an entity (e.g. "[witness 3]" → "[witness Z]")."""
    _require(actor)
    pseudonym = pseudonym.strip()
    if not pseudonym:
        raise WorkbenchError("pseudonym: give the text that replaces the name.", field="pseudonym")
    if len(pseudonym) > MAX_PSEUDONYM:
        raise WorkbenchError(
            f"pseudonym: at most {MAX_PSEUDONYM} characters (got {len(pseudonym)}).",
            field="pseudonym",
        )
    with transaction.atomic():
        entity = _entity(decision, entity_id)
        canonical = entity.canonical.strip().lower()
        if canonical and canonical in pseudonym.lower():
            raise WorkbenchError(
                "pseudonym: it contains the name it is meant to hide; choose another.",
                field="pseudonym",
            )
        old = entity.pseudonym
        entity.pseudonym = pseudonym
        entity.save(update_fields=["pseudonym"])
        # The same person in the other language copies keeps the same pseudonym.
        twins = AnonymisedEntity.objects.filter(
            anonymisation__text__decision=decision, pseudonym=old
        ).exclude(id=entity.id)
        n_twins = twins.update(pseudonym=pseudonym)
        _changed(
            actor,
            decision,
            "entity.pseudonym",
            {"entity": entity.key, "pseudonym": [old, pseudonym], "other_texts": n_twins},
        )
    return entity


def merge_entities(
    *, actor: policy.Actor, decision: Decision, into_id: int, from_id: int
) -> AnonymisedEntity:
    """Two entities are one person: move every mention of ``from`` to ``into`` (same text)."""
    _require(actor)
    if into_id == from_id:
        raise WorkbenchError("merge: choose two different entities.", field="from")
    with transaction.atomic():
        into = _entity(decision, into_id, field="into")
        other = _entity(decision, from_id, field="from")
        if into.anonymisation_id != other.anonymisation_id:
            raise WorkbenchError(
                "from: the entities are in different language copies; merge within one text "
                "(pseudonyms already match across copies).",
                field="from",
            )
        n = other.mentions.update(entity=into)
        into.confidence = max(into.confidence, other.confidence)
        into.save(update_fields=["confidence"])
        key = other.key
        other.delete()
        _changed(actor, decision, "entity.merge", {"into": into.key, "from": key, "mentions": n})
    return into


def _new_key(record: TextAnonymisation) -> str:
    keys = record.entities.values_list("key", flat=True)
    numbers = [int(k[1:]) for k in keys if k[:1] == "E" and k[1:].isdigit()]
    return f"E{max(numbers, default=0) + 1}"


def _placeholder(record: TextAnonymisation, kind: str) -> str:
    label = vocabulary("anonymisation", "kinds").label(kind).lower()
    n = record.entities.filter(kind=kind).count() + 1
    return f"[{label} {n}]"


def split_mention(*, actor: policy.Actor, decision: Decision, mention_id: int) -> AnonymisedEntity:
    """This mention is someone else: give it an entity (and pseudonym) of its own."""
    _require(actor)
    with transaction.atomic():
        mention = _mention(decision, mention_id)
        old = mention.entity
        if old.mentions.count() < 2:
            raise WorkbenchError(
                "mention: it is the only mention of its entity; there is nothing to split.",
                field="mention",
            )
        record = old.anonymisation
        entity = AnonymisedEntity.objects.create(
            anonymisation=record,
            key=_new_key(record),
            kind=mention.kind,
            canonical=_surface(mention)[:300],
            pseudonym=_placeholder(record, mention.kind),
            confidence=mention.confidence,
        )
        mention.entity = entity
        mention.save(update_fields=["entity"])
        _changed(
            actor,
            decision,
            "mention.split",
            {"mention": mention.id, "from": old.key, "into": entity.key},
        )
    return entity


def _surface(mention: AnonymisedMention) -> str:
    body = (
        Paragraph.objects.filter(
            text_id=mention.entity.anonymisation.text_id, number=mention.paragraph_number
        )
        .values_list("body", flat=True)
        .first()
    ) or ""
    return body[mention.start : mention.end]


def add_mention(
    *,
    actor: policy.Actor,
    decision: Decision,
    text_id: int,
    paragraph: int,
    start: int,
    end: int,
    kind: str,
    entity_id: int | None = None,
) -> AnonymisedMention:
    """A span the stage missed: mask ``[start, end)`` of one paragraph, as a mention of an
    existing entity or of a new one. Accepted at once (a human chose it)."""
    _require(actor)
    kinds = vocabulary("anonymisation", "kinds")
    if kind not in kinds:
        raise WorkbenchError(
            f"kind: {kind!r} is not a kind; use one of {', '.join(kinds.ids())}.", field="kind"
        )
    with transaction.atomic():
        record = (
            TextAnonymisation.objects.select_related("text")
            .filter(text_id=text_id, text__decision=decision)
            .first()
        )
        if record is None:
            raise WorkbenchError(
                f"text: text {text_id} of this decision has not been anonymised.", field="text"
            )
        body = (
            Paragraph.objects.filter(text_id=text_id, number=paragraph)
            .values_list("body", flat=True)
            .first()
        )
        if body is None:
            raise WorkbenchError(
                f"paragraph: no paragraph {paragraph} in this text.", field="paragraph"
            )
        if not (0 <= start < end <= len(body)):
            raise WorkbenchError(
                f"start: the selection {start}–{end} is not inside paragraph {paragraph} "
                f"(0–{len(body)}).",
                field="start",
            )
        # Trim spaces a mouse selection takes along.
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if start == end:
            raise WorkbenchError("start: the selection holds only spaces.", field="start")
        overlapping = AnonymisedMention.objects.filter(
            entity__anonymisation=record,
            paragraph_number=paragraph,
            start__lt=end,
            end__gt=start,
        ).exclude(status="rejected")
        if overlapping.exists():
            raise WorkbenchError(
                "start: the selection overlaps a span already masked; reject that one first.",
                field="start",
            )
        if entity_id is not None:
            entity = _entity(decision, entity_id)
            if entity.anonymisation_id != record.id:
                raise WorkbenchError(
                    "entity: that entity belongs to another language copy.", field="entity"
                )
        else:
            entity = AnonymisedEntity.objects.create(
                anonymisation=record,
                key=_new_key(record),
                kind=kind,
                canonical=body[start:end][:300],
                pseudonym=_placeholder(record, kind),
                confidence=1.0,
            )
        mention = AnonymisedMention.objects.create(
            entity=entity,
            paragraph_number=paragraph,
            start=start,
            end=end,
            kind=kind,
            confidence=1.0,
            source="manual",
            status="accepted",
        )
        _changed(
            actor,
            decision,
            "mention.add",
            {"mention": mention.id, "entity": entity.key, "paragraph": paragraph, "kind": kind},
        )
    return mention


def sign_off(*, actor: policy.Actor, decision: Decision) -> int:
    """The curator signs the anonymisation of every text of the decision off after reviewing
    it; suggestions not decided yet are accepted with it. Returns how many that accepted."""
    _require(actor)
    try:
        return sign_off_decision(actor=actor, decision=decision, kind="reviewed")
    except SignOffError as exc:
        raise WorkbenchError(str(exc), field=exc.field) from None


def apply_policy(*, actor: policy.Actor, decision: Decision, policy_id: str) -> int:
    """Anonymise the decision again under another policy (e.g. ``initials`` for a jurisdiction
    that publishes "Anwar R."). The review so far is replaced; returns the number of texts."""
    from .policies import policy_ids
    from .services import decision_anonymise

    _require(actor)
    if policy_id not in policy_ids():
        raise WorkbenchError(
            f"policy: {policy_id!r} is not a policy; use one of {', '.join(policy_ids())}.",
            field="policy",
        )
    with transaction.atomic():
        before = sorted(
            set(
                TextAnonymisation.objects.filter(text__decision=decision).values_list(
                    "policy", flat=True
                )
            )
        )
        records = decision_anonymise(decision=decision, policy=policy_id, version=_stage_version())
        audit_record(
            actor=actor,
            action="anonymisation.policy",
            object_type="decision",
            object_id=decision.uid,
            changes={"policy": [", ".join(before), policy_id], "texts": len(records)},
        )
        index_on_commit([decision.uid])
    return len(records)


def _stage_version() -> str:
    from cicnet.pipeline.anonymise import Anonymise

    return Anonymise.version
