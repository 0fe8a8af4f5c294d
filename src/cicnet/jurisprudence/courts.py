"""The court vocabulary (``vocab/courts.yaml``): one entry per court, whatever its spelling.

"Higher Regional Court of Koblenz", "… (State Security Senate)" and "Oberlandesgericht Koblenz"
are one court; the ECtHR's sections and Grand Chamber are one court with the formation kept
beside it. Ingestion (``pipeline/metadata.py``), curation (``services.py``) and the data
migration map a name to a court id with ``resolve_court``; the search facet counts ids and
labels them from here.

Caveat: a name matches after case folding and collapsing spaces, nothing fuzzier; a name not
listed is refused, with the way to add it (docs/ingest.md, "Courts").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cicnet.strict_yaml import load_yaml
from cicnet.vocabularies import vocabulary

VOCAB_PATH = "src/cicnet/jurisprudence/vocab/courts.yaml"
_FORMATION = re.compile(r"^(?P<name>.*?)\s*\((?P<formation>[^()]*)\)$")


@dataclass(frozen=True)
class Court:
    """One court of the vocabulary."""

    id: str
    label: str  # English name
    original: str  # name in the original language; "" where no recorded source gives it
    country: str  # ISO 3166-1 alpha-2; "" for an international court
    level: str  # id of vocab/court_levels.yaml
    city: str
    variants: tuple[str, ...]
    source: str
    description: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.label, self.original, *self.variants) if n)


@dataclass(frozen=True)
class CourtMatch:
    """A name resolved: the court and the formation the name carried ("Grand Chamber")."""

    court: Court
    formation: str


class UnknownCourt(ValueError):
    """A court name that no entry of the vocabulary carries; the message says how to add it."""


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@cache
def courts() -> dict[str, Court]:
    """Every court by id, in file order (the file is checked when loaded)."""
    folder = resources.files("cicnet.jurisprudence").joinpath("vocab")
    text = folder.joinpath("courts.yaml").read_text("utf-8")
    levels = vocabulary("jurisprudence", "court_levels")
    out: dict[str, Court] = {}
    for entry in load_yaml(text, source=VOCAB_PATH):
        court = Court(
            id=str(entry["id"]),
            label=str(entry["label"]),
            original=str(entry.get("original") or ""),
            country=str(entry.get("country") or ""),
            level=str(entry["level"]),
            city=str(entry.get("city") or ""),
            variants=tuple(str(v) for v in entry.get("variants") or ()),
            source=str(entry["source"]),
            description=str(entry.get("description") or ""),
        )
        if court.level not in levels:
            raise ValueError(f"{VOCAB_PATH}: court {court.id}: unknown level {court.level!r}")
        if court.id in out:
            raise ValueError(f"{VOCAB_PATH}: court id {court.id!r} is listed twice")
        out[court.id] = court
    return out


@cache
def _by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for court in courts().values():
        for name in court.names:
            other = names.setdefault(_key(name), court.id)
            if other != court.id:
                raise ValueError(f"{VOCAB_PATH}: {name!r} names both {other} and {court.id}")
    return names


def court(court_id: str) -> Court | None:
    return courts().get(court_id)


def court_label(court_id: str) -> str:
    """The English name of a court id; the value itself when it is no id (an old row's name)."""
    found = courts().get(court_id)
    return found.label if found else court_id


def court_choices() -> list[tuple[str, str]]:
    """(id, "English name — country") by name: what a curator picks from."""
    return sorted(
        ((c.id, f"{c.label} ({c.country or 'international'})") for c in courts().values()),
        key=lambda pair: pair[1],
    )


def match_court(name: str) -> CourtMatch | None:
    """The court an id, name or variant stands for; "Name (formation)" keeps the formation."""
    text = " ".join(str(name).split())
    if text in courts():
        return CourtMatch(courts()[text], "")
    found = _by_name().get(_key(text))
    if found:
        return CourtMatch(courts()[found], "")
    m = _FORMATION.match(text)
    if m:
        found = _by_name().get(_key(m.group("name")))
        if found:
            return CourtMatch(courts()[found], m.group("formation").strip())
    return None


def court_country_mismatch(court: Court, country: str) -> str:
    """The message when a national court's State is not the decision's ``country`` ("" when
    they agree or the court is international: there ``country`` is the respondent State)."""
    if not court.country or court.country == country:
        return ""
    return (
        f"{country!r} but the court {court.label!r} is a court of {court.country}; "
        f"the decision's country is the court's State: write {court.country!r}, "
        "or name the court that decided"
    )


def resolve_court(name: str, *, field: str = "court") -> CourtMatch:
    """``match_court`` or ``UnknownCourt`` naming the field, the closest names and how to add
    a court."""
    found = match_court(name)
    if found is not None:
        return found
    close = difflib.get_close_matches(_key(str(name)), list(_by_name()), n=2, cutoff=0.6)
    labels = list(dict.fromkeys(court_label(_by_name()[c]) for c in close))
    hint = f" (did you mean {' or '.join(repr(x) for x in labels)}?)" if labels else ""
    raise UnknownCourt(
        f"{field}: unknown court {str(name)!r}{hint}; give a court id or a name listed in "
        f"{VOCAB_PATH}, or add the court there (id, label, original, country, level, variants, "
        "source) as docs/ingest.md explains under 'Courts'"
    )
