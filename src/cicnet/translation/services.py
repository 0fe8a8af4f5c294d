"""Writes of the translation workspace: roles, jobs, paragraphs, machine drafts, publication.

Every service checks the policy (``access/policy/translation.py``), runs in one transaction,
writes an audit entry, and refuses a stale form (``version``). Publication turns a job into a
``Text`` of the decision only when every paragraph is reviewed; the new text is anonymised at
once and, like every text, withheld from readers below the Secretariat until signed off.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.accounts.models import User
from cicnet.audit.services import audit_record
from cicnet.errors import ActionDenied, UserInputError
from cicnet.jurisprudence.models import Decision, Paragraph, Text
from cicnet.search.services import index_on_commit

from .engines import EngineError, configured_engine
from .models import Segment, TranslationJob, TranslatorRole

MAX_SEGMENT_CHARS = 50_000


class TranslationError(UserInputError):
    """A translation action that cannot be done as asked; the message says what to do."""


class TranslationDenied(ActionDenied):
    """The policy refuses this actor this translation action."""


def normalised_hash(body: str) -> str:
    """SHA-256 of a paragraph with its whitespace normalised and case folded (the translation
    memory's exact-match key)."""
    return hashlib.sha256(" ".join(body.split()).casefold().encode("utf-8")).hexdigest()


def _language(code: str, field: str) -> str:
    value = code.strip().lower()
    if not (len(value) == 2 and value.isalpha()):
        raise TranslationError(
            f"{field}: give a two-letter ISO 639-1 language code such as 'en' ({code!r} given).",
            field=field,
        )
    return value


def translator_role_grant(*, actor: policy.Actor, user: User, role: str) -> TranslatorRole:
    """Give ``user`` a translation role (curators). The role opens the workspace only to a
    person who may read original texts (the Secretariat)."""
    if not policy.can_manage_translations(actor):
        raise TranslationDenied("Only the Secretariat's curators grant translation roles.")
    if role not in policy.TRANSLATION_ROLES:
        raise TranslationError(
            f"role: one of {', '.join(policy.TRANSLATION_ROLES)} ({role!r} given).", field="role"
        )
    with transaction.atomic():
        grant, created = TranslatorRole.objects.get_or_create(
            user=user, role=role, defaults={"granted_by_id": actor.user_id}
        )
        if created:
            audit_record(
                actor=actor,
                action="translation.role_grant",
                object_type="user",
                object_id=user.pk,
                changes={"role": role},
            )
    return grant


def job_open(
    *, actor: policy.Actor, decision: Decision, target_language: str, credit: str = ""
) -> TranslationJob:
    """Open the translation of ``decision``'s original into ``target_language``: one empty
    paragraph per paragraph of the original."""
    if not policy.can_manage_translations(actor) or not policy.can_view_decision(actor, decision):
        raise TranslationDenied("Only the Secretariat's curators open translations.")
    target = _language(target_language, "target_language")
    source = decision.texts.filter(is_original=True).first()
    if source is None:
        raise TranslationError(
            f"{decision.uid} has no original text to translate; ingest the judgment first.",
            field="target_language",
        )
    if not source.paragraphs.exists():
        raise TranslationError(
            f"{decision.uid}: its original text has no paragraphs to translate; re-ingest it.",
            field="target_language",
        )
    if source.language == target:
        raise TranslationError(
            f"target_language: the original is already in {target}; choose another language.",
            field="target_language",
        )
    if decision.texts.filter(language=target).exists():
        raise TranslationError(
            f"target_language: {decision.uid} already has a {target} text.",
            field="target_language",
        )
    credit = (credit.strip() or settings.CICNET_TRANSLATION_CREDIT)[:300]
    try:
        with transaction.atomic():
            job = TranslationJob.objects.create(
                decision=decision,
                source=source,
                target_language=target,
                credit=credit,
                created_by_id=actor.user_id,
            )
            Segment.objects.bulk_create(
                Segment(
                    job=job,
                    number=p.number,
                    source_body=p.body,
                    source_hash=normalised_hash(p.body),
                )
                for p in source.paragraphs.all()
            )
            audit_record(
                actor=actor,
                action="translation.job_open",
                object_type="decision",
                object_id=decision.uid,
                changes={"target_language": target, "paragraphs": job.segments.count()},
            )
    except IntegrityError as exc:
        raise TranslationError(
            f"target_language: a {target} translation of {decision.uid} is already open.",
            field="target_language",
        ) from exc
    return job


def _editable(actor: policy.Actor, segment: Segment, version: int) -> None:
    if segment.job.published_at is not None:
        raise TranslationError(
            "This translation is published; open a new one to change it.", field="body"
        )
    if segment.version != version:
        raise TranslationError(
            f"Paragraph {segment.number} was changed by someone else meanwhile; reload the "
            "page and apply your change again.",
            field="body",
        )


def segment_save(*, actor: policy.Actor, segment: Segment, body: str, version: int) -> Segment:
    """Save a translator's text for one paragraph: status 'translated' (or 'empty' when the
    text is cleared); any earlier review is void because the text changed."""
    if not policy.can_translate(actor):
        raise TranslationDenied("Only translators and reviewers write translations.")
    text = body.strip()
    if len(text) > MAX_SEGMENT_CHARS:
        raise TranslationError(
            f"body: at most {MAX_SEGMENT_CHARS} characters ({len(text)} given).", field="body"
        )
    with transaction.atomic():
        locked = Segment.objects.select_for_update().select_related("job").get(pk=segment.pk)
        _editable(actor, locked, version)
        if text == locked.body and locked.status in ("translated", "reviewed"):
            return locked
        now = timezone.now()
        locked.body = text
        locked.status = "translated" if text else "empty"
        locked.translated_by_id = actor.user_id if text else None
        locked.translated_at = now if text else None
        locked.reviewed_by = None
        locked.reviewed_at = None
        locked.machine_request = ""
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            action="translation.segment_save",
            object_type="decision",
            object_id=locked.job.decision.uid,
            changes={
                "language": locked.job.target_language,
                "paragraph": locked.number,
                "status": locked.status,
            },
        )
    return locked


def segment_review(*, actor: policy.Actor, segment: Segment, version: int) -> Segment:
    """A reviewer approves a translated paragraph (not one they translated)."""
    with transaction.atomic():
        locked = Segment.objects.select_for_update().select_related("job").get(pk=segment.pk)
        if not policy.can_translate(actor) or not policy.can_review_translations(actor):
            raise TranslationDenied("Only reviewers approve translations.")
        _editable(actor, locked, version)
        if not policy.can_review_segment(actor, locked):
            why = (
                "you translated it: another reviewer approves it"
                if locked.translated_by_id == actor.user_id
                else "it is not translated yet (a machine draft must be edited and saved first)"
            )
            raise TranslationError(
                f"Paragraph {locked.number} cannot be approved: {why}.", field="review"
            )
        locked.status = "reviewed"
        locked.reviewed_by_id = actor.user_id
        locked.reviewed_at = timezone.now()
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            action="translation.segment_review",
            object_type="decision",
            object_id=locked.job.decision.uid,
            changes={"language": locked.job.target_language, "paragraph": locked.number},
        )
    return locked


@dataclass
class DraftResult:
    drafted: int = 0  # paragraphs given a draft now
    requested: int = 0  # paragraphs sent to an asynchronous engine
    skipped: int = 0  # paragraphs already holding a person's text (never overwritten)
    engine: str = ""


def callback_reference(segment: Segment) -> str:
    """``<segment id>.<HMAC>``: the external reference an asynchronous engine hands back, so
    its callback can fill exactly this paragraph and nothing else."""
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"segment:{segment.pk}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"{segment.pk}.{mac}"


def machine_draft(*, actor: policy.Actor, job: TranslationJob, numbers: list[int]) -> DraftResult:
    """Ask the configured engine for rough drafts of the paragraphs ``numbers`` of ``job``
    (every empty one when ``numbers`` is empty). A paragraph a person has written is never
    overwritten; a draft is stored with the status 'machine' and must be edited, saved and
    reviewed like any text before publication."""
    if not policy.can_translate(actor):
        raise TranslationDenied("Only translators and reviewers request machine drafts.")
    if job.published_at is not None:
        raise TranslationError("This translation is published.", field="engine")
    engine = configured_engine()
    if engine is None:
        raise EngineError("Machine drafts are switched off here (CICNET_MT_ENGINE=none).")
    source, target = job.source.language, job.target_language
    if not engine.supports(source, target):
        raise EngineError(f"{engine.label}: no {source}→{target} drafts; translate by hand.")
    segments = list(job.segments.order_by("number"))
    wanted = [s for s in segments if (not numbers or s.number in numbers)]
    empty = [s for s in wanted if s.status == "empty"]
    result = DraftResult(skipped=len(wanted) - len(empty), engine=engine.label)
    if not empty:
        return result
    if engine.asynchronous:
        # One request per paragraph; each callback fills its own paragraph.
        for segment in empty:
            request_id = engine.submit(
                segment.source_body,
                source=source,
                target=target,
                reference=callback_reference(segment),
            )
            Segment.objects.filter(pk=segment.pk, status="empty").update(
                machine_request=request_id, machine_engine=engine.label
            )
            result.requested += 1
    else:
        drafts = engine.translate([s.source_body for s in empty], source=source, target=target)
        with transaction.atomic():
            for segment, draft in zip(empty, drafts, strict=True):
                # Only a paragraph still empty takes the draft (a person may have saved since).
                result.drafted += Segment.objects.filter(pk=segment.pk, status="empty").update(
                    body=draft.strip(),
                    status="machine",
                    machine_engine=engine.label,
                    version=segment.version + 1,
                )
    audit_record(
        actor=actor,
        action="translation.machine_draft",
        object_type="decision",
        object_id=job.decision.uid,
        changes={
            "language": target,
            "engine": engine.name,
            "drafted": result.drafted,
            "requested": result.requested,
        },
    )
    return result


def machine_draft_delivered(*, reference: str, request_id: str, text: str) -> bool:
    """An asynchronous engine's callback: fill the paragraph named by ``reference`` (checked
    with the instance's key) if it still waits for this request and nobody wrote it since.
    Returns whether a paragraph took the draft."""
    segment_id = reference.partition(".")[0]
    if not segment_id.isdigit():
        return False
    segment = Segment.objects.filter(pk=int(segment_id)).first()
    if segment is None or not hmac.compare_digest(callback_reference(segment), reference):
        return False
    return bool(
        Segment.objects.filter(
            pk=segment.pk, status="empty", machine_request=request_id, machine_request__gt=""
        ).update(
            body=text.strip()[:MAX_SEGMENT_CHARS],
            status="machine",
            machine_request="",
            version=segment.version + 1,
        )
    )


def job_publish(*, actor: policy.Actor, job: TranslationJob) -> Text:
    """Publish a job whose every paragraph is reviewed as a ``Text`` of the decision: a human
    translation, unofficial, credited, dated today; anonymised at once and withheld from
    readers below the Secretariat until its anonymisation is signed off."""
    if not policy.can_manage_translations(actor):
        raise TranslationDenied("Only the Secretariat's curators publish translations.")
    from cicnet.anonymisation.services import text_anonymise

    with transaction.atomic():
        locked = TranslationJob.objects.select_for_update().get(pk=job.pk)
        if locked.published_at is not None:
            raise TranslationError("This translation is already published.", field="publish")
        segments = list(locked.segments.order_by("number"))
        waiting = [s.number for s in segments if s.status != "reviewed"]
        if waiting:
            shown = ", ".join(f"¶{n}" for n in waiting[:10])
            more = f" and {len(waiting) - 10} more" if len(waiting) > 10 else ""
            raise TranslationError(
                f"Every paragraph must be reviewed before publication; not yet: {shown}{more}.",
                field="publish",
            )
        decision = locked.decision
        if decision.texts.filter(language=locked.target_language).exists():
            raise TranslationError(
                f"{decision.uid} already has a {locked.target_language} text.", field="publish"
            )
        body = "\n\n".join(s.body for s in segments)
        text = Text.objects.create(
            decision=decision,
            language=locked.target_language,
            is_original=False,
            provenance="human",
            translator=locked.credit,
            translated_on=timezone.localdate(),
            unofficial=True,
            body=body,
            numbering=locked.source.numbering,
            source_filename="",
            source_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        )
        Paragraph.objects.bulk_create(
            Paragraph(text=text, number=s.number, body=s.body) for s in segments
        )
        text_anonymise(text=text)
        locked.published_text = text
        locked.published_by_id = actor.user_id
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_text", "published_by", "published_at"])
        audit_record(
            actor=actor,
            action="translation.publish",
            object_type="decision",
            object_id=decision.uid,
            changes={
                "language": text.language,
                "paragraphs": len(segments),
                "translator": text.translator,
            },
        )
        index_on_commit([decision.uid])
    return text


def machine_draft_failed(*, reference: str, request_id: str) -> bool:
    """An asynchronous engine's error callback: forget the pending request of the paragraph
    named by ``reference`` (checked with the instance's key)."""
    segment_id = reference.partition(".")[0]
    if not segment_id.isdigit():
        return False
    segment = Segment.objects.filter(pk=int(segment_id)).first()
    if segment is None or not hmac.compare_digest(callback_reference(segment), reference):
        return False
    return bool(
        Segment.objects.filter(
            pk=segment.pk, machine_request=request_id, machine_request__gt=""
        ).update(machine_request="")
    )
