"""Protect rules: what ties a place, a date, an age, an origin or a profession to a person.

A policy that masks a kind of mention "when protected" (``policies/*.yaml``, ``mask: LOC:
protected``) masks a mention only where one of the rules it lists under ``protect:`` fits; the
rules are described in ``vocab/protect_rules.yaml``. ``protect_rules`` says which fit one
mention, from the words before it in the same sentence; it is independent of policy.
"""

from __future__ import annotations

import re

from . import rules
from .types import Mention

# "the District of", "a village of": a place word before "of" that announces a place name
PLACE_PREFIX = re.compile(
    r"(?:[Bb]orough|[Dd]istrict|[Pp]rovince|[Mm]unicipality|[Vv]illage|[Cc]ity|[Tt]own|[Rr]egion|"
    r"[Cc]ounty|[Cc]anton|[Cc]ommune|[Nn]eighbourhood|[Qq]uarter|[Vv]oivodeship)\s+of\s+$"
)

# Cues, in the sentence before a place or date, that it is a person's birth or death, or where
# they live or come from (en, fr, nl, de, es, sv).
_BIRTH_DEATH = re.compile(
    r"\b(?:born|birth|died|death|killed|murdered|shot|buried|née?|naissance|décédée?|morte?|"
    r"tuée?|geboren|overleden|gedood|vermoord|gestorben|getötet|ermordet|nacid[oa]|"
    r"fallecid[oa]|muert[oa]|född|död|dödad)\b",
    re.IGNORECASE,
)
_RESIDENCE = re.compile(
    r"\b(?:lives?|lived|living|resides?|resided|residing|residence|resident|home|house|"
    r"address|domiciled|village|hamlet|native|grew\s+up|comes?\s+from|came\s+from|fled|"
    r"settled|moved|demeurante?|domiciliée?|habite|habitait|village|woont|woonde|woonachtig|"
    r"dorp|adres|wohnt|wohnte|wohnhaft|Wohnort|Dorf|Heimatdorf|stammt|vive|vivía|domicilio|"
    r"pueblo|aldea|bor|bodde|by)\b",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b(?:aged?|age\s+of|years?[- ]old|âgée?|ans|jaar|jarige?|Jahre|jährige|años|år)\b",
    re.IGNORECASE,
)
_ORIGIN_AFTER = re.compile(r"\s+(?:origin|descent|ethnicity|extraction|nationality)\b")


def _clause_before(text: str, start: int, width: int = 80) -> str:
    """Up to ``width`` characters before ``start``, from the last sentence end on."""
    window = text[max(0, start - width) : start]
    cut = max(window.rfind(". "), window.rfind("\n"), window.rfind("; "))
    return window[cut + 1 :] if cut != -1 else window


def protect_rules(text: str, m: Mention) -> frozenset[str]:
    """The protect rules (vocab/protect_rules) that tie the mention ``m`` to a person."""
    found: set[str] = set()
    before = _clause_before(text, m.start)
    if m.kind in ("DATETIME", "LOC") and _BIRTH_DEATH.search(before[-60:]):
        found.add("birth_and_death")
    if m.kind in ("LOC", "ORG", "CODE") and (
        _RESIDENCE.search(before[-50:]) or PLACE_PREFIX.search(before[-30:])
    ):
        found.add("residence_and_origin")
    if m.kind == "QUANTITY" and (_AGE.search(m.text) or _AGE.match(text, m.end, m.end + 12)):
        found.add("age")
    if m.kind == "DEM":
        if _ORIGIN_AFTER.match(text, m.end) or re.search(r"\b(?:of|d[’']origine)\s*$", before):
            found.add("ethnic_or_religious_origin")
        if m.text.lower().removeprefix("retired ") in rules.professions():
            found.add("profession")
    return frozenset(found)
