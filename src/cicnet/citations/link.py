"""Where a citation leads: a decision of the database (by ECLI or case number), a provision
of ``law/`` (national provisions table, Rome Statute crimes), or a public source.

Public sources: HUDOC's search by application number (``#{"appno":["28045/02"]}``) for ECtHR
applications; the ICC Legal Tools Database (its front page: it has no stable search URL we can
rely on, so the page shows the key to search for) for case numbers of the international courts,
the Rome Statute and the Elements of Crimes; the Council of Europe's text of the Convention for
ECHR articles. An ECLI not in the database gets no link. docs/knowledge.md ("Citations").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from cicnet.citations.extract import statute_country
from cicnet.law.crimes import crimes
from cicnet.law.provisions import match_provision

HUDOC = "https://hudoc.echr.coe.int/eng#"
LEGAL_TOOLS = "https://www.legal-tools.org/"
ECHR_TEXT = "https://www.echr.coe.int/documents/d/echr/convention_ENG"


@dataclass(frozen=True)
class Target:
    """A citation's provision key (or crime id) and public URL; the cited decision is looked
    up in the database by ``services``."""

    provision_key: str = ""
    url: str = ""


def normalise_case_number(value: str) -> str:
    """Case numbers compare with runs of spaces collapsed and case folded."""
    return re.sub(r"\s+", " ", value).strip().casefold()


def target(kind: str, key: str, *, country: str) -> Target:
    if kind == "ecthr_application":
        return Target(url=HUDOC + quote(json.dumps({"appno": [key]}, separators=(",", ":"))))
    if kind == "international_case":
        return Target(url=LEGAL_TOOLS)
    if kind in ("rome_statute", "elements_of_crimes"):
        ref = key.partition(":")[2]
        crime_id = ref if ref in crimes() else ""
        return Target(provision_key=crime_id, url=LEGAL_TOOLS)
    if kind == "echr":
        return Target(url=ECHR_TEXT)
    if kind == "national_provision":
        state, statute, section = statute_country(key)
        found = match_provision(country=state or country, citation=f"{statute} § {section}")
        return Target(provision_key=found.key if found else "")
    return Target()
