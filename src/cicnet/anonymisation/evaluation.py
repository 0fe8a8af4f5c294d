"""The TAB metrics (Pilán et al. 2022), re-implemented from their definitions.

Used by ``bench/anonymisation.py`` and by the tests' smoke test on TAB documents. Definitions
(see src/cicnet/demo/data/TAB-NOTICE.md):

- entity-level recall on DIRECT and on QUASI identifiers: an entity counts as recalled only if
  every mention of it that needs masking is fully masked. As in TAB's own evaluation, characters
  of a mention that are punctuation, spaces, titles or short function words ("Mr", "of", "the" …,
  ``SKIP_WORDS``) need not be covered. An entity is DIRECT or QUASI by its first mention and
  needs masking if any of its mentions does (TAB's rule);
- token-level precision: the system's spans are cut into ``\\w+`` tokens; a token is correct when
  it lies inside a gold mention that needs masking (uniform weights, TAB's default);
- PERSON mention recall: the share of gold PERSON mentions needing masking that are fully masked;
- over-masking: the share of mentions annotated "no need to mask" (NO_MASK, of entities no
  mention of which needs masking: courts, governments, the Convention, public dates) of which
  at least one word is masked — a published text must keep them readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SKIP_WORDS = (
    "mr mrs ms and or from until to about after as at before between by during for in into of on "
    "over since with the a an no nr ’s 's"
).split()
PUNCTUATION = ",.-;:/&()[]–'\" ’“”"


def skip_regex(extra: Iterable[str] = ()) -> re.Pattern[str]:
    """What may stay uncovered in a masked mention: TAB's words and punctuation, plus ``extra``."""
    words = [rf"\b{re.escape(w)}\b" for w in [*SKIP_WORDS, *extra]]
    return re.compile("|".join(words + [re.escape(c) for c in PUNCTUATION]), re.IGNORECASE)


@dataclass
class GoldEntity:
    kind: str
    direct: bool
    mentions: list[tuple[int, int, bool]] = field(default_factory=list)  # start, end, to mask

    @property
    def needs_masking(self) -> bool:
        return any(m[2] for m in self.mentions)


def is_masked(text: str, start: int, end: int, covered: set[int], skip: re.Pattern[str]) -> bool:
    """Whether [start, end) is covered except for the punctuation and words ``skip`` matches."""
    missing = set(range(start, end)) - covered
    if missing:
        for m in skip.finditer(text[start:end].lower()):
            missing -= set(range(start + m.start(), start + m.end()))
    return not missing


def _any_word_covered(text: str, start: int, end: int, covered: set[int]) -> bool:
    """Whether any ``\\w+`` token of [start, end) is masked, even in part."""
    return any(
        any(i in covered for i in range(start + m.start(), start + m.end()))
        for m in re.finditer(r"\w+", text[start:end])
    )


def tab_entities(doc: Mapping[str, Any]) -> list[GoldEntity]:
    """The gold entities of one TAB document, all annotators together."""
    entities: dict[str, GoldEntity] = {}
    for annotator in doc["annotations"].values():
        for m in annotator["entity_mentions"]:
            to_mask = m["identifier_type"] in ("DIRECT", "QUASI")
            entity = entities.setdefault(
                m["entity_id"], GoldEntity(m["entity_type"], m["identifier_type"] == "DIRECT")
            )
            entity.mentions.append((m["start_offset"], m["end_offset"], to_mask))
    return list(entities.values())


def score_tab(
    docs: Sequence[Mapping[str, Any]],
    spans: Mapping[str, Sequence[tuple[int, int]]],
    misses: int = 0,
    overmasked: int = 0,
) -> dict[str, object]:
    """The TAB metrics of ``spans`` (by ``doc_id``) on ``docs``; ``misses``: list that many
    missed mentions, ``overmasked``: that many "no need to mask" mentions that were masked."""
    skip = skip_regex()
    counts = {
        "direct": [0, 0],
        "quasi": [0, 0],
        "person": [0, 0],
        "precision": [0, 0],
        "no_mask": [0, 0],
    }
    by_kind: dict[str, list[int]] = {}
    missed: list[str] = []
    over: list[str] = []
    for doc in docs:
        text = doc["text"]
        system = spans[doc["doc_id"]]
        covered = {i for s, e in system for i in range(s, e)}
        entities = tab_entities(doc)
        gold_masked = [(s, e) for ent in entities for s, e, to_mask in ent.mentions if to_mask]
        for ent in entities:
            if not ent.needs_masking:
                for s, e, _ in ent.mentions:
                    hit = _any_word_covered(text, s, e, covered)
                    counts["no_mask"][0] += hit
                    counts["no_mask"][1] += 1
                    if hit and len(over) < overmasked:
                        context = text[max(0, s - 40) : e + 30].replace("\n", " ")
                        over.append(f"{ent.kind}: {text[s:e]!r} … {context!r}")
                continue
            ok = all(
                is_masked(text, s, e, covered, skip) for s, e, to_mask in ent.mentions if to_mask
            )
            bucket = counts["direct" if ent.direct else "quasi"]
            bucket[0] += ok
            bucket[1] += 1
            kind = by_kind.setdefault(ent.kind, [0, 0])
            kind[0] += ok
            kind[1] += 1
            for s, e, to_mask in ent.mentions:
                hit = is_masked(text, s, e, covered, skip)
                if ent.kind == "PERSON" and to_mask:
                    counts["person"][0] += hit
                    counts["person"][1] += 1
                if to_mask and not hit and len(missed) < misses:
                    context = text[max(0, s - 40) : e + 30].replace("\n", " ")
                    label = f"{ent.kind}/{'D' if ent.direct else 'Q'}"
                    missed.append(f"{label}: {text[s:e]!r} … {context!r}")
        for s, e in system:
            for tok in re.finditer(r"\w+", text[s:e]):
                ts, te = s + tok.start(), s + tok.end()
                counts["precision"][0] += any(gs <= ts and te <= ge for gs, ge in gold_masked)
                counts["precision"][1] += 1

    def ratio(pair: list[int]) -> float:
        return round(pair[0] / pair[1], 4) if pair[1] else 0.0

    result: dict[str, object] = {
        "documents": len(docs),
        "words": sum(len(d["text"].split()) for d in docs),
        "entity_recall_direct": ratio(counts["direct"]),
        "entity_recall_quasi": ratio(counts["quasi"]),
        "token_precision": ratio(counts["precision"]),
        "person_mention_recall": ratio(counts["person"]),
        "person_mentions": counts["person"][1],
        "no_mask_masked_share": ratio(counts["no_mask"]),
        "no_mask_mentions": counts["no_mask"][1],
        "entities": {"direct": counts["direct"][1], "quasi": counts["quasi"][1]},
        "entity_recall_by_type": {k: ratio(v) for k, v in sorted(by_kind.items())},
    }
    if misses:
        result["missed"] = missed
    if overmasked:
        result["overmasked"] = over
    return result
