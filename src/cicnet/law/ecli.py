"""The European Case Law Identifier: the one rule that ingestion, curation and the demo
catalogue apply (docs/decisions/0020).

ECLI:<country>:<court code, 1-7>:<year>:<ordinal, up to 25> (Council conclusions 2011/C 127/01,
point 4). The country part uses the EU's codes, which differ from ISO 3166 for two States (EL,
UK), plus 'EU' for the courts of the Union and 'CE' for the Council of Europe (the ECtHR).
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

PATTERN = re.compile(r"^ECLI:([A-Z]{2}):([A-Z0-9.]{1,7}):(\d{4}):([A-Z0-9.]{1,25})$")
EU_TO_ISO = {"EL": "GR", "UK": "GB"}
SUPRANATIONAL = frozenset({"EU", "CE"})
EXAMPLE = "ECLI:DE:BGH:2024:200324U3STR454.22.0"


class EcliError(ValueError):
    """An ECLI that breaks the rule; the message says what to write instead."""


@cache
def _iso_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def clean_ecli(value: object) -> str:
    """``value`` as a well-formed ECLI in capitals, '' when empty; raises EcliError."""
    text = str(value or "").strip().upper()
    if not text:
        return ""
    match = PATTERN.match(text)
    if not match:
        raise EcliError(
            f"'{value}' is not a valid ECLI; write ECLI:COUNTRY:COURT:YEAR:NUMBER, e.g. {EXAMPLE}"
        )
    code = match.group(1)
    if code not in SUPRANATIONAL and EU_TO_ISO.get(code, code) not in _iso_codes():
        raise EcliError(
            f"'{code}' in '{text}' is not a country code; use the State's code, 'EU' or 'CE'"
        )
    return text


def country_mismatch(ecli: str, country: str) -> str:
    """Why a national ECLI does not name the decision's State ('' when it does or is empty)."""
    if not ecli or not country:
        return ""
    code = ecli.split(":")[1]
    if code in SUPRANATIONAL or EU_TO_ISO.get(code, code) == country:
        return ""
    return f"its country code '{code}' does not match the country '{country}'; fix one of them"
