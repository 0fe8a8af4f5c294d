"""The Dutch judiciary's open data (rechtspraak.nl): one decision per ECLI.

Protocol (Open Data van de Rechtspraak, IVO Rechtspraak): ``GET {base}/uitspraken/content?id=
<ECLI>`` answers an ``<open-rechtspraak>`` document: an RDF block (``dcterms:identifier`` the
ECLI, ``dcterms:creator`` the court, ``dcterms:date`` the decision date, ``psi:zaaknummer`` the
case numbers, ``psi:procedure`` the procedure, ``dcterms:subject`` the area of law,
``dcterms:references`` the statutes cited, ``dcterms:spatial`` the seat), then
``<inhoudsindicatie>`` (the court's summary) and ``<uitspraak>`` (or ``<conclusie>`` for an
Advocate General's opinion) with the text as ``para``/``title``/``nr`` blocks. The base URL is
``CICNET_IMPORT_RECHTSPRAAK_URL`` (default ``https://data.rechtspraak.nl``); nothing else is
contacted. With ``folder=``, ``<ECLI with ':' as '.'>.xml`` files of a bulk download are read
instead.

Dutch courts publish the court's own English translation of many war-crimes judgments under a
separate ECLI. ``ECLI+ECLI`` imports both as one decision: the Dutch text is the original, the
English the court's own translation (provenance ``court``, not unofficial) with its own ECLI
kept on the text. The two must come from the same court and share a case number, or nothing is
written.

The courts' own pseudonyms (``[verdachte]``, ``[slachtoffer 1]``) stay as published; the
anonymiser treats them as already masked (``anonymisation/detect.py``).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from cicnet.importers.base import Imported, ImportedText, Importer, ImportError_, Request
from cicnet.jurisprudence.courts import UnknownCourt, resolve_court
from cicnet.law.ecli import EcliError, clean_ecli

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcterms": "http://purl.org/dc/terms/",
    "psi": "http://psi.rechtspraak.nl/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
DEEPLINK = "https://uitspraken.rechtspraak.nl/details?id={ecli}"
# psi:procedure resource fragments -> cicnet instance (vocab/instances.yaml)
_INSTANCE_BY_PROCEDURE = (
    ("cassatie", "cassation"),
    ("hogerberoep", "appeal"),
    ("eersteaanleg", "first_instance"),
)
_INSTANCE_BY_LEVEL = {
    "first_instance": "first_instance",
    "appeal": "appeal",
    "supreme": "cassation",
}
_BLOCKS = {"para", "title", "bridgehead"}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _inline(element: Element) -> str:
    """The text of a block, numbers (``<nr>``) followed by a space, line breaks as spaces."""
    parts = [element.text or ""]
    for child in element:
        if _local(child.tag) == "nr":
            parts.append(f" {''.join(child.itertext()).strip()} ")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def paragraphs_of(element: Element) -> list[str]:
    """The blocks of an ``<uitspraak>``: one paragraph per ``para``/``title``, a table row as
    one paragraph (cells joined by ' | '), a ``paragroup``'s number before its first block."""
    out: list[str] = []
    pending = ""

    def walk(node: Element) -> None:
        nonlocal pending
        for child in node:
            tag = _local(child.tag)
            if tag == "nr" and _local(node.tag) != "title":
                pending = "".join(child.itertext()).strip()
            elif tag in _BLOCKS:
                text = _inline(child)
                if text:
                    out.append(f"{pending} {text}" if pending else text)
                    pending = ""
            elif tag == "row":
                cells = [_inline(c) for c in child if _local(c.tag) == "entry"]
                row = " | ".join(c for c in cells if c)
                if row:
                    out.append(row)
            else:
                walk(child)

    walk(element)
    return out


@dataclass(frozen=True)
class Parsed:
    """What one open-data document says."""

    ecli: str
    language: str
    court: str
    date: str
    case_numbers: tuple[str, ...]
    procedures: tuple[str, ...]
    subjects: tuple[str, ...]
    references: tuple[str, ...]
    city: str
    summary: str
    paragraphs: list[str]


def parse(data: bytes, *, what: str) -> Parsed:
    """Parse an ``<open-rechtspraak>`` document; ``ImportError_`` naming ``what`` when it is not
    one or lacks the ECLI, the court, the date or the text."""
    # Line breaks are processing instructions, which the parser drops: keep them as spaces.
    data = data.replace(b"<?linebreak?>", b" ")
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise ImportError_(
            f"{what}: the answer is not readable XML ({exc}); check the source URL",
            field="identifiers",
        ) from exc
    if _local(root.tag) != "open-rechtspraak":
        raise ImportError_(
            f"{what}: the answer is <{_local(root.tag)}>, not a rechtspraak.nl open-data "
            "document (<open-rechtspraak>); check CICNET_IMPORT_RECHTSPRAAK_URL",
            field="identifiers",
        )
    description = root.find("rdf:RDF/rdf:Description", NS)
    if description is None:
        raise ImportError_(f"{what}: the document has no RDF metadata", field="identifiers")

    def one(path: str) -> str:
        found = description.find(path, NS)
        return " ".join("".join(found.itertext()).split()) if found is not None else ""

    def every(path: str) -> tuple[str, ...]:
        return tuple(" ".join("".join(e.itertext()).split()) for e in description.findall(path, NS))

    procedures = tuple(
        (e.get("resourceIdentifier") or "").rpartition("#")[2]
        for e in description.findall("psi:procedure", NS)
    )
    body = next((e for e in root if _local(e.tag) in ("uitspraak", "conclusie")), None)
    summary = next((e for e in root if _local(e.tag) == "inhoudsindicatie"), None)
    parsed = Parsed(
        ecli=one("dcterms:identifier"),
        language=(body.get("lang") if body is not None else None) or one("dcterms:language"),
        court=one("dcterms:creator"),
        date=one("dcterms:date"),
        case_numbers=tuple(
            n.strip() for z in every("psi:zaaknummer") for n in z.split(",") if n.strip()
        ),
        procedures=procedures,
        subjects=every("dcterms:subject"),
        references=every("dcterms:references"),
        city=one("dcterms:spatial"),
        summary=" ".join(paragraphs_of(summary)) if summary is not None else "",
        paragraphs=paragraphs_of(body) if body is not None else [],
    )
    for name, value in (("ECLI", parsed.ecli), ("court", parsed.court), ("date", parsed.date)):
        if not value:
            raise ImportError_(f"{what}: the document names no {name}", field="identifiers")
    if not parsed.paragraphs:
        raise ImportError_(
            f"{what}: the document has no text (<uitspraak>); rechtspraak.nl publishes some "
            "decisions as metadata only: nothing to import",
            field="identifiers",
        )
    return parsed


def _ecli(raw: str) -> str:
    try:
        ecli = clean_ecli(raw)
    except EcliError as exc:
        raise ImportError_(f"identifier {raw!r}: {exc}", field="identifiers") from exc
    if not ecli:
        raise ImportError_("identifier: empty; give an ECLI", field="identifiers")
    if not ecli.startswith("ECLI:NL:"):
        raise ImportError_(
            f"identifier {ecli}: rechtspraak.nl publishes Dutch decisions only (ECLI:NL:…)",
            field="identifiers",
        )
    return ecli


def _instance(parsed: Parsed, level: str) -> str:
    for procedure in parsed.procedures:
        for prefix, instance in _INSTANCE_BY_PROCEDURE:
            if procedure.lower().startswith(prefix):
                return instance
    return _INSTANCE_BY_LEVEL.get(level, "other")


# Parameters of the zoeken endpoint (Open Data van de Rechtspraak, the ECLI index).
SEARCH_PARAMETERS = frozenset(
    {"type", "date", "modified", "creator", "subject", "replaces", "return", "max", "from", "sort"}
)
ATOM = "{http://www.w3.org/2005/Atom}"


def search_query(raw: str) -> list[tuple[str, str]]:
    """A zoeken query string (``creator=…&date=2021-01-01&date=2021-12-31&max=100``) checked
    against the endpoint's parameters; ``ImportError_`` naming an unknown one."""
    pairs = urllib.parse.parse_qsl(raw, keep_blank_values=False, strict_parsing=False)
    if not pairs:
        raise ImportError_(
            "search: empty; give zoeken parameters such as type=Uitspraak&date=2021-01-01",
            field="search",
        )
    unknown = sorted({k for k, _ in pairs} - SEARCH_PARAMETERS)
    if unknown:
        raise ImportError_(
            f"search: unknown parameter {', '.join(unknown)}; "
            f"use {', '.join(sorted(SEARCH_PARAMETERS))}",
            field="search",
        )
    return pairs


def eclis_of_feed(data: bytes) -> list[str]:
    """The ECLIs of a zoeken answer (an Atom feed, one ``<entry><id>ECLI…</id>`` per decision)."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise ImportError_(
            f"search: the answer is not readable XML ({exc})", field="search"
        ) from exc
    if root.tag != f"{ATOM}feed":
        raise ImportError_(
            f"search: the answer is <{_local(root.tag)}>, not an Atom feed; check "
            "CICNET_IMPORT_RECHTSPRAAK_URL",
            field="search",
        )
    found = [(entry.findtext(f"{ATOM}id") or "").strip() for entry in root.iter(f"{ATOM}entry")]
    return [e for e in found if e.startswith("ECLI:NL:")]


def _human_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"


class Rechtspraak(Importer):
    """rechtspraak.nl open data (see module docstring)."""

    name = "rechtspraak"
    label = "rechtspraak.nl open data"
    identifier_help = (
        "an ECLI (ECLI:NL:RBDHA:2019:7430), or the original's ECLI + the ECLI of the court's own "
        "translation (ECLI:NL:RBDHA:2019:7430+ECLI:NL:RBDHA:2019:10647)"
    )
    base_url_setting = "CICNET_IMPORT_RECHTSPRAAK_URL"

    def parse_request(self, raw: str) -> Request:
        parts = [p.strip() for p in raw.split("+")]
        eclis = [_ecli(p) for p in parts]
        if len(set(eclis)) != len(eclis):
            raise ImportError_(f"identifier {raw!r}: names one ECLI twice", field="identifiers")
        return Request(eclis[0], tuple(eclis[1:]))

    def search(self, raw: str) -> list[str]:
        """The ECLIs the zoeken endpoint lists for a query (``search_query``)."""
        return eclis_of_feed(self.fetch("/uitspraken/zoeken", search_query(raw), what="search"))

    def _document(self, ecli: str) -> bytes:
        if self.folder is not None:
            path = self.folder / f"{ecli.replace(':', '.')}.xml"
            if not path.is_file() or path.is_symlink():
                raise ImportError_(
                    f"{ecli}: no regular file {path.name} in {self.folder}", field="identifiers"
                )
            return path.read_bytes()
        return self.fetch("/uitspraken/content", {"id": ecli}, what=ecli)

    def _parsed(self, ecli: str) -> Parsed:
        parsed = parse(self._document(ecli), what=ecli)
        if parsed.ecli.upper() != ecli:
            raise ImportError_(
                f"{ecli}: the source answered with the document of {parsed.ecli}; check the "
                "source URL",
                field="identifiers",
            )
        return parsed

    def load(self, request: Request) -> Imported:
        original = self._parsed(request.identifier)
        versions = [self._parsed(e) for e in request.translations]
        try:
            court = resolve_court(original.court)
        except UnknownCourt as exc:
            raise ImportError_(
                f"{original.ecli}: court {original.court!r} is not in the court vocabulary "
                "(src/cicnet/jurisprudence/vocab/courts.yaml); add it with its source",
                field="identifiers",
            ) from exc
        languages = {original.language}
        for version in versions:
            if version.court != original.court:
                raise ImportError_(
                    f"{version.ecli}: published by {version.court}, not by {original.court} "
                    f"like {original.ecli}; a court's own translation comes from the same court",
                    field="identifiers",
                )
            if not set(version.case_numbers) & set(original.case_numbers):
                raise ImportError_(
                    f"{version.ecli}: case number {', '.join(version.case_numbers) or 'none'} is "
                    f"not that of {original.ecli} ({', '.join(original.case_numbers)}); it is not "
                    "a translation of that decision",
                    field="identifiers",
                )
            if version.language in languages:
                raise ImportError_(
                    f"{version.ecli}: is in '{version.language}' like {original.ecli}; a "
                    "language version must be in another language",
                    field="identifiers",
                )
            languages.add(version.language)
        entry = court.court
        uid = original.ecli.lower().replace(":", "-").replace(".", "-")
        english = next((v for v in versions if v.language == "en"), None)
        metadata: dict[str, Any] = {
            "uid": uid,
            "title": f"{entry.label}, {_human_date(original.date)} ({original.ecli})",
            "country": "NL",
            "court": entry.id,
            "city": original.city,
            "decision_date": original.date,
            "case_number": "; ".join(original.case_numbers),
            "ecli": original.ecli,
            "instance": _instance(original, entry.level),
            "decision_type": "judgment",
            "keywords": [k.strip() for s in original.subjects for k in s.split(";") if k.strip()],
            "provisions": list(dict.fromkeys(original.references)),
            "source_urls": [
                DEEPLINK.format(ecli=e) for e in (original.ecli, *request.translations)
            ],
            "confidence": "high",
            "texts": {
                original.language: {"original": True},
                **{
                    v.language: {
                        "provenance": "court",
                        "unofficial": False,
                        "translator": original.court,
                        "ecli": v.ecli,
                    }
                    for v in versions
                },
            },
        }
        if english is not None and english.summary:
            metadata["summary"] = f"The court's summary (rechtspraak.nl): {english.summary}"
        texts = [
            ImportedText(
                original.language,
                original.paragraphs,
                original.ecli,
                DEEPLINK.format(ecli=original.ecli),
                is_original=True,
            ),
            *(
                ImportedText(
                    v.language,
                    v.paragraphs,
                    v.ecli,
                    DEEPLINK.format(ecli=v.ecli),
                    is_original=False,
                    translator=original.court,
                )
                for v in versions
            ),
        ]
        return Imported(uid=uid, metadata=metadata, texts=texts)
