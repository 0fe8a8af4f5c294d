"""The termbase: core-international-crimes terms per language, each quoted from a national
statute recorded in ``law/data/national_provisions.csv`` (``data/termbase.yaml``).

``term_hits`` finds the termbase's terms in a paragraph (case-insensitive, whole words, the last
word allowed an inflection ending: "Völkermordes", "Verbrechens gegen die Menschlichkeit" is
not matched but "Verbrechen gegen die Menschlichkeit" is) and gives each hit the equivalents in
the target language with their sources, for the workspace to highlight.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cicnet.strict_yaml import load_yaml

PROVISIONS = "law/data/national_provisions.csv"
_COLUMNS = ("statute_original", "statute_english")


class TermbaseError(ValueError):
    """A termbase entry whose source does not hold it; names the entry and what to fix."""


@dataclass(frozen=True)
class TermSource:
    country: str
    crime_category: str
    column: str
    statute: str  # the cell quoted
    provision: str

    @property
    def label(self) -> str:
        return f"{self.country}: {self.statute}, {self.provision} ({PROVISIONS})"


@dataclass(frozen=True)
class Term:
    concept: str
    concept_label: str
    language: str
    term: str
    source: TermSource


@dataclass(frozen=True)
class TermHit:
    start: int
    end: int
    term: Term
    equivalents: tuple[Term, ...]  # in the target language


def _provisions() -> list[dict[str, str]]:
    text = (
        resources.files("cicnet.law").joinpath("data", "national_provisions.csv").read_text("utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


@cache
def termbase() -> tuple[Term, ...]:
    """Every term, checked against its source (``TermbaseError`` names a term its cell lacks)."""
    raw = resources.files("cicnet.translation").joinpath("data", "termbase.yaml").read_text("utf-8")
    entries = load_yaml(raw, source="translation/data/termbase.yaml")
    rows = _provisions()
    terms: list[Term] = []
    for entry in entries:
        for item in entry["terms"]:
            src = item["source"]
            if src["column"] not in _COLUMNS:
                raise TermbaseError(
                    f"termbase.yaml {entry['id']}/{item['term']}: column must be one of {_COLUMNS}"
                )
            row = next(
                (
                    r
                    for r in rows
                    if r["country"] == src["country"]
                    and r["crime_category"] == src["crime_category"]
                ),
                None,
            )
            if row is None:
                raise TermbaseError(
                    f"termbase.yaml {entry['id']}/{item['term']}: {PROVISIONS} has no row "
                    f"{src['country']} {src['crime_category']}"
                )
            cell = row[src["column"]]
            if item["term"].casefold() not in cell.casefold():
                raise TermbaseError(
                    f"termbase.yaml {entry['id']}/{item['term']}: not found in {PROVISIONS} "
                    f"{src['country']} {src['crime_category']} {src['column']} ({cell!r})"
                )
            terms.append(
                Term(
                    concept=str(entry["id"]),
                    concept_label=str(entry["label"]),
                    language=str(item["language"]),
                    term=str(item["term"]),
                    source=TermSource(
                        country=src["country"],
                        crime_category=src["crime_category"],
                        column=src["column"],
                        statute=cell,
                        provision=row["provisions"],
                    ),
                )
            )
    return tuple(terms)


@cache
def _pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"\w{0,3}(?!\w)", re.IGNORECASE)


def term_hits(text: str, *, language: str, target: str) -> list[TermHit]:
    """The termbase's ``language`` terms found in ``text``, in order, not overlapping (the
    longer term wins), each with its ``target`` equivalents."""
    by_concept: dict[str, list[Term]] = {}
    for t in termbase():
        by_concept.setdefault(t.concept, []).append(t)
    found: list[TermHit] = []
    candidates = sorted(
        (t for t in termbase() if t.language == language), key=lambda t: -len(t.term)
    )
    taken: list[tuple[int, int]] = []
    for term in candidates:
        for m in _pattern(term.term).finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            equivalents = tuple(e for e in by_concept[term.concept] if e.language == target)
            found.append(TermHit(m.start(), m.end(), term, equivalents))
    return sorted(found, key=lambda h: h.start)
