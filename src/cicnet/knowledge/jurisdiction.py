"""Universal jurisdiction by country: the sourced facts of ``data/universal_jurisdiction.yaml``.

``jurisdiction_data()`` loads and checks the file once per process (strict schema: every key
known, every value in its vocabulary, every fact and unit with at least one source that exists
in the file's source list); a file that breaks a rule raises ``JurisdictionDataError`` naming
the country, the fact and the problem, so a bad edit fails loudly at start-up and in the tests.

The facts are public legal information, the same for every reader; what differs per reader (the
country's decisions, its contact points) is read through the policy in ``selectors.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cicnet.strict_yaml import load_yaml
from cicnet.vocabularies import vocabulary

DATA_FILE = "universal_jurisdiction.yaml"
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SOURCE_KEYS = {"title", "url", "publisher", "kind", "language"}
_FACT_KEYS = {"value", "text", "provision", "sources", "caveat"}
_UNIT_KEYS = {"name", "name_original", "role", "text", "sources"}
_COUNTRY_KEYS = {"country", "compiled", "facts", "units"}


class JurisdictionDataError(ValueError):
    """The data file breaks its schema; the message names the place and the rule."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    publisher: str
    kind: str
    language: str

    @property
    def kind_label(self) -> str:
        return vocabulary("knowledge", "source_kinds").label(self.kind)


@dataclass(frozen=True)
class Fact:
    """One condition of universal jurisdiction in one country, as its sources state it."""

    condition: str
    value: str
    text: str
    provision: str
    sources: tuple[Source, ...]
    caveat: str = ""

    @property
    def label(self) -> str:
        return vocabulary("knowledge", "uj_facts").label(self.condition)

    @property
    def value_label(self) -> str:
        return vocabulary("knowledge", "fact_values").label(self.value)


@dataclass(frozen=True)
class Unit:
    name: str
    name_original: str
    role: str
    text: str
    sources: tuple[Source, ...]

    @property
    def role_label(self) -> str:
        return vocabulary("knowledge", "unit_roles").label(self.role)


@dataclass(frozen=True)
class CountryJurisdiction:
    country: str
    compiled: dt.date
    facts: dict[str, Fact]
    units: tuple[Unit, ...]

    def fact(self, condition: str) -> Fact | None:
        """The recorded fact, or ``None``: not recorded (never a guess)."""
        return self.facts.get(condition)


@dataclass(frozen=True)
class JurisdictionData:
    sources: dict[str, Source]
    countries: dict[str, CountryJurisdiction]


def _text(value: Any, where: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise JurisdictionDataError(f"{where}: must be a non-empty text.")
    return " ".join(value.split())


def _unknown_keys(entry: Any, allowed: set[str], where: str) -> None:
    if not isinstance(entry, dict):
        raise JurisdictionDataError(f"{where}: must be a mapping.")
    extra = sorted(set(entry) - allowed)
    if extra:
        raise JurisdictionDataError(
            f"{where}: unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}."
        )


def _sources_of(ids: Any, known: dict[str, Source], where: str) -> tuple[Source, ...]:
    if not isinstance(ids, list) or not ids:
        raise JurisdictionDataError(
            f"{where}: sources must list at least one source id; a fact without a source is "
            "left out of the file (it is shown as not recorded)."
        )
    out = []
    for sid in ids:
        if sid not in known:
            raise JurisdictionDataError(f"{where}: source {sid!r} is not in the sources list.")
        out.append(known[sid])
    return tuple(out)


def _check_term(vocab: str, value: Any, where: str) -> str:
    terms = vocabulary("knowledge", vocab)
    if value not in terms:
        raise JurisdictionDataError(
            f"{where}: {value!r} is not one of {', '.join(terms.ids())} (vocab/{vocab}.yaml)."
        )
    return str(value)


def parse_jurisdiction_data(text: str, *, source: str = DATA_FILE) -> JurisdictionData:
    """Parse and check the data file's text (raises ``JurisdictionDataError``)."""
    raw = load_yaml(text, source=source)
    _unknown_keys(raw, {"sources", "countries"}, source)
    sources: dict[str, Source] = {}
    for sid, entry in (raw.get("sources") or {}).items():
        where = f"{source}: source {sid}"
        _unknown_keys(entry, _SOURCE_KEYS, where)
        url = _text(entry.get("url"), f"{where}: url")
        if not url.startswith(("https://", "http://")):
            raise JurisdictionDataError(f"{where}: url must be a web address (http or https).")
        sources[str(sid)] = Source(
            id=str(sid),
            title=_text(entry.get("title"), f"{where}: title"),
            url=url,
            publisher=_text(entry.get("publisher"), f"{where}: publisher"),
            kind=_check_term("source_kinds", entry.get("kind"), f"{where}: kind"),
            language=_text(entry.get("language"), f"{where}: language"),
        )
    countries: dict[str, CountryJurisdiction] = {}
    for i, entry in enumerate(raw.get("countries") or [], start=1):
        where = f"{source}: country #{i}"
        _unknown_keys(entry, _COUNTRY_KEYS, where)
        code = str(entry.get("country", ""))
        if not _COUNTRY.match(code):
            raise JurisdictionDataError(f"{where}: country must be an ISO 3166-1 alpha-2 code.")
        where = f"{source}: {code}"
        if code in countries:
            raise JurisdictionDataError(f"{where}: the country is listed twice.")
        try:
            compiled = dt.date.fromisoformat(str(entry.get("compiled", "")))
        except ValueError:
            raise JurisdictionDataError(f"{where}: compiled must be a date YYYY-MM-DD.") from None
        facts: dict[str, Fact] = {}
        for condition, fact in (entry.get("facts") or {}).items():
            fwhere = f"{where}: {condition}"
            _check_term("uj_facts", condition, f"{where}: fact")
            _unknown_keys(fact, _FACT_KEYS, fwhere)
            facts[str(condition)] = Fact(
                condition=str(condition),
                value=_check_term("fact_values", fact.get("value"), f"{fwhere}: value"),
                text=_text(fact.get("text"), f"{fwhere}: text"),
                provision=_text(fact.get("provision"), f"{fwhere}: provision"),
                sources=_sources_of(fact.get("sources"), sources, fwhere),
                caveat=_text(fact.get("caveat"), f"{fwhere}: caveat", required=False),
            )
        units = []
        for j, unit in enumerate(entry.get("units") or [], start=1):
            uwhere = f"{where}: unit #{j}"
            _unknown_keys(unit, _UNIT_KEYS, uwhere)
            units.append(
                Unit(
                    name=_text(unit.get("name"), f"{uwhere}: name"),
                    name_original=_text(unit.get("name_original"), f"{uwhere}: name_original"),
                    role=_check_term("unit_roles", unit.get("role"), f"{uwhere}: role"),
                    text=_text(unit.get("text"), f"{uwhere}: text"),
                    sources=_sources_of(unit.get("sources"), sources, uwhere),
                )
            )
        countries[code] = CountryJurisdiction(code, compiled, facts, tuple(units))
    return JurisdictionData(sources=sources, countries=countries)


@cache
def jurisdiction_data() -> JurisdictionData:
    text = resources.files("cicnet.knowledge").joinpath("data", DATA_FILE).read_text("utf-8")
    return parse_jurisdiction_data(text, source=f"cicnet/knowledge/data/{DATA_FILE}")


def conditions() -> list[tuple[str, str, str]]:
    """(id, label, description) of every condition, in display order."""
    return [(t.id, t.label, t.description) for t in vocabulary("knowledge", "uj_facts")]
