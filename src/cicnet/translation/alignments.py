"""Writes for translations that arrive as files: upload and align, correct pairs, publish.

The aligner (``align.py``) pairs the original's paragraphs (as stored, with their numbers) with
the uploaded file's blank-line paragraphs; the curator checks the pairs side by side, merges,
splits or shifts them (each change audited, the pair's confidence then 1.0), and publishes:
the translation becomes a ``Text`` of the decision whose paragraphs carry the numbers of the
original paragraphs they translate, so the reader shows them side by side.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.jurisprudence.models import Decision, Paragraph, Text
from cicnet.search.services import index_on_commit

from .align import align, align_numbered
from .files import paragraphs_of_upload
from .models import Alignment, AlignmentPair
from .services import TranslationDenied, TranslationError, _language

CORRECTIONS = ("merge", "split", "shift_up", "shift_down")


def alignment_create(
    *,
    actor: policy.Actor,
    decision: Decision,
    filename: str,
    data: bytes,
    language: str,
    provenance: str = "human",
    courts_own: bool = False,
    translator: str = "",
) -> Alignment:
    """Align an uploaded translation with the decision's original; nothing is published yet."""
    if not policy.can_manage_translations(actor) or not policy.can_view_decision(actor, decision):
        raise TranslationDenied("Only the Secretariat's curators align translations.")
    lang = _language(language, "language")
    if provenance not in ("human", "machine"):
        raise TranslationError("provenance: 'human' or 'machine'.", field="provenance")
    if courts_own and provenance != "human":
        raise TranslationError(
            "courts_own: the court's own translation is a human translation.", field="courts_own"
        )
    original = decision.texts.filter(is_original=True).prefetch_related("paragraphs").first()
    if original is None:
        raise TranslationError(
            f"{decision.uid} has no original text to align with; ingest it first.", field="file"
        )
    if lang == original.language:
        raise TranslationError(
            f"language: the original is in {lang}; give the translation's language.",
            field="language",
        )
    if decision.texts.filter(language=lang).exists():
        raise TranslationError(
            f"language: {decision.uid} already has a {lang} text.", field="language"
        )
    translation = paragraphs_of_upload(filename, data, label=f"file {filename}")
    numbered = [(p.number, p.body) for p in original.paragraphs.all()]
    if original.numbering == "court" and translation.numbering == "court":
        pairs = align_numbered(numbered, translation.paragraphs)
    else:
        pairs = align([body for _, body in numbered], translation.bodies)
    with transaction.atomic():
        alignment = Alignment.objects.create(
            decision=decision,
            original=original,
            language=lang,
            paragraphs=translation.bodies,
            source_filename=filename[:300],
            source_sha256=hashlib.sha256(data).hexdigest(),
            provenance=provenance,
            courts_own=courts_own,
            translator=translator.strip()[:200],
            created_by_id=actor.user_id,
        )
        AlignmentPair.objects.bulk_create(
            AlignmentPair(
                alignment=alignment,
                position=k,
                original_numbers=[numbered[i][0] for i in p.original],
                translation_indices=list(p.translation),
                confidence=round(p.confidence, 3),
            )
            for k, p in enumerate(pairs)
        )
        audit_record(
            actor=actor,
            action="translation.alignment_create",
            object_type="decision",
            object_id=decision.uid,
            changes={"language": lang, "file": filename, "pairs": len(pairs)},
        )
    return alignment


def _renumber(alignment: Alignment, groups: list[tuple[list[int], list[int], float, bool]]) -> None:
    AlignmentPair.objects.filter(alignment=alignment).delete()
    AlignmentPair.objects.bulk_create(
        AlignmentPair(
            alignment=alignment,
            position=k,
            original_numbers=o,
            translation_indices=t,
            confidence=c,
            corrected=corrected,
        )
        for k, (o, t, c, corrected) in enumerate(groups)
        if o or t
    )


def alignment_correct(
    *, actor: policy.Actor, alignment: Alignment, position: int, action: str
) -> None:
    """Correct the pair at ``position``:

    - ``merge``: join it with the next pair;
    - ``split``: cut it in two (each side's paragraphs halved, the first half first);
    - ``shift_up``: move the next pair's first translation paragraph into this pair;
    - ``shift_down``: move this pair's last translation paragraph into the next pair.
    """
    if not policy.can_manage_translations(actor):
        raise TranslationDenied("Only the Secretariat's curators correct alignments.")
    if action not in CORRECTIONS:
        raise TranslationError(f"action: one of {', '.join(CORRECTIONS)}.", field="action")
    with transaction.atomic():
        locked = Alignment.objects.select_for_update().get(pk=alignment.pk)
        if locked.published_at is not None:
            raise TranslationError("This alignment is published.", field="action")
        rows = list(locked.pairs.order_by("position"))
        groups = [
            (list(r.original_numbers), list(r.translation_indices), r.confidence, r.corrected)
            for r in rows
        ]
        if not 0 <= position < len(groups):
            raise TranslationError(
                f"position: no pair {position} (0 to {len(groups) - 1}).", field="position"
            )
        has_next = position + 1 < len(groups)
        o, t, _, _ = groups[position]
        if action == "merge":
            if not has_next:
                raise TranslationError("merge: the last pair has no next pair.", field="action")
            o2, t2, _, _ = groups[position + 1]
            groups[position : position + 2] = [(o + o2, t + t2, 1.0, True)]
        elif action == "split":
            if len(o) < 2 and len(t) < 2:
                raise TranslationError(
                    "split: the pair holds one paragraph a side; nothing to split.",
                    field="action",
                )
            co, ct = (len(o) + 1) // 2, (len(t) + 1) // 2
            groups[position : position + 1] = [
                (o[:co], t[:ct], 1.0, True),
                (o[co:], t[ct:], 1.0, True),
            ]
        elif action == "shift_up":
            if not has_next or not groups[position + 1][1]:
                raise TranslationError(
                    "shift_up: the next pair has no translation paragraph to take.",
                    field="action",
                )
            o2, t2, _, _ = groups[position + 1]
            groups[position] = (o, [*t, t2[0]], 1.0, True)
            groups[position + 1] = (o2, t2[1:], 1.0, True)
        else:  # shift_down
            if not has_next or not t:
                raise TranslationError(
                    "shift_down: this pair has no translation paragraph or no next pair.",
                    field="action",
                )
            o2, t2, _, _ = groups[position + 1]
            groups[position] = (o, t[:-1], 1.0, True)
            groups[position + 1] = (o2, [t[-1], *t2], 1.0, True)
        _renumber(locked, groups)
        audit_record(
            actor=actor,
            action="translation.alignment_correct",
            object_type="decision",
            object_id=locked.decision.uid,
            changes={"language": locked.language, "position": position, "correction": action},
        )


def alignment_publish(*, actor: policy.Actor, alignment: Alignment) -> Text:
    """Publish the aligned translation as a ``Text`` of the decision: each pair's translation
    paragraphs become the paragraph numbered like the pair's first original paragraph (a
    translation paragraph with no original counterpart joins the paragraph before it)."""
    if not policy.can_manage_translations(actor):
        raise TranslationDenied("Only the Secretariat's curators publish translations.")
    from cicnet.anonymisation.services import text_anonymise

    with transaction.atomic():
        locked = Alignment.objects.select_for_update().get(pk=alignment.pk)
        if locked.published_at is not None:
            raise TranslationError("This alignment is already published.", field="publish")
        decision = locked.decision
        if decision.texts.filter(language=locked.language).exists():
            raise TranslationError(
                f"{decision.uid} already has a {locked.language} text.", field="publish"
            )
        paragraphs: list[tuple[int, list[str]]] = []
        for pair in locked.pairs.order_by("position"):
            bodies = [locked.paragraphs[j] for j in pair.translation_indices]
            if not bodies:
                continue
            if pair.original_numbers:
                paragraphs.append((int(pair.original_numbers[0]), bodies))
            elif paragraphs:
                paragraphs[-1][1].extend(bodies)
            else:
                paragraphs.append((0, bodies))
        merged: dict[int, list[str]] = {}
        for number, bodies in paragraphs:
            merged.setdefault(number, []).extend(bodies)
        body = "\n\n".join(locked.paragraphs)
        text = Text.objects.create(
            decision=decision,
            language=locked.language,
            is_original=False,
            provenance=locked.provenance,
            translator=locked.translator,
            unofficial=not locked.courts_own,
            body=body,
            numbering=locked.original.numbering,
            source_filename=locked.source_filename,
            source_sha256=locked.source_sha256,
        )
        Paragraph.objects.bulk_create(
            Paragraph(text=text, number=n, body="\n\n".join(b)) for n, b in sorted(merged.items())
        )
        text_anonymise(text=text)
        locked.published_text = text
        locked.published_by_id = actor.user_id
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_text", "published_by", "published_at"])
        audit_record(
            actor=actor,
            action="translation.alignment_publish",
            object_type="decision",
            object_id=decision.uid,
            changes={"language": text.language, "paragraphs": len(merged)},
        )
        index_on_commit([decision.uid])
    return text
