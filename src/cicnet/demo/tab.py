"""Convert the 113 ECtHR judgments of the Text Anonymization Benchmark into ingestion format.

``data/tab_{train,dev}.json`` (see ``data/TAB-NOTICE.md``): each document has ``doc_id`` (the
HUDOC item id), ``text`` (the English judgment) and ``meta`` {year, articles, countries
(respondent State, ISO 3166-1 alpha-3), applicant}. They become decisions of the European Court
of Human Rights with an English text; roughly one in four is put in the network tier, chosen
deterministically, so the access tiers can be seen in the demo.

The texts are excerpts: every one holds the judgment's PROCEDURE and THE FACTS parts and none
its THE LAW part or operative provisions (``text_parts`` reads the headings), so they are
ingested as ``completeness: excerpt``. They are real judgments, not demo content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from cicnet.demo.records import DemoRecord

COURT = "European Court of Human Rights"

# Member States of the Council of Europe (and Russia, a party until 2022): alpha-3 → (alpha-2,
# the name the Court uses in case titles).
STATES: dict[str, tuple[str, str]] = {
    "ALB": ("AL", "Albania"),
    "AND": ("AD", "Andorra"),
    "ARM": ("AM", "Armenia"),
    "AUT": ("AT", "Austria"),
    "AZE": ("AZ", "Azerbaijan"),
    "BEL": ("BE", "Belgium"),
    "BIH": ("BA", "Bosnia and Herzegovina"),
    "BGR": ("BG", "Bulgaria"),
    "HRV": ("HR", "Croatia"),
    "CYP": ("CY", "Cyprus"),
    "CZE": ("CZ", "the Czech Republic"),
    "DNK": ("DK", "Denmark"),
    "EST": ("EE", "Estonia"),
    "FIN": ("FI", "Finland"),
    "FRA": ("FR", "France"),
    "GEO": ("GE", "Georgia"),
    "DEU": ("DE", "Germany"),
    "GRC": ("GR", "Greece"),
    "HUN": ("HU", "Hungary"),
    "ISL": ("IS", "Iceland"),
    "IRL": ("IE", "Ireland"),
    "ITA": ("IT", "Italy"),
    "LVA": ("LV", "Latvia"),
    "LIE": ("LI", "Liechtenstein"),
    "LTU": ("LT", "Lithuania"),
    "LUX": ("LU", "Luxembourg"),
    "MLT": ("MT", "Malta"),
    "MDA": ("MD", "the Republic of Moldova"),
    "MCO": ("MC", "Monaco"),
    "MNE": ("ME", "Montenegro"),
    "NLD": ("NL", "the Netherlands"),
    "MKD": ("MK", "North Macedonia"),
    "NOR": ("NO", "Norway"),
    "POL": ("PL", "Poland"),
    "PRT": ("PT", "Portugal"),
    "ROU": ("RO", "Romania"),
    "RUS": ("RU", "Russia"),
    "SMR": ("SM", "San Marino"),
    "SRB": ("RS", "Serbia"),
    "SVK": ("SK", "Slovakia"),
    "SVN": ("SI", "Slovenia"),
    "ESP": ("ES", "Spain"),
    "SWE": ("SE", "Sweden"),
    "CHE": ("CH", "Switzerland"),
    "TUR": ("TR", "Turkey"),
    "UKR": ("UA", "Ukraine"),
    "GBR": ("GB", "the United Kingdom"),
}
# The Convention has 59 articles; TAB's ``meta.articles`` also carries numbers beyond that
# (91, 93, 112), which cannot be Convention articles and are left out of the keywords.
CONVENTION_ARTICLES = range(1, 60)
_APPLICATION_NO = re.compile(r"\bapplications?\s*\(?\s*nos?\.\s*(\d{1,6}/\d{2})")
NETWORK_EVERY = 4  # every fourth judgment (in doc_id order) goes to the network tier
# The parts of a Strasbourg judgment, in order, by the heading that opens each on its own line,
# with the words used in an excerpt's label.
JUDGMENT_PARTS: tuple[tuple[str, str], ...] = (
    ("PROCEDURE", "procedure"),
    ("THE FACTS", "facts"),
    ("THE LAW", "the law"),
    ("FOR THESE REASONS, THE COURT", "operative provisions"),
)


class TabError(ValueError):
    """A TAB document that cannot be converted; the message names the document and the key."""


@cache
def tab_documents() -> tuple[dict[str, Any], ...]:
    """The train and dev documents, sorted by doc_id so every derived choice is stable."""
    docs: list[dict[str, Any]] = []
    for name in ("tab_train.json", "tab_dev.json"):
        text = resources.files("cicnet.demo").joinpath("data", name).read_text("utf-8")
        docs.extend(json.loads(text))
    return tuple(sorted(docs, key=lambda d: str(d["doc_id"])))


def respondent_state(doc: dict[str, Any]) -> tuple[str, str]:
    """(alpha-2 code, name) of the respondent State from ``meta.countries``."""
    countries = doc["meta"].get("countries")
    code = countries[0] if isinstance(countries, list) and countries else countries
    if not isinstance(code, str) or code.upper() not in STATES:
        raise TabError(
            f"TAB document {doc.get('doc_id')}: meta.countries {countries!r} is not a "
            "Council of Europe State's ISO 3166-1 alpha-3 code"
        )
    return STATES[code.upper()]


def case_name(doc: dict[str, Any]) -> str:
    """'Surname v. State', the way the Court names its cases, from meta.applicant."""
    applicant = str(doc["meta"].get("applicant") or "").strip()
    _, state = respondent_state(doc)
    surname = applicant.split()[-1] if applicant else "Applicant"
    return f"{surname} v. {state}"


def keywords_for(doc: dict[str, Any]) -> list[str]:
    articles = [a for a in doc["meta"].get("articles") or [] if isinstance(a, int)]
    return [f"ECHR art. {a}" for a in sorted(set(articles)) if a in CONVENTION_ARTICLES]


def text_parts(text: str) -> list[str]:
    """The parts of the judgment ``text`` holds, as the headings of ``JUDGMENT_PARTS`` found
    at the start of a line (upper case, as the Court prints them)."""
    lines = {line.strip().rstrip(":") for line in text.splitlines()}
    found = []
    for heading, _ in JUDGMENT_PARTS:
        if any(line == heading or line.startswith(heading) for line in lines):
            found.append(heading)
    return found


def text_spec(text: str) -> dict[str, object]:
    """The ``texts.en`` ingestion entry: an excerpt naming its parts unless every part is there."""
    spec: dict[str, object] = {"original": True, "provenance": "original"}
    parts = text_parts(text)
    if len(parts) < len(JUDGMENT_PARTS):
        words = [label for heading, label in JUDGMENT_PARTS if heading in parts]
        spec["completeness"] = "excerpt"
        spec["excerpt_contents"] = (" and ".join(words) or "part of the judgment").capitalize()
    return spec


def access_for(index: int) -> str:
    """Deterministic tier by position in doc_id order: every fourth is network-only."""
    return "network" if index % NETWORK_EVERY == NETWORK_EVERY - 1 else "public"


def doc_to_record(doc: dict[str, Any], *, index: int, with_text: bool = True) -> DemoRecord:
    """Convert one TAB document (at ``index`` in doc_id order) into an ingestion record."""
    doc_id = str(doc.get("doc_id") or "")
    if not re.fullmatch(r"\d{3}-\d{1,7}", doc_id):
        raise TabError(f"TAB document {doc_id!r}: doc_id is not a HUDOC item id like 001-91094")
    year = doc["meta"].get("year")
    if not isinstance(year, int) or not 1959 <= year <= 2100:
        raise TabError(f"TAB document {doc_id}: meta.year {year!r} is not a year")
    country, _ = respondent_state(doc)
    text = str(doc.get("text") or "")
    application = _APPLICATION_NO.search(text)
    meta: dict[str, object] = {
        "uid": f"echr-{doc_id}",
        "title": f"ECtHR {doc_id} ({case_name(doc)})",
        "country": country,
        "court": COURT,
        "city": "Strasbourg",
        "case_name": case_name(doc),
        "decision_date": str(year),
        "case_number": application.group(1) if application else "",
        "instance": "other",
        "decision_type": "ecthr_judgment",
        "keywords": keywords_for(doc),
        "source_urls": [f"https://hudoc.echr.coe.int/eng?i={doc_id}"],
        "confidence": "medium",
        "access": access_for(index),
        "state": "published",
    }
    texts = {"en": text} if with_text and text.strip() else {}
    if texts:
        # Declared only with its file: without it ingestion refuses the record (--skip-texts).
        meta["texts"] = {"en": text_spec(text)}
    return DemoRecord(name=f"echr-{doc_id}", metadata=meta, texts=texts)


def tab_records(limit: int | None = None, *, with_text: bool = True) -> Iterator[DemoRecord]:
    """The TAB judgments as ingestion records (the first ``limit`` in doc_id order)."""
    docs = tab_documents()
    for index, doc in enumerate(docs[:limit] if limit is not None else docs):
        yield doc_to_record(doc, index=index, with_text=with_text)
