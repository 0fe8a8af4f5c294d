"""Find the citations in a text: ECLIs, ECtHR application numbers, case numbers of the
international courts (ICC, ICTY, ICTR, IRMCT), national case numbers, and provisions (Rome
Statute and Elements of Crimes, the national provisions of ``law/``, the European Convention on
Human Rights).

Pure functions, no database: ``extract(text, country=…)`` returns ``Found`` items in text
order, each with its kind, the normalised key that links it (``28045/02``, ``ICC-01/04-01/06``,
``RS:7(1)(f)``, ``ECHR:8``, ``ECHR-P1:1``, ``VStGB:7``) and its span. ``link.py`` resolves
a key to a decision, a provision or a public source. Precision and recall are measured by
``bench/citations.py`` on hand-labelled ECtHR texts (docs/knowledge.md, "Citations").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = (
    "ecli",
    "ecthr_application",
    "international_case",
    "national_case",
    "rome_statute",
    "elements_of_crimes",
    "echr",
    "national_provision",
)
KIND_LABELS = {
    "ecli": "ECLI",
    "ecthr_application": "ECtHR application",
    "international_case": "International court case",
    "national_case": "National case number",
    "rome_statute": "Rome Statute",
    "elements_of_crimes": "Elements of Crimes",
    "echr": "European Convention on Human Rights",
    "national_provision": "National provision",
}


@dataclass(frozen=True)
class Found:
    """One citation in a text: ``key`` is what links it, ``start``/``end`` its span."""

    kind: str
    key: str
    start: int
    end: int
    text: str


# --- identifiers of decisions -----------------------------------------------------------------

_ECLI = re.compile(r"\bECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:\d{4}:[A-Z0-9.]{0,24}[A-Z0-9]")

# "no. 28045/02", "nos. 1234/05, 2345/06 and 3456/07", "application 28045/02",
# "Application no. 28045/02"; the numbers of a list are each a citation.
_APP_LIST = re.compile(
    r"\b(?:[Aa]pplications?\s+(?:[Nn]os?\.?\s*)?|[Nn]os?\.\s*|[Nn]umbers?\s+)"
    r"((?:\d{1,6}/\d{2}\b(?:\s*(?:,|and|&|;)\s*)?)+)"
)
_APP_NUMBER = re.compile(r"\b(\d{1,6}/\d{2})\b")

# ICC-01/04-01/06, ICC-02/05-01/09-3, ICC-01/14; IT-95-14/1-T, IT-94-1-A; ICTR-96-4-T,
# ICTR-98-41-A; MICT-13-55-A, IRMCT-?.
_INTERNATIONAL = re.compile(
    r"\b(?:ICC-\d{2}/\d{2}(?:-\d{2}/\d{2})?(?:-[A-Za-z0-9]+)*"
    r"|IT-\d{2}-\d{1,3}(?:/\d)?(?:-[A-Z]{1,4}(?:bis)?)*"
    r"|ICTR-\d{2}-\d{1,3}(?:[A-Z])?(?:-[A-Z]{1,4})*"
    r"|M?ICT-\d{2}-\d{1,3}(?:-[A-Z]{1,4})*"
    r"|IRMCT-\d{2}-\d{1,3}(?:-[A-Z]{1,4})*)"
)

# National case numbers in the forms this collection meets: German (3 StR 454/22, 5-3 StE
# 1/20, 1 StE 9/19, AK 14/19), Dutch parket numbers (09/748004-09), Swedish (B 3787-16),
# French pourvois (n° 19-84.565), Swiss (SK.2019.12), Finnish (R 16/1518).
_NATIONAL = [
    re.compile(r"\b(?:\d-)?\d{1,2}\s?(?:StE|StR|BGs|BJs|ARs|OJs|AK)\s?\d{1,4}/\d{2}\b"),
    re.compile(r"\b\d{2}/\d{6}-\d{2}\b"),
    re.compile(r"\b[BT]\s\d{3,5}-\d{2}\b"),
    re.compile(r"(?:\bn°|\bno\.?|\bpourvoi)\s?(\d{2}-\d{2}\.\d{3})\b", re.I),
    re.compile(r"\b(?:SK|BB|CA)\.\d{4}\.\d{1,4}\b"),
]


# --- provisions -------------------------------------------------------------------------------

_SUB = r"(?:\(\d+\))?(?:\s?\([a-z]\))?(?:\s?\([ivx]+\))?"
_ART = r"[Aa]rt(?:icle|\.)?s?\s?"
_ROME_NAME = r"(?:Rome Statute|ICC Statute|Statute of the International Criminal Court)"
_ROME_AFTER = re.compile(rf"\b{_ART}(\d{{1,3}}){_SUB}(?:\s+of\s+the)?\s+{_ROME_NAME}")
_ROME_BEFORE = re.compile(rf"\b{_ROME_NAME},?\s+{_ART}(\d{{1,3}}){_SUB}")
_ROME_SUB = re.compile(rf"(\d{{1,3}}){_SUB}")
_EOC = re.compile(
    rf"(?:\b{_ART}(\d{{1,3}}{_SUB})\s+of\s+the\s+)?\bElements of Crimes\b"
    rf"(?:,?\s+{_ART}(\d{{1,3}}{_SUB}))?"
)

_ECHR_CONTEXT = re.compile(
    r"Convention for the Protection of Human Rights|European Convention on Human Rights|"
    r"\bthe Convention\b.{0,40}\bthe Court\b|\bECHR\b",
    re.S,
)
# "Article 8 of the Convention", "Articles 8 and 14 of the Convention", "Article 6 § 1 of
# the Convention", "Article 35 §§ 1 and 4 of the Convention", "Article 1 of Protocol No. 1"
_NUMS = r"\d{1,2}(?:\s*§§?\s*\d+(?:\s*\([a-z]\))?(?:\s*(?:,|and)\s*\d+)*)?"
_ECHR_ART = re.compile(
    rf"\bArticles?\s+((?:{_NUMS})(?:\s*(?:,|and|or)\s*(?:{_NUMS}))*)"
    r"(?:\s*(?:,|alone and)\s*(?:taken\s+)?(?:alone|together|in conjunction) with\s+"
    rf"(?:Article\s+)?(?:{_NUMS}))?"
    r"\s+of\s+(?:the\s+)?(Convention|Protocol\s+No\.\s*(\d{1,2}))"
)
# "... of the Convention, taken in conjunction with Article 8"; "(Article 29 § 3)" alone in a
# Convention text is the Convention's.
_ECHR_CONJUNCTION = re.compile(
    r"of the Convention,?\s+(?:taken\s+)?(?:alone and\s+)?in conjunction with\s+(?:both\s+)?"
    r"Article\s+(\d{1,2})\b(?!\s*(?:§§?\s*\d+\s*)?of\s+Protocol)"
)
_ECHR_BARE = re.compile(r"\(Article\s+(\d{1,2})(?:\s*§§?\s*\d+)?\)")

# Statutes the national provisions table names, by the abbreviation courts use, and the State
# they belong to ("" = the decision's own State: StGB is German, Austrian and Swiss).
_STATUTES: dict[str, str] = {
    "VStGB": "DE",
    "WIM": "NL",
    "Wet internationale misdrijven": "NL",
    "KZ-1": "SI",
    "StGB": "",
    "Code pénal": "FR",
    "Strafgesetzbuch": "",
    "Völkerstrafgesetzbuch": "DE",
}
_STATUTE_NAMES = "|".join(re.escape(s) for s in sorted(_STATUTES, key=len, reverse=True))
_SEC = r"(\d{1,4}[a-z]?(?:-\d{1,2})?)(?:\s*(?:Abs\.|para\.|paragraph|lid|\()\s*\d+\)?)?"
_NAT_BEFORE = re.compile(rf"\b({_STATUTE_NAMES}),?\s+(?:§§?|[Aa]rt(?:ikel|icle|\.)?)\s?{_SEC}")
_NAT_AFTER = re.compile(
    rf"(?:§§?|\b[Aa]rt(?:ikel|icle|\.)?)\s?{_SEC}"
    r"(?:\s+(?:Nr\.|no\.|sub)\s*\d+)?(?:\s+(?:of\s+the|des|van\s+de|der))?"
    rf"\s+({_STATUTE_NAMES})\b"
)


def _statute_key(name: str) -> str:
    return {
        "Völkerstrafgesetzbuch": "VStGB",
        "Wet internationale misdrijven": "WIM",
        "Strafgesetzbuch": "StGB",
    }.get(name, name)


def _compact(sub: str) -> str:
    return re.sub(r"\s+", "", sub)


def extract(text: str, *, country: str = "") -> list[Found]:
    """Every citation in ``text``, in text order, without duplicates of the same span.
    ``country`` (the citing court's State) says whose StGB "§ 7 StGB" is."""
    found: list[Found] = []

    def add(kind: str, key: str, m: re.Match[str], group: int = 0) -> None:
        found.append(Found(kind, key, m.start(group), m.end(group), m.group(group)))

    for m in _ECLI.finditer(text):
        add("ecli", m.group(0).upper(), m)
    for m in _INTERNATIONAL.finditer(text):
        add("international_case", m.group(0), m)
    for m in _APP_LIST.finditer(text):
        for n in _APP_NUMBER.finditer(m.group(1)):
            start = m.start(1) + n.start(1)
            found.append(
                Found("ecthr_application", n.group(1), start, start + len(n.group(1)), n.group(1))
            )
    for pattern in _NATIONAL:
        for m in pattern.finditer(text):
            group = 1 if pattern.groups else 0
            add("national_case", re.sub(r"\s+", " ", m.group(group)), m, group)
    for m in _ROME_AFTER.finditer(text):
        sub = _ROME_SUB.match(m.group(0)[m.start(1) - m.start(0) :])
        add("rome_statute", f"RS:{_compact(sub.group(0)) if sub else m.group(1)}", m)
    for m in _ROME_BEFORE.finditer(text):
        sub = _ROME_SUB.match(m.group(0)[m.start(1) - m.start(0) :])
        add("rome_statute", f"RS:{_compact(sub.group(0)) if sub else m.group(1)}", m)
    for m in _EOC.finditer(text):
        article = m.group(1) or m.group(2)
        add("elements_of_crimes", f"EoC:{_compact(article)}" if article else "EoC", m)
    if _ECHR_CONTEXT.search(text):
        for m in _ECHR_ART.finditer(text):
            prefix = f"ECHR-P{m.group(3)}" if m.group(3) else "ECHR"
            head = m.group(0)[: m.start(2) - m.start(0)]
            numbers = _article_numbers(head)
            for number in numbers:
                add("echr", f"{prefix}:{number}", m)
        for pattern in (_ECHR_CONJUNCTION, _ECHR_BARE):
            for m in pattern.finditer(text):
                add("echr", f"ECHR:{m.group(1)}", m)
    for m in _NAT_BEFORE.finditer(text):
        add("national_provision", f"{_statute_key(m.group(1))}:{m.group(2)}", m)
    for m in _NAT_AFTER.finditer(text):
        add("national_provision", f"{_statute_key(m.group(2))}:{m.group(1)}", m)
    unique: dict[tuple[str, str, int], Found] = {}
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        unique.setdefault((f.kind, f.key, f.start), f)
    out = list(unique.values())
    return _drop_nested_national(out, country)


def _article_numbers(head: str) -> list[str]:
    """The article numbers of "Articles 8 and 14", "Article 6 § 1", "Article 35 §§ 1 and 4"
    (the paragraphs after § are not articles)."""
    numbers: list[str] = []
    after_paragraph = False
    for part in re.findall(r"§§?|\d{1,2}|with", head):
        if part.startswith("§"):
            after_paragraph = True
        elif part == "with":
            after_paragraph = False
        elif not after_paragraph:
            numbers.append(part)
    return list(dict.fromkeys(numbers))


def _drop_nested_national(found: list[Found], country: str) -> list[Found]:
    """A case number inside an application list or an international case number is not a
    national one; the StGB of the citing State gets its country."""
    spans = [(f.start, f.end) for f in found if f.kind != "national_case"]
    out = []
    for f in found:
        if f.kind == "national_case" and any(s <= f.start and f.end <= e for s, e in spans):
            continue
        if f.kind == "national_provision" and f.key.startswith("StGB:") and country:
            f = Found(f.kind, f"{country.upper()}-{f.key}", f.start, f.end, f.text)
        out.append(f)
    return out


def statute_country(key: str) -> tuple[str, str, str]:
    """(country, statute, section) of a national-provision key (``VStGB:7``, ``DE-StGB:6``)."""
    statute, _, section = key.partition(":")
    country = ""
    head, _, rest = statute.partition("-")
    if rest in _STATUTES and re.fullmatch(r"[A-Z]{2}", head):
        country, statute = head, rest
    return country or _STATUTES.get(statute, ""), statute, section
