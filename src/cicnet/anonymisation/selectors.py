"""Reads: the one place that says which text an actor reads (``text_for``).

The Secretariat (``policy.can_read_original``) reads the original paragraphs. Every other tier,
and the search index (which serves every tier), reads the anonymised paragraphs: each mention
that is not rejected replaced by its entity's pseudonym. A text whose anonymisation has not
been signed off (``sign_off.py``) is withheld from them paragraph by paragraph (deny by
default), however the decision was ingested or published; never shown raw.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision, Text

from .models import TextAnonymisation

WITHHELD = "[This paragraph is withheld until its anonymisation has been signed off.]"

Bodies = Mapping[int, str]  # paragraph number -> body


def anonymised_paragraphs(
    bodies: Mapping[int, Bodies], *, include_unsigned: bool = False
) -> dict[int, dict[int, str]]:
    """The anonymised bodies of many texts at once (text id -> number -> body); one query.

    Texts not signed off are withheld, unless ``include_unsigned`` (the Secretariat's preview of
    what readers will get once it signs off; never for a reader below it).
    """
    done: set[int] = set()
    spans: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
    # one row per mention, and one with NULLs for an anonymisation that found nothing
    records = TextAnonymisation.objects.filter(text_id__in=list(bodies))
    if not include_unsigned:
        records = records.filter(signed_off_at__isnull=False)
    rows = records.values_list(
        "text_id",
        "entities__mentions__paragraph_number",
        "entities__mentions__start",
        "entities__mentions__end",
        "entities__mentions__status",
        "entities__pseudonym",
    )
    for text_id, number, start, end, status, pseudonym in rows:
        done.add(text_id)
        if number is not None and status != "rejected":
            spans[(text_id, number)].append((start, end, pseudonym))
    out: dict[int, dict[int, str]] = {}
    for text_id, paragraphs in bodies.items():
        if text_id not in done:
            out[text_id] = {number: WITHHELD for number in paragraphs}
            continue
        out[text_id] = {
            number: _replaced(body, spans.get((text_id, number), []))
            for number, body in paragraphs.items()
        }
    return out


def _replaced(body: str, spans: list[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    cursor = 0
    for start, end, pseudonym in sorted(spans):
        if start < cursor:  # overlapping after a manual edit: the earlier span wins
            continue
        parts += [body[cursor:start], pseudonym]
        cursor = end
    parts.append(body[cursor:])
    return "".join(parts)


def text_for(
    *, actor: policy.Actor | None, bodies: Mapping[int, Bodies]
) -> dict[int, dict[int, str]]:
    """The paragraph bodies ``actor`` may read, for texts given as text id -> number -> body.

    ``actor=None`` means "whoever may reach the result", as for the search index: the
    anonymised text.
    """
    if actor is not None and policy.can_read_original(actor):
        return {text_id: dict(paragraphs) for text_id, paragraphs in bodies.items()}
    return anonymised_paragraphs(bodies)


def decisions_for_sign_off(
    *, uids: list[str] | None, pending: bool
) -> tuple[list[Decision], list[str]]:
    """The decisions a bulk sign-off names (``uids``) or every decision with a text whose
    anonymisation is not signed off (``pending``), in uid order; and the uids not found."""
    if pending:
        qs = Decision.objects.filter(
            texts__anonymisation__isnull=False, texts__anonymisation__signed_off_at__isnull=True
        ).distinct()
        return list(qs.order_by("uid")), []
    wanted = list(dict.fromkeys(uids or []))
    found = {d.uid: d for d in Decision.objects.filter(uid__in=wanted)}
    return [found[u] for u in sorted(found)], [u for u in wanted if u not in found]


@dataclass(frozen=True)
class AnonymisationNote:
    """What a reader below the Secretariat is told about how one text was anonymised."""

    language: str
    state: str  # "reviewed", "bulk" or "withheld"
    batch: str = ""
    signed_off_on: dt.date | None = None


def anonymisation_notes(texts: Iterable[Text]) -> list[AnonymisationNote]:
    """One note per text, from texts fetched with ``select_related("anonymisation")`` (no
    query then): reviewed and signed off, signed off in bulk without review, or withheld."""
    notes: list[AnonymisationNote] = []
    for text in texts:
        # the reverse one-to-one raises an AttributeError subclass when there is no record
        record = getattr(text, "anonymisation", None)
        if record is None or record.signed_off_at is None:
            notes.append(AnonymisationNote(language=text.language, state="withheld"))
            continue
        notes.append(
            AnonymisationNote(
                language=text.language,
                state="bulk" if record.sign_off_kind == "bulk" else "reviewed",
                batch=record.sign_off_batch,
                signed_off_on=record.signed_off_at.date(),
            )
        )
    return notes
