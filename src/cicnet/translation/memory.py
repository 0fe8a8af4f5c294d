"""The translation memory: earlier translations of the same or a similar paragraph.

Legal boilerplate recurs across the judgments of one court, so a paragraph translated once is
offered again. Candidates are the paragraphs of other jobs (and earlier paragraphs of the same
job) with the same source and target language that a person has translated or reviewed, in
decisions the actor may see (``policy.translation_jobs_visible``). An identical paragraph
(whitespace and case aside: ``source_hash``) scores 1.0; otherwise candidates sharing at least
one longer word are scored with ``difflib`` on their words and offered from ``MIN_SIMILARITY``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from cicnet.access import policy

from .models import Segment, TranslationJob

MIN_SIMILARITY = 0.6
MAX_CANDIDATES = 2000  # the most recent translated paragraphs of the language pair looked at
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Suggestion:
    similarity: float
    source: str
    target: str
    decision_uid: str
    reviewed: bool


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def candidates(*, actor: policy.Actor, job: TranslationJob) -> list[Segment]:
    """The memory for ``job``: translated or reviewed paragraphs of the same language pair in
    decisions the actor may see, most recent first (one query; empty without the workspace)."""
    jobs = policy.translation_jobs_visible(actor, TranslationJob.objects.all()).filter(
        source__language=job.source.language, target_language=job.target_language
    )
    return list(
        Segment.objects.filter(job__in=jobs, status__in=("translated", "reviewed"))
        .select_related("job__decision")
        .order_by("-translated_at")[:MAX_CANDIDATES]
    )


def rank(segment: Segment, memory: list[Segment], *, limit: int = 3) -> list[Suggestion]:
    """Up to ``limit`` entries of ``memory`` like ``segment``'s paragraph, best first."""
    words = _words(segment.source_body)
    keys = {w for w in words if len(w) >= 5}
    scored: list[Suggestion] = []
    for c in memory:
        if c.pk == segment.pk:
            continue
        if c.source_hash == segment.source_hash:
            score = 1.0
        else:
            other = _words(c.source_body)
            if not keys & set(other):
                continue
            score = difflib.SequenceMatcher(None, words, other, autojunk=False).ratio()
        if score >= MIN_SIMILARITY:
            scored.append(
                Suggestion(
                    similarity=round(score, 2),
                    source=c.source_body,
                    target=c.body,
                    decision_uid=c.job.decision.uid,
                    reviewed=c.status == "reviewed",
                )
            )
    scored.sort(key=lambda s: (-s.similarity, not s.reviewed))
    unique: list[Suggestion] = []
    for s in scored:
        if all(s.target != u.target for u in unique):
            unique.append(s)
    return unique[:limit]


def suggestions(*, actor: policy.Actor, segment: Segment, limit: int = 3) -> list[Suggestion]:
    """Up to ``limit`` earlier translations of paragraphs like ``segment``'s, best first."""
    return rank(segment, candidates(actor=actor, job=segment.job), limit=limit)
