"""Writes: anonymising the texts of a decision and storing the suggestions.

``decision_anonymise`` runs the anonymiser over every text of one decision through one
``Grouper``, so a person has the same pseudonym in the original and in each translation. English
goes first; a text in a language without a spaCy pipeline takes its persons from the English
result (``propagate.py``). Each text's paragraphs are joined with a blank line between them
(a paragraph break never falls inside a name) and each span is stored against its paragraph.
"""

from __future__ import annotations

from bisect import bisect_right

from django.db import transaction

from cicnet.jurisprudence.models import Decision, Text

from . import carry
from .engine import anonymise
from .grouping import Grouper
from .models import AnonymisedEntity, AnonymisedMention, TextAnonymisation
from .pipelines import PIPELINE_PACKAGES
from .policies import DEFAULT_POLICY
from .propagate import anonymise_original
from .types import AnonymisationResult
from .version import engine_version

SEPARATOR = "\n\n"


def _joined(paragraphs: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int, int]]]:
    """The paragraphs as one string, and where each lies in it: (start, end, number)."""
    layout: list[tuple[int, int, int]] = []
    cursor = 0
    for number, body in paragraphs:
        layout.append((cursor, cursor + len(body), number))
        cursor += len(body) + len(SEPARATOR)
    return SEPARATOR.join(body for _, body in paragraphs), layout


def _in_paragraphs(
    start: int, end: int, layout: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """[start, end) cut at paragraph boundaries: (number, start, end) relative to each paragraph."""
    starts = [s for s, _, _ in layout]
    i = max(0, bisect_right(starts, start) - 1)
    out = []
    while i < len(layout) and layout[i][0] < end:
        p_start, p_end, number = layout[i]
        s, e = max(start, p_start), min(end, p_end)
        if s < e:
            out.append((number, s - p_start, e - p_start))
        i += 1
    return out


def _store(
    text: Text,
    result: AnonymisationResult,
    layout: list[tuple[int, int, int]],
    *,
    version: str,
    joined: str,
    carried: carry.CarriedReview | None = None,
) -> TextAnonymisation:
    # Each span cut at paragraph boundaries, once: for the digest and for the stored mentions.
    pieces = [
        (span, number, start, end)
        for span in result.spans
        for number, start, end in _in_paragraphs(span.start, span.end, layout)
    ]
    cut = [(number, start, end, span.kind, span.entity_id) for span, number, start, end in pieces]
    TextAnonymisation.objects.filter(text=text).delete()
    record = TextAnonymisation.objects.create(
        text=text,
        policy=result.policy,
        engine_version=version,
        review=list(result.review),
        without_model=result.without_model,
        suggestion_digest=carry.digest(joined, result, cut),
    )
    entities = {
        e.id: AnonymisedEntity(
            anonymisation=record,
            key=e.id,
            kind=e.kind,
            canonical=e.canonical[:300],
            pseudonym=e.pseudonym[:100],
            role=e.role or "",
            confidence=e.confidence,
        )
        for e in result.entities
    }
    AnonymisedEntity.objects.bulk_create(entities.values())
    mentions = [
        AnonymisedMention(
            entity=entities[span.entity_id],
            paragraph_number=number,
            start=start,
            end=end,
            kind=span.kind,
            confidence=span.confidence,
            source=span.source,
        )
        for span, number, start, end in pieces
    ]
    AnonymisedMention.objects.bulk_create(mentions, batch_size=1000)
    carry.restore(record, carried)
    return record


@transaction.atomic
def decision_anonymise(
    *,
    decision: Decision,
    policy: str = DEFAULT_POLICY,
    version: str | None = None,
    carried: dict[str, carry.CarriedReview] | None = None,
) -> list[TextAnonymisation]:
    """(Re)compute the suggested anonymisation of every text of ``decision``.

    Called by the ``anonymise`` pipeline stage; earlier suggestions and reviews of these texts
    are replaced (the stage only reruns when the files or the stage version change).
    ``version`` defaults to the installed anonymiser's (``version.engine_version``).
    ``carried``: the signed-off reviews the store stage took before it replaced the texts, by
    language; a text whose suggestions are unchanged keeps its sign-off (``carry.py``).
    """
    version = version or engine_version()
    texts = sorted(
        decision.texts.prefetch_related("paragraphs"),
        key=lambda t: (t.language != "en", t.language not in PIPELINE_PACKAGES, t.language),
    )
    grouper = Grouper()
    english: AnonymisationResult | None = None
    records = []
    for text in texts:
        paragraphs = sorted((p.number, p.body) for p in text.paragraphs.all())
        joined, layout = _joined(paragraphs)
        if text.language not in PIPELINE_PACKAGES and english is not None:
            result = anonymise_original(
                joined,
                language=text.language,
                translation=english,
                grouper=grouper,
                policy=policy,
            )
        else:
            result = anonymise(joined, policy=policy, language=text.language, grouper=grouper)
        if text.language == "en":
            english = result
        records.append(
            _store(
                text,
                result,
                layout,
                version=version,
                joined=joined,
                carried=(carried or {}).get(text.language),
            )
        )
    return records


@transaction.atomic
def text_anonymise(
    *, text: Text, policy: str | None = None, version: str | None = None
) -> TextAnonymisation:
    """Compute the suggested anonymisation of one new text of a decision (a translation
    published from the translation workspace or an alignment) without touching the other
    texts' suggestions, reviews or sign-offs. The decision's English text (when there is one
    and it is not this one) is run through the same ``Grouper`` first, unstored, so persons get
    the pseudonyms the English gives them, as ``decision_anonymise`` would. The new text waits
    for a sign-off like any other (``sign_off.py``). ``policy`` defaults to the one the
    decision's other texts have (a curator's choice in the workbench), else the default for
    texts that become public; ``version`` to the installed anonymiser's."""
    version = version or engine_version()
    if policy is None:
        chosen = (
            TextAnonymisation.objects.filter(text__decision=text.decision)
            .exclude(text=text)
            .values_list("policy", flat=True)
            .first()
        )
        policy = chosen or DEFAULT_POLICY
    grouper = Grouper()
    english: AnonymisationResult | None = None
    other = (
        text.decision.texts.filter(language="en").exclude(pk=text.pk).prefetch_related("paragraphs")
    ).first()
    if other is not None:
        joined_en, _ = _joined(sorted((p.number, p.body) for p in other.paragraphs.all()))
        english = anonymise(joined_en, policy=policy, language="en", grouper=grouper)
    joined, layout = _joined(sorted((p.number, p.body) for p in text.paragraphs.all()))
    if text.language not in PIPELINE_PACKAGES and english is not None:
        result = anonymise_original(
            joined, language=text.language, translation=english, grouper=grouper, policy=policy
        )
    else:
        result = anonymise(joined, policy=policy, language=text.language, grouper=grouper)
    return _store(text, result, layout, version=version, joined=joined)
