"""Reads: the one place that says which text an actor reads (``text_for``).

The Secretariat (``policy.can_read_original``) reads the original paragraphs. Every other tier,
and the search index (which serves every tier), reads the anonymised paragraphs: each mention
that is not rejected replaced by its entity's pseudonym. A text that has not been anonymised
yet is withheld from them paragraph by paragraph (deny by default), never shown raw.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from cicnet.access import policy

from .models import TextAnonymisation

WITHHELD = "[This paragraph is withheld until the text has been anonymised.]"

Bodies = Mapping[int, str]  # paragraph number -> body


def anonymised_paragraphs(bodies: Mapping[int, Bodies]) -> dict[int, dict[int, str]]:
    """The anonymised bodies of many texts at once (text id -> number -> body); one query."""
    done: set[int] = set()
    spans: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
    # one row per mention, and one with NULLs for an anonymisation that found nothing
    rows = TextAnonymisation.objects.filter(text_id__in=list(bodies)).values_list(
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
