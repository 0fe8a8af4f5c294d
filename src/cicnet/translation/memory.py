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
from collections import Counter
from dataclasses import dataclass, field

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


@dataclass
class _Entry:
    segment: Segment
    words: list[str]
    counts: Counter[str]
    vocabulary: frozenset[str]


@dataclass
class Memory:
    """The remembered paragraphs of one page, read once and prepared for comparing: each
    paragraph's words and word counts, the paragraphs by exact key and by longer word. A page
    compares every paragraph still to translate with up to ``MAX_CANDIDATES`` of them, so what
    can be worked out once per page is (it took 18 s for a 154-paragraph judgment;
    bench/translation_memory.py)."""

    entries: list[_Entry] = field(default_factory=list)
    by_hash: dict[str, list[int]] = field(default_factory=dict)
    by_key: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, segments: list[Segment]) -> Memory:
        memory = cls()
        for i, seg in enumerate(segments):
            words = _words(seg.source_body)
            memory.entries.append(_Entry(seg, words, Counter(words), frozenset(words)))
            memory.by_hash.setdefault(seg.source_hash, []).append(i)
            for key in {w for w in words if len(w) >= 5}:
                memory.by_key.setdefault(key, []).append(i)
        return memory

    def __len__(self) -> int:
        return len(self.entries)


def candidates(*, actor: policy.Actor, job: TranslationJob) -> Memory:
    """The memory for ``job``: translated or reviewed paragraphs of the same language pair in
    decisions the actor may see, most recent first (one query; empty without the workspace)."""
    jobs = policy.translation_jobs_visible(actor, TranslationJob.objects.all()).filter(
        source__language=job.source.language, target_language=job.target_language
    )
    return Memory.of(
        list(
            Segment.objects.filter(job__in=jobs, status__in=("translated", "reviewed"))
            .select_related("job__decision")
            .order_by("-translated_at")[:MAX_CANDIDATES]
        )
    )


def _similarity(words: list[str], counts: Counter[str], entry: _Entry) -> float:
    """``difflib``'s ratio of the two word lists, or 0.0 when it cannot reach
    ``MIN_SIMILARITY``. The ratio is 2·matches / (total words), and matches can exceed neither
    the shorter list, nor the words of one list that occur in the other, nor the words the two
    have in common counted with repeats: those bounds, cheapest first, skip the costly matching
    for nearly every unrelated paragraph, exactly."""
    total = len(words) + len(entry.words)
    need = MIN_SIMILARITY * total
    if not total or 2 * min(len(words), len(entry.words)) < need:
        return 0.0
    if 2 * sum(map(entry.vocabulary.__contains__, words)) < need:
        return 0.0
    if 2 * sum((counts & entry.counts).values()) < need:
        return 0.0
    return difflib.SequenceMatcher(None, words, entry.words, autojunk=False).ratio()


def rank(segment: Segment, memory: Memory, *, limit: int = 3) -> list[Suggestion]:
    """Up to ``limit`` entries of ``memory`` like ``segment``'s paragraph, best first: the same
    paragraph (``source_hash``) scores 1.0; otherwise one sharing a word of five letters or more
    is scored on its words from ``MIN_SIMILARITY``."""
    words = _words(segment.source_body)
    counts = Counter(words)
    same = set(memory.by_hash.get(segment.source_hash, ()))
    near = {i for w in set(words) if len(w) >= 5 for i in memory.by_key.get(w, ())} - same
    scored: list[tuple[int, float]] = [(i, 1.0) for i in same]
    for i in near:
        score = _similarity(words, counts, memory.entries[i])
        if score >= MIN_SIMILARITY:
            scored.append((i, score))
    shown: list[tuple[int, Suggestion]] = []
    for i, score in scored:
        c = memory.entries[i].segment
        if c.pk == segment.pk:
            continue
        shown.append(
            (
                i,
                Suggestion(
                    similarity=round(score, 2),
                    source=c.source_body,
                    target=c.body,
                    decision_uid=c.job.decision.uid,
                    reviewed=c.status == "reviewed",
                ),
            )
        )
    # Best first; among equals the reviewed, then the most recent (the memory's own order).
    shown.sort(key=lambda pair: (-pair[1].similarity, not pair[1].reviewed, pair[0]))
    unique: list[Suggestion] = []
    for _i, s in shown:
        if all(s.target != u.target for u in unique):
            unique.append(s)
    return unique[:limit]


def suggestions(*, actor: policy.Actor, segment: Segment, limit: int = 3) -> list[Suggestion]:
    """Up to ``limit`` earlier translations of paragraphs like ``segment``'s, best first."""
    return rank(segment, candidates(actor=actor, job=segment.job), limit=limit)
