"""Anonymising an original in a language without a model from its English translation.

Most texts reach the network as English translations; the original (German, Dutch, Swedish …)
has no spaCy pipeline here. The persons found in the aligned English translation are carried
over: every occurrence in the original of a person's full name, and of each word of it, is
masked, with the same pseudonym as in the translation (through the shared ``Grouper``). The
rules still find dates, numbers and titled names. Names transliterate little between EU
languages, but the rest (places, organisations in their original spelling, names the
translation spells differently) is not guaranteed: the result is always flagged for review.
"""

from __future__ import annotations

import re

from . import detect as detection
from .engine import anonymise
from .grouping import Grouper
from .policies import Policy
from .types import AnonymisationResult, Mention

# the confidence of a name found in the original only because the translation has it
CARRIED_CONFIDENCE = 0.75
MIN_WORD_CHARS = 3


def person_names(translation: AnonymisationResult) -> set[str]:
    """The surfaces of the translation's masked persons, whole and word by word."""
    names: set[str] = set()
    for span in translation.spans:
        if span.kind != "PERSON":
            continue
        names.add(span.text)
        for word in re.findall(r"[^\W\d_][\w’'-]*", span.text):
            if len(word) >= MIN_WORD_CHARS and word.lower() not in detection.NOT_NAMES:
                names.add(word)
    return {n for n in names if len(n) >= MIN_WORD_CHARS}


def carried_mentions(original: str, names: set[str]) -> tuple[Mention, ...]:
    """Every occurrence in ``original`` of one of ``names``, longest names first."""
    if not names:
        return ()
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return tuple(
        Mention(m.start(), m.end(), "PERSON", m.group(0), CARRIED_CONFIDENCE, "translation")
        for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", original)
    )


def anonymise_original(
    original: str,
    *,
    language: str,
    translation: AnonymisationResult,
    grouper: Grouper,
    policy: str | Policy = "strict",
) -> AnonymisationResult:
    """Anonymise ``original`` with the persons of its anonymised English ``translation``.

    ``grouper`` must be the one the translation went through, so each person keeps the
    translation's pseudonym.
    """
    mentions = carried_mentions(original, person_names(translation))
    result = anonymise(original, policy=policy, language=language, grouper=grouper, extra=mentions)
    note = (
        f"{len(mentions)} person mention(s) carried over from the {translation.language!r} "
        "translation; places, organisations and differently spelled names need a human check"
    )
    return AnonymisationResult(
        text=result.text,
        language=result.language,
        policy=result.policy,
        spans=result.spans,
        entities=result.entities,
        kept=result.kept,
        review=(*result.review, note),
        without_model=result.without_model,
    )
