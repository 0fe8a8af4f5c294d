"""National implementing provisions: how 33 jurisdictions criminalise the core crimes.

Loaded from ``data/national_provisions.csv``. ``match_provision()`` links a provision as cited in
a decision (``"VStGB §7"``, ``"International Crimes Act art. 6"``) to a row, so that a search
for a Rome Statute crime also finds decisions that cite only the national provision.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cicnet.law.crimes import specific_crimes_for_reference

_CATEGORY_ARTICLES = {"genocide": "6", "crimes_against_humanity": "7", "aggression": "8 bis"}


@dataclass(frozen=True)
class NationalProvision:
    key: str  # stable id: COUNTRY:row number
    country: str
    statute_original: str
    statute_english: str
    crime_category: str
    provisions: str
    rome_statute_articles: tuple[str, ...]
    in_force_year: str
    universal_jurisdiction: str
    sources: tuple[str, ...]
    # Whether the suspect's presence is required for universal jurisdiction, as the row's sources
    # state it ("yes", "no", "unknown" or empty), and how sure the row is (high: two agree).
    presence_required: str = ""
    confidence: str = ""

    @property
    def label(self) -> str:
        return f"{self.statute_english}: {self.provisions}"

    @property
    def source_links(self) -> list[str]:
        """The sources as addresses: a web address as it is; "owner/repository/path" (a file of
        a public GitHub repository, as the data's NOTICE cites them) as its GitHub address."""
        return [
            s if s.startswith(("http://", "https://")) else f"https://github.com/{_github(s)}"
            for s in self.sources
        ]

    def crime_ids(self) -> list[str]:
        """Rome Statute crimes this provision implements (from its stated articles, else from
        its crime category)."""
        ids: list[str] = []
        refs = list(self.rome_statute_articles)
        if not refs:
            base = self.crime_category.split(".")[0]
            if base in _CATEGORY_ARTICLES:
                refs = [_CATEGORY_ARTICLES[base]]
            elif base == "war_crimes":
                refs = ["8"]
        for ref in refs:
            ids.extend(specific_crimes_for_reference(ref))
        return list(dict.fromkeys(ids))


@cache
def national_provisions() -> list[NationalProvision]:
    text = (
        resources.files("cicnet.law").joinpath("data", "national_provisions.csv").read_text("utf-8")
    )
    out = []
    for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=1):
        arts = tuple(
            a.strip() for a in re.split(r"[;,]", row["rome_statute_articles"]) if a.strip()
        )
        out.append(
            NationalProvision(
                key=f"{row['country']}:{i}",
                country=row["country"],
                statute_original=row["statute_original"],
                statute_english=row["statute_english"],
                crime_category=row["crime_category"],
                provisions=row["provisions"],
                rome_statute_articles=arts,
                in_force_year=row["in_force_year"],
                universal_jurisdiction=row["universal_jurisdiction"],
                sources=tuple(row["sources"].split()),
                presence_required=row["presence_required"],
                confidence=row["confidence"],
            )
        )
    return out


def provision(key: str) -> NationalProvision | None:
    return next((p for p in national_provisions() if p.key == key), None)


_SECTION = re.compile(
    r"(?:§+|art(?:icle)?\.?|ch(?:apter)?\.?|s(?:ection)?\.?)\s*(\d+[a-z]?(?:-\d+)?)", re.I
)


def _numbers(text: str) -> set[str]:
    return {m.group(1).lower() for m in _SECTION.finditer(text)}


def _statute_tokens(p: NationalProvision) -> set[str]:
    short = re.findall(r"\(([A-Za-zÄÖÜäöü]{2,10})\)", p.statute_original)
    words = {w.lower() for w in short}
    words.update(
        w.lower()
        for w in re.findall(r"[A-Za-zÀ-ÿ]{4,}", p.statute_english + " " + p.statute_original)
    )
    return words


def match_provision(*, country: str, citation: str) -> NationalProvision | None:
    """The national provision row a citation refers to, or ``None`` when no row fits.

    A row fits when it belongs to the decision's country, the citation names its statute (by
    abbreviation or title words) and shares a section number with the row's provisions.
    """
    cited_numbers = _numbers(citation)
    cited_words = {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]{2,}", citation)}
    best: tuple[int, NationalProvision] | None = None
    for p in national_provisions():
        if p.country != country.upper():
            continue
        shared_words = len(cited_words & _statute_tokens(p))
        if not shared_words:
            continue
        shared_numbers = len(cited_numbers & _numbers(p.provisions))
        if cited_numbers and not shared_numbers:
            continue
        score = shared_numbers * 10 + shared_words
        if best is None or score > best[0]:
            best = (score, p)
    return best[1] if best else None


def _github(source: str) -> str:
    owner, repository, *path = source.split("/")
    return "/".join([owner, repository, "blob", "HEAD", *path]) if path else source
