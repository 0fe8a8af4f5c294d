"""Reads of the translation pages, every one through ``access/policy/translation.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision

from .memory import Memory, Suggestion, candidates, rank
from .models import Alignment, Segment, TranslationJob
from .termbase import TermHit, term_hits

STATUSES = ("empty", "machine", "translated", "reviewed")


def jobs_for(*, actor: policy.Actor) -> QuerySet[TranslationJob]:
    """The jobs the actor may work on, with their counts per paragraph status."""
    counts = {f"n_{s}": Count("segments", filter=Q(segments__status=s)) for s in STATUSES}
    return (
        policy.translation_jobs_visible(actor, TranslationJob.objects.all())
        .select_related("decision", "source")
        .annotate(n_total=Count("segments"), **counts)
        .order_by("published_at", "-created_at")
    )


def job_get(*, actor: policy.Actor, job_id: int) -> TranslationJob | None:
    return jobs_for(actor=actor).filter(pk=job_id).first()


def alignments_for(*, actor: policy.Actor) -> QuerySet[Alignment]:
    return (
        policy.alignments_visible(actor, Alignment.objects.all())
        .select_related("decision", "original")
        .annotate(n_pairs=Count("pairs"))
    )


def alignment_get(*, actor: policy.Actor, alignment_id: int) -> Alignment | None:
    return alignments_for(actor=actor).filter(pk=alignment_id).first()


def decision_for_translation(*, actor: policy.Actor, uid: str) -> Decision | None:
    """A decision the actor may open a translation or an alignment of, or ``None``."""
    return (
        policy.translation_decisions_visible(actor, Decision.objects.all()).filter(uid=uid).first()
    )


@dataclass
class Piece:
    text: str
    hit: TermHit | None = None


@dataclass
class WorkspaceRow:
    segment: Segment
    source: list[Piece]
    hits: list[TermHit]
    suggestions: list[Suggestion] = field(default_factory=list)
    may_review: bool = False


def _pieces(text: str, hits: list[TermHit]) -> list[Piece]:
    out: list[Piece] = []
    cursor = 0
    for h in hits:
        if h.start > cursor:
            out.append(Piece(text[cursor : h.start]))
        out.append(Piece(text[h.start : h.end], h))
        cursor = h.end
    if cursor < len(text):
        out.append(Piece(text[cursor:]))
    return out


def workspace_rows(
    *, actor: policy.Actor, job: TranslationJob, with_memory: bool = True
) -> list[WorkspaceRow]:
    """The job's paragraphs with the termbase's hits highlighted and, for paragraphs still to
    translate, the translation memory's suggestions."""
    rows = []
    source_lang, target = job.source.language, job.target_language
    memory = candidates(actor=actor, job=job) if with_memory else Memory()
    for segment in job.segments.select_related("translated_by", "reviewed_by", "job__source"):
        hits = term_hits(segment.source_body, language=source_lang, target=target)
        row = WorkspaceRow(
            segment=segment,
            source=_pieces(segment.source_body, hits),
            hits=hits,
            may_review=policy.can_review_segment(actor, segment),
        )
        if with_memory and segment.status in ("empty", "machine"):
            row.suggestions = rank(segment, memory)
        rows.append(row)
    return rows


@dataclass
class AlignmentRow:
    position: int
    original: list[tuple[int, str]]
    translation: list[tuple[int, str]]
    confidence: float
    corrected: bool


def alignment_rows(*, alignment: Alignment) -> list[AlignmentRow]:
    """The pairs side by side: original paragraphs (number, body), translation paragraphs
    (index, body), confidence."""
    bodies = dict(alignment.original.paragraphs.values_list("number", "body"))
    return [
        AlignmentRow(
            position=p.position,
            original=[(n, bodies.get(n, "")) for n in p.original_numbers],
            translation=[(j, alignment.paragraphs[j]) for j in p.translation_indices],
            confidence=p.confidence,
            corrected=p.corrected,
        )
        for p in alignment.pairs.order_by("position")
    ]
