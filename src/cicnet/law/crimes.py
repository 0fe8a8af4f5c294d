"""The crimes vocabulary, built from the ICC Elements of Crimes.

96 crimes under articles 6, 7, 8 and 8 bis of the Rome Statute (ids such as ``7(1)(f)`` or
``8(2)(a)(ii)-1``), generic entries for the broader references sources cite (``6``, ``8(2)(c)``,
``7(1)(g)``: "act/form not specified"), grouped into genocide, crimes against humanity, war
crimes and aggression, plus ``terrorism.*`` and ``other`` for offences charged alongside them.
Each crime links to its Rome Statute article and carries its elements. Source:
``data/elements_of_crimes.yaml`` and ``data/rome_statute.json`` (see ``data/NOTICE.md``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from cicnet.strict_yaml import load_yaml

GROUPS: dict[str, str] = {
    "genocide": "Genocide",
    "crimes_against_humanity": "Crimes against humanity",
    "war_crimes": "War crimes",
    "aggression": "Crime of aggression",
    "terrorism": "Terrorism offences (charged cumulatively)",
    "other": "Other offences",
}
_GROUP_BY_ARTICLE = {
    "6": "genocide",
    "7": "crimes_against_humanity",
    "8": "war_crimes",
    "8 bis": "aggression",
}

# Offences that are not crimes under the Rome Statute but are charged with them in national courts.
_EXTRA = [
    (
        "terrorism.membership",
        "terrorism",
        "Membership of or participation in a terrorist organisation",
        (
            "Membership, participation or leadership in a terrorist organisation, charged "
            "under national law alongside core international crimes."
        ),
    ),
    (
        "terrorism.offence",
        "terrorism",
        "Terrorist offence",
        (
            "Another offence committed with terrorist intent (e.g. murder as a terrorist "
            "offence), charged under national law."
        ),
    ),
    (
        "other",
        "other",
        "Other offence under national law",
        (
            "An ordinary offence under national law (e.g. murder, bodily harm, weapons "
            "offences) charged alongside or instead of core international crimes."
        ),
    ),
]


@dataclass(frozen=True)
class Element:
    number: int
    text: str


@dataclass(frozen=True)
class Crime:
    """One entry of the crimes vocabulary."""

    id: str
    label: str
    group: str
    article: str  # Rome Statute article number ('7', '8 bis'); '' for national-law offences
    elements: tuple[Element, ...] = field(default_factory=tuple)
    description: str = ""
    # For a generic entry ("7", "8(2)(c)", "7(1)(g)"): the specific crimes it stands for.
    covers: tuple[str, ...] = ()

    @property
    def generic(self) -> bool:
        return bool(self.covers)

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]


def _data(name: str) -> str:
    return resources.files("cicnet.law").joinpath("data", name).read_text("utf-8")


@cache
def crimes() -> dict[str, Crime]:
    """All crimes by id, in the order of the Elements of Crimes, then the national-law extras."""
    eoc = load_yaml(
        _data("elements_of_crimes.yaml"), source="cicnet/law/data/elements_of_crimes.yaml"
    )
    out: dict[str, Crime] = {}
    for entry in eoc["crimes"]:
        article = str(entry["article"])
        out[entry["id"]] = Crime(
            id=entry["id"],
            label=entry["title"],
            group=_GROUP_BY_ARTICLE[article],
            article=article,
            elements=tuple(Element(int(e["n"]), e["text"]) for e in entry.get("elements", [])),
            description=f"Rome Statute article {entry['id']}; ICC Elements of Crimes.",
        )
    out.update(_generic_entries(out))
    for cid, group, label, description in _EXTRA:
        out[cid] = Crime(id=cid, label=label, group=group, article="", description=description)
    return out


_GENERIC_ARTICLE_LABELS = {
    "6": "Genocide (act not specified)",
    "7": "Crime against humanity (act not specified)",
    "8": "War crime (act not specified)",
}


def _generic_entries(specific: dict[str, Crime]) -> dict[str, Crime]:
    """Entries for references broader than one crime, as sources often cite them: an article
    ("6", "7", "8"), a paragraph of article 8 ("8(2)(c)"), or a provision that the Elements of
    Crimes split into forms ("7(1)(g)" → rape, sexual slavery …; "8(2)(a)(ii)" → torture,
    inhuman treatment, biological experiments). Without them a decision citing "6; 7; 8" would be
    recorded as charged with all 95 crimes of those articles."""
    prefixes: dict[str, list[str]] = {}
    for cid, c in specific.items():
        if c.article == "8 bis":
            continue
        prefixes.setdefault(c.article, []).append(cid)
        if c.article == "8":
            m = re.match(r"8\(2\)\([a-f]\)", cid)
            if m:
                prefixes.setdefault(m.group(0), []).append(cid)
        if "-" in cid:
            prefixes.setdefault(cid.split("-")[0], []).append(cid)
    out: dict[str, Crime] = {}
    for ref, covered in prefixes.items():
        if len(covered) < 2 or ref in specific:
            continue
        group = _GROUP_BY_ARTICLE[ref.split("(")[0]]
        singular = {
            "genocide": "Genocide",
            "crimes_against_humanity": "Crime against humanity",
            "war_crimes": "War crime",
        }[group]
        if ref in _GENERIC_ARTICLE_LABELS:
            label = _GENERIC_ARTICLE_LABELS[ref]
        elif all(cid.startswith(ref + "-") for cid in covered):
            forms = "; ".join(specific[cid].label for cid in covered)
            label = f"{singular} under article {ref}, form not specified ({forms})"
        else:
            label = f"{singular} under article {ref} (act not specified)"
        out[ref] = Crime(
            id=ref,
            label=label,
            group=group,
            article=ref.split("(")[0],
            description=f"Rome Statute article {ref}, cited without naming one of the "
            f"{len(covered)} crimes it contains in the ICC Elements of Crimes.",
            covers=tuple(covered),
        )
    return out


def crime(crime_id: str) -> Crime | None:
    return crimes().get(crime_id)


def crimes_in_group(group: str) -> list[Crime]:
    return [c for c in crimes().values() if c.group == group]


_REF = re.compile(r"\s+")


# Paragraphs that hold every crime of their article: "8(2)" lists all war crimes.
_ALIASES = {"7(1)": "7", "8(2)": "8"}


def _normalise(reference: str) -> str:
    ref = _REF.sub("", reference.strip()).replace("bis", " bis")
    return _ALIASES.get(ref, ref)


def crimes_for_rome_reference(reference: str) -> list[str]:
    """The vocabulary id a Rome Statute reference, as written in sources, records.

    ``7(1)(f)`` → ``["7(1)(f)"]``; ``6`` → ``["6"]`` (genocide, act not specified);
    ``8(2)(a)(ii)`` → ``["8(2)(a)(ii)"]`` (form not specified). A reference with no entry of
    its own (``7(1)``) gives the specific crimes under it; unknown references give ``[]``.
    """
    ref = _normalise(reference)
    if not ref:
        return []
    if ref in crimes():
        return [ref]
    return specific_crimes_for_reference(ref)


def specific_crimes_for_reference(reference: str) -> list[str]:
    """Every specific (non-generic) crime a Rome Statute reference covers: ``6`` → the five
    genocide crimes, ``8(2)(a)(ii)`` → ``8(2)(a)(ii)-1..3``, ``7(1)(f)`` → itself."""
    ref = _normalise(reference)
    if not ref:
        return []
    c = crimes().get(ref)
    if c is not None:
        return list(c.covers) or [ref]
    if ref in _GROUP_BY_ARTICLE:
        return [c.id for c in crimes().values() if c.article == ref and not c.generic]
    return [
        cid
        for cid, c in crimes().items()
        if not c.generic and (cid.startswith(ref + "(") or cid.startswith(ref + "-"))
    ]


def crime_ids_matching(term: str) -> list[str]:
    """Ids a search term ``crime:TERM`` stands for: a group id (every crime in it), a specific
    crime id (exactly it), or a broad Rome Statute reference (its generic entry, the generic
    entries under it and every specific crime it covers)."""
    if term in GROUPS:
        return [c.id for c in crimes_in_group(term)]
    ref = _normalise(term)
    c = crimes().get(ref)
    if c is not None and not c.generic:
        return [ref]
    specific = specific_crimes_for_reference(ref)
    if not specific:
        return []
    generic = [
        cid
        for cid, g in crimes().items()
        if g.generic
        and (cid == ref or cid.startswith(ref + "("))
        and set(g.covers) <= set(specific)
    ]
    return generic + specific


@dataclass(frozen=True)
class Article:
    number: str
    name: str
    text: str


@cache
def rome_statute_articles() -> dict[str, Article]:
    """Articles of the Rome Statute by number (Public.Law Datasets, CC BY 4.0)."""
    records = json.loads(_data("rome_statute.json"))
    out: dict[str, Article] = {}
    for rec in records:
        art = rec.get("article")
        if art:
            out[str(art["number"])] = Article(str(art["number"]), art["name"], art["text"])
    return out


def collapse(crime_ids: list[str]) -> list[str]:
    """For display: replace every complete set of the crimes a generic entry covers by that
    entry, broadest first (a provision implementing all of article 7 shows as one line, "Crime
    against humanity (act not specified)", not sixteen). Order is kept otherwise."""
    remaining = list(dict.fromkeys(crime_ids))
    generics = sorted((c for c in crimes().values() if c.generic), key=lambda c: -len(c.covers))
    for g in generics:
        present = set(remaining)
        if set(g.covers) <= present:
            first = min(remaining.index(cid) for cid in g.covers)
            remaining = [cid for cid in remaining if cid not in g.covers and cid != g.id]
            remaining.insert(min(first, len(remaining)), g.id)
    return remaining
