"""The crimes vocabulary, built from the ICC Elements of Crimes.

96 crimes under articles 6, 7, 8 and 8 bis of the Rome Statute (ids such as ``7(1)(f)`` or
``8(2)(a)(ii)-1``), grouped into genocide, crimes against humanity, war crimes and aggression,
plus ``terrorism.*`` and ``other`` for offences charged alongside them. Each crime links to its
Rome Statute article and carries its elements. Source: ``data/elements_of_crimes.yaml`` and
``data/rome_statute.json`` (see ``data/NOTICE.md``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

GROUPS: dict[str, str] = {
    "genocide": "Genocide",
    "crimes_against_humanity": "Crimes against humanity",
    "war_crimes": "War crimes",
    "aggression": "Crime of aggression",
    "terrorism": "Terrorism offences (charged cumulatively)",
    "other": "Other offences",
}
_GROUP_BY_ARTICLE = {"6": "genocide", "7": "crimes_against_humanity", "8": "war_crimes",
                     "8 bis": "aggression"}

# Offences that are not crimes under the Rome Statute but are charged with them in national courts.
_EXTRA = [
    ("terrorism.membership", "terrorism", "Membership of or participation in a terrorist organisation",
     "Membership, participation or leadership in a terrorist organisation, charged under national law alongside core international crimes."),
    ("terrorism.offence", "terrorism", "Terrorist offence",
     "Another offence committed with terrorist intent (e.g. murder as a terrorist offence), charged under national law."),
    ("other", "other", "Other offence under national law",
     "An ordinary offence under national law (e.g. murder, bodily harm, weapons offences) charged alongside or instead of core international crimes."),
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

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]


def _data(name: str) -> str:
    return resources.files("cicnet.law").joinpath("data", name).read_text("utf-8")


@cache
def crimes() -> dict[str, Crime]:
    """All crimes by id, in the order of the Elements of Crimes, then the national-law extras."""
    eoc = yaml.safe_load(_data("elements_of_crimes.yaml"))
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
    for cid, group, label, description in _EXTRA:
        out[cid] = Crime(id=cid, label=label, group=group, article="", description=description)
    return out


def crime(crime_id: str) -> Crime | None:
    return crimes().get(crime_id)


def crimes_in_group(group: str) -> list[Crime]:
    return [c for c in crimes().values() if c.group == group]


_REF = re.compile(r"\s+")


def crimes_for_rome_reference(reference: str) -> list[str]:
    """Crime ids covered by a Rome Statute reference as written in sources.

    ``7(1)(f)`` → ``["7(1)(f)"]``; ``8(2)(a)(ii)`` → the three torture/inhuman/biological
    variants ``8(2)(a)(ii)-1..3``; ``6`` → every genocide crime; ``8(2)(c)`` → the whole
    paragraph. Unknown references give ``[]``.
    """
    ref = _REF.sub("", reference.strip()).replace("bis", " bis")
    if not ref:
        return []
    if ref in crimes():
        return [ref]
    if ref in _GROUP_BY_ARTICLE:
        return [c.id for c in crimes().values() if c.article == ref]
    return [cid for cid in crimes() if cid.startswith(ref + "(") or cid.startswith(ref + "-")]


def crime_ids_matching(term: str) -> list[str]:
    """Ids a search term ``crime:TERM`` stands for: a group id, an exact crime id, or a Rome
    Statute reference that covers several crimes."""
    if term in GROUPS:
        return [c.id for c in crimes_in_group(term)]
    return crimes_for_rome_reference(term)


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
