"""Reads for the workbench: the texts with their spans, the entities, the re-identification
risks still to look at, and whether a decision may be published.

Only for actors ``policy.can_review_anonymisation`` allows: these reads show the original text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision, Text

from .models import AnonymisedEntity, AnonymisedMention, TextAnonymisation

LOW_CONFIDENCE = 0.6
QUASI_RISKY = {"LOC", "DATETIME", "CODE", "DEM", "ORG"}
_BIRTH = re.compile(r"\b(born|birth|née?|aged?)\b", re.I)


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph: plain text, or a span (mention) with its entity."""

    text: str
    mention: AnonymisedMention | None = None


@dataclass
class ReviewParagraph:
    number: int
    body: str
    segments: list[Segment]


@dataclass
class ReviewText:
    text: Text
    record: TextAnonymisation | None
    paragraphs: list[ReviewParagraph] = field(default_factory=list)
    entities: list[AnonymisedEntity] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Risk:
    """Something a reviewer should look at before signing off."""

    level: str  # "high" or "medium"
    message: str
    paragraph: int | None = None
    language: str = ""
    mention_id: int | None = None


def _segments(body: str, mentions: list[AnonymisedMention]) -> list[Segment]:
    out: list[Segment] = []
    cursor = 0
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < cursor or m.end > len(body):
            continue  # overlapping spans: the first wins on screen, as in the anonymised text
        if m.start > cursor:
            out.append(Segment(body[cursor : m.start]))
        out.append(Segment(body[m.start : m.end], m))
        cursor = m.end
    if cursor < len(body):
        out.append(Segment(body[cursor:]))
    return out


def review_texts(*, actor: policy.Actor, decision: Decision) -> list[ReviewText]:
    """Every text of the decision with its paragraphs cut into segments at the spans."""
    if not policy.can_review_anonymisation(actor):
        return []
    records = {
        r.text_id: r
        for r in TextAnonymisation.objects.filter(text__decision=decision).select_related(
            "signed_off_by"
        )
    }
    mentions: dict[int, dict[int, list[AnonymisedMention]]] = defaultdict(lambda: defaultdict(list))
    entities: dict[int, list[AnonymisedEntity]] = defaultdict(list)
    for e in (
        AnonymisedEntity.objects.filter(anonymisation__text__decision=decision)
        .select_related("anonymisation")
        .prefetch_related("mentions")
        .order_by("anonymisation_id", "key")
    ):
        entities[e.anonymisation.text_id].append(e)
        for m in e.mentions.all():
            m.entity = e  # the template reads the entity of each span without a query
            mentions[e.anonymisation.text_id][m.paragraph_number].append(m)
    out = []
    for text in decision.texts.prefetch_related("paragraphs").order_by("-is_original", "language"):
        rt = ReviewText(text=text, record=records.get(text.id))
        for p in sorted(text.paragraphs.all(), key=lambda p: p.number):
            spans = mentions[text.id].get(p.number, [])
            rt.paragraphs.append(ReviewParagraph(p.number, p.body, _segments(p.body, spans)))
            rt.counts.update(m.status for m in spans)
        rt.entities = sorted(entities[text.id], key=lambda e: (e.kind != "PERSON", _key_n(e.key)))
        out.append(rt)
    return out


def _key_n(key: str) -> int:
    return int(key[1:]) if key[1:].isdigit() else 0


def risks(texts: list[ReviewText]) -> list[Risk]:
    """What to look at before signing off, most serious first: persons detected with low
    confidence, persons named once only (a name the grouping may have missed elsewhere), dates
    of birth, relatives, rare places and numbers, and the stage's own review notes."""
    out: list[Risk] = []
    for rt in texts:
        lang = rt.text.language
        if rt.record is None:
            out.append(
                Risk(
                    "high",
                    f"The {lang} text has not been anonymised: it is withheld "
                    "from every other tier until it is.",
                    language=lang,
                )
            )
            continue
        for note in rt.record.review:
            out.append(Risk("high", str(note), language=lang))
        bodies = {p.number: p.body for p in rt.paragraphs}
        for e in rt.entities:
            ms = list(e.mentions.all())
            live = [m for m in ms if m.status != "rejected"]
            if e.kind == "PERSON":
                for m in live:
                    if m.status == "suggested" and m.confidence < LOW_CONFIDENCE:
                        out.append(
                            Risk(
                                "high",
                                f"Person “{e.canonical}” found with low "
                                f"confidence ({m.confidence:.2f}).",
                                m.paragraph_number,
                                lang,
                                m.id,
                            )
                        )
                if e.role == "relative":
                    out.append(
                        Risk(
                            "medium",
                            f"A relative (“{e.canonical}”): relatives' names "
                            "can identify the victim.",
                            _first(live),
                            lang,
                        )
                    )
                rejected = [m for m in ms if m.status == "rejected"]
                for m in rejected:
                    out.append(
                        Risk(
                            "high",
                            f"A mention of person “{e.canonical}” is rejected: "
                            "it is shown unmasked to every other tier.",
                            m.paragraph_number,
                            lang,
                            m.id,
                        )
                    )
            elif e.kind in QUASI_RISKY and live:
                m = live[0]
                body = bodies.get(m.paragraph_number, "")
                context = body[max(0, m.start - 40) : m.start]
                if e.kind == "DATETIME" and _BIRTH.search(context):
                    out.append(
                        Risk(
                            "high",
                            f"Date of birth (“{e.canonical}”).",
                            m.paragraph_number,
                            lang,
                            m.id,
                        )
                    )
                elif len(ms) == 1 and e.kind in {"LOC", "CODE"}:
                    out.append(
                        Risk(
                            "medium",
                            f"{_kind_label(e.kind)} named once "
                            f"(“{e.canonical}”): rare details single people out.",
                            m.paragraph_number,
                            lang,
                            m.id,
                        )
                    )
    order = {"high": 0, "medium": 1}
    return sorted(out, key=lambda r: (order[r.level], r.language, r.paragraph or 0))


def _first(ms: list[AnonymisedMention]) -> int | None:
    return min((m.paragraph_number for m in ms), default=None)


def _kind_label(kind: str) -> str:
    from cicnet.vocabularies import vocabulary

    return vocabulary("anonymisation", "kinds").label(kind)


def publication_blocker(decision: Decision) -> str | None:
    """Why ``decision`` may not be published yet, or None: every text must have an
    anonymisation signed off by a curator. A decision without texts has nothing to anonymise."""
    languages = list(decision.texts.values_list("language", flat=True))
    if not languages:
        return None
    signed = set(
        TextAnonymisation.objects.filter(
            text__decision=decision, signed_off_at__isnull=False
        ).values_list("text__language", flat=True)
    )
    missing = sorted(set(languages) - signed)
    if missing:
        return (
            f"anonymisation: the anonymisation of the {', '.join(missing)} text is not signed "
            "off; review it in the anonymisation workbench and sign it off first."
        )
    return None


def status_label(decision: Decision) -> str:
    """One line for the reader and the curation queue: 'signed off', 'to review' …"""
    languages = list(decision.texts.values_list("language", flat=True))
    if not languages:
        return ""
    records = list(TextAnonymisation.objects.filter(text__decision=decision))
    if len(records) < len(set(languages)):
        return "not anonymised"
    if all(r.signed_off_at for r in records):
        return "signed off"
    return "to review"


@dataclass(frozen=True)
class QueueText:
    """One language copy in the anonymisation queue."""

    language: str
    is_original: bool
    state: str  # "not anonymised", "to review" or "signed off"
    policy: str = ""
    without_model: bool = False


@dataclass(frozen=True)
class QueueRow:
    """A decision with at least one text whose anonymisation is not signed off."""

    decision: Decision
    texts: list[QueueText]

    @property
    def full_review(self) -> list[str]:
        """Languages anonymised without a model and not signed off: review every paragraph."""
        return [t.language for t in self.texts if t.without_model and t.state == "to review"]


def review_queue(*, actor: policy.Actor) -> list[QueueRow]:
    """Every decision the actor may see with a text not anonymised or not signed off, those
    with a text anonymised without a language model first (they need a full review), then the
    most recently changed. Nothing for actors who may not use the workbench. Three queries."""
    if not policy.can_review_anonymisation(actor):
        return []
    from django.db.models import Exists, OuterRef, Prefetch, Q

    from cicnet.jurisprudence.selectors import decisions_for

    unsigned = TextAnonymisation.objects.filter(
        text__decision=OuterRef("pk"), signed_off_at__isnull=True
    )
    decisions = (
        decisions_for(actor=actor)
        .filter(Q(texts__anonymisation__isnull=True) | Q(texts__anonymisation__signed_off_at=None))
        .annotate(full_review=Exists(unsigned.filter(without_model=True)))
        .distinct()
        .order_by("-full_review", "-updated_at", "uid")
        .prefetch_related(
            Prefetch(
                "texts",
                queryset=Text.objects.select_related("anonymisation").order_by(
                    "-is_original", "language"
                ),
            )
        )
    )
    rows = []
    for decision in decisions:
        texts = []
        for text in decision.texts.all():
            record = getattr(text, "anonymisation", None)
            if record is None:
                texts.append(QueueText(text.language, text.is_original, "not anonymised"))
                continue
            texts.append(
                QueueText(
                    text.language,
                    text.is_original,
                    "signed off" if record.signed_off_at else "to review",
                    record.policy,
                    record.without_model,
                )
            )
        rows.append(QueueRow(decision, texts))
    return rows
