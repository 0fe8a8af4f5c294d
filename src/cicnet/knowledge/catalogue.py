"""The network's public knowledge as data: publications (reports and factsheets), the public
addresses of meeting conclusions, the editions of the EU Day Against Impunity and the
civil-society organisations that support survivors (``data/*.yaml``).

Each loader checks its file strictly (unknown keys, missing texts, bad dates and URLs raise
``CatalogueError`` naming the file, the entry and the rule) and is read once per process. None of
this is protected material: it restates public pages, each entry with its source.
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

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class CatalogueError(ValueError):
    """A data file breaks its schema; the message names the file, the entry and the rule."""


def _load(name: str) -> Any:
    text = resources.files("cicnet.knowledge").joinpath("data", name).read_text("utf-8")
    return load_yaml(text, source=f"cicnet/knowledge/data/{name}")


def _keys(entry: Any, allowed: set[str], required: set[str], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: must be a mapping.")
    extra = sorted(set(entry) - allowed)
    if extra:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(extra)}.")
    for key in sorted(required):
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise CatalogueError(f"{where}: {key} is required.")
    return entry


def _url(value: Any, where: str, *, required: bool) -> str:
    url = str(value or "").strip()
    if not url:
        if required:
            raise CatalogueError(f"{where}: url is required.")
        return ""
    if not url.startswith(("https://", "http://")):
        raise CatalogueError(f"{where}: url must be a web address (http or https).")
    return url


def _words(value: Any) -> str:
    return " ".join(str(value or "").split())


# --- organisations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportOrganisation:
    name: str
    role: str  # member | associate
    url: str
    note: str


@cache
def support_organisations() -> tuple[str, tuple[SupportOrganisation, ...]]:
    """(source statement, organisations) of ``data/organisations.yaml``."""
    raw = _keys(_load("organisations.yaml"), {"source", "organisations"}, {"source"}, "orgs")
    out = []
    for i, entry in enumerate(raw.get("organisations") or [], start=1):
        where = f"organisations.yaml: organisation #{i}"
        _keys(entry, {"name", "role", "url", "note"}, {"name", "role", "url"}, where)
        if entry["role"] not in ("member", "associate"):
            raise CatalogueError(f"{where}: role must be member or associate.")
        out.append(
            SupportOrganisation(
                name=_words(entry["name"]),
                role=str(entry["role"]),
                url=_url(entry["url"], where, required=True),
                note=_words(entry.get("note")),
            )
        )
    return _words(raw["source"]), tuple(out)


# --- conclusions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConclusionsLink:
    number: int
    title: str
    url: str
    source: str


@dataclass(frozen=True)
class ConclusionsData:
    network: str  # slug of the network whose meetings these are
    listing_url: str
    listing_title: str
    links: dict[int, ConclusionsLink]


@cache
def conclusions_links() -> ConclusionsData:
    raw = _keys(
        _load("conclusions.yaml"),
        {"network", "listing_url", "listing_title", "meetings"},
        {"network", "listing_url", "listing_title"},
        "conclusions.yaml",
    )
    links: dict[int, ConclusionsLink] = {}
    for i, entry in enumerate(raw.get("meetings") or [], start=1):
        where = f"conclusions.yaml: meeting #{i}"
        _keys(
            entry, {"number", "title", "url", "source"}, {"number", "title", "url", "source"}, where
        )
        number = int(entry["number"])
        if number in links:
            raise CatalogueError(f"{where}: meeting {number} is listed twice.")
        links[number] = ConclusionsLink(
            number,
            _words(entry["title"]),
            _url(entry["url"], where, required=True),
            _words(entry["source"]),
        )
    return ConclusionsData(
        str(raw["network"]),
        _url(raw["listing_url"], "conclusions.yaml", required=True),
        _words(raw["listing_title"]),
        links,
    )


# --- EU Day Against Impunity ------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLink:
    title: str
    url: str


@dataclass(frozen=True)
class EuDayEdition:
    edition: int
    date: dt.date
    presidency: str
    place: str
    theme: str
    text: str
    sources: tuple[SourceLink, ...]


def _source_links(value: Any, where: str) -> tuple[SourceLink, ...]:
    if not isinstance(value, list) or not value:
        raise CatalogueError(f"{where}: sources must list at least one source.")
    out = []
    for j, s in enumerate(value, start=1):
        swhere = f"{where}: source #{j}"
        _keys(s, {"title", "url"}, {"title", "url"}, swhere)
        out.append(SourceLink(_words(s["title"]), _url(s["url"], swhere, required=True)))
    return tuple(out)


@cache
def eu_day_editions() -> tuple[EuDayEdition, ...]:
    raw = _keys(_load("eu_day.yaml"), {"editions"}, set(), "eu_day.yaml")
    out = []
    for i, entry in enumerate(raw.get("editions") or [], start=1):
        where = f"eu_day.yaml: edition #{i}"
        _keys(
            entry,
            {"edition", "date", "presidency", "place", "theme", "text", "sources"},
            {"edition", "date", "text"},
            where,
        )
        try:
            day = dt.date.fromisoformat(str(entry["date"]))
        except ValueError:
            raise CatalogueError(f"{where}: date must be YYYY-MM-DD.") from None
        out.append(
            EuDayEdition(
                edition=int(entry["edition"]),
                date=day,
                presidency=_words(entry.get("presidency")),
                place=_words(entry.get("place")),
                theme=_words(entry.get("theme")),
                text=_words(entry["text"]),
                sources=_source_links(entry.get("sources"), where),
            )
        )
    return tuple(sorted(out, key=lambda e: e.date, reverse=True))


# --- publications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    id: str
    title: str
    kind: str
    publisher: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD as the source states it; "" when not stated
    language: str
    url: str
    identifiers: dict[str, str]
    topics: tuple[str, ...]
    description: str
    source: str

    @property
    def kind_label(self) -> str:
        return vocabulary("network", "document_kinds").label(self.kind)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


_PUBLICATION_KEYS = {
    "id",
    "title",
    "kind",
    "publisher",
    "date",
    "language",
    "url",
    "identifiers",
    "topics",
    "description",
    "source",
}


@cache
def publications() -> tuple[Publication, ...]:
    raw = _keys(_load("publications.yaml"), {"publications"}, set(), "publications.yaml")
    out: list[Publication] = []
    seen: set[str] = set()
    kinds = vocabulary("network", "document_kinds")
    for i, entry in enumerate(raw.get("publications") or [], start=1):
        where = f"publications.yaml: publication #{i}"
        _keys(entry, _PUBLICATION_KEYS, {"id", "title", "kind", "publisher", "source"}, where)
        pid = str(entry["id"])
        if pid in seen:
            raise CatalogueError(f"{where}: id {pid!r} is used twice.")
        seen.add(pid)
        if entry["kind"] not in kinds:
            raise CatalogueError(f"{where}: kind must be one of {', '.join(kinds.ids())}.")
        date = str(entry.get("date") or "")
        if date and not _PARTIAL_DATE.match(date):
            raise CatalogueError(f"{where}: date must be YYYY, YYYY-MM or YYYY-MM-DD.")
        identifiers = entry.get("identifiers") or {}
        if not isinstance(identifiers, dict):
            raise CatalogueError(f"{where}: identifiers must be a mapping.")
        out.append(
            Publication(
                id=pid,
                title=_words(entry["title"]),
                kind=str(entry["kind"]),
                publisher=_words(entry["publisher"]),
                date=date,
                language=str(entry.get("language") or ""),
                url=_url(entry.get("url"), where, required=False),
                identifiers={str(k): str(v) for k, v in identifiers.items()},
                topics=tuple(str(t) for t in entry.get("topics") or ()),
                description=_words(entry.get("description")),
                source=_words(entry["source"]),
            )
        )
    return tuple(sorted(out, key=lambda p: p.date or "0000", reverse=True))


def publications_filtered(*, kind: str = "", q: str = "") -> list[Publication]:
    """Publications of one kind and/or containing every word of ``q`` (title, description,
    topics). ``kind`` must be a document kind; the caller validates it."""
    words = [w.lower() for w in q.split()]
    out = []
    for p in publications():
        if kind and p.kind != kind:
            continue
        hay = " ".join([p.title, p.description, " ".join(p.topics), p.publisher]).lower()
        if all(w in hay for w in words):
            out.append(p)
    return out
