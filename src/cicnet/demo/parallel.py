"""The 40 ECtHR judgments in English, French and Spanish (``data/echr_en_fr_es_40.jsonl.gz``,
``data/ECHR-PARALLEL-NOTICE.md``) as demo ingestion records, each text's provenance labelled
exactly as the notice says: English original; French the Court's own for 7 documents and a
machine translation by the corpus authors for 33; Spanish a machine translation for all 40."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from cicnet.demo.records import DemoRecord
from cicnet.demo.tab import COURT, STATES, text_spec

CORPUS = "M. Sierro (2024), github mariasierro/automatic-anonymization-ECHR-French-Spanish (MIT)"
MACHINE_CREDIT = f"Machine translation made by the corpus authors: {CORPUS}"
COURTS_OWN_CREDIT = (
    "European Court of Human Rights: the Court's own French, recognised by its house style "
    f"({CORPUS})"
)
_AGAINST = re.compile(r"\bagainst (.{0,80}?) lodged", re.DOTALL)
_LEADING_NUMBER = re.compile(r"^\s*\d{1,4}\.\s+")


class ParallelError(ValueError):
    """A document of the parallel corpus that cannot be converted; names the document."""


@cache
def parallel_documents() -> tuple[dict[str, Any], ...]:
    data = resources.files("cicnet.demo").joinpath("data", "echr_en_fr_es_40.jsonl.gz")
    with gzip.open(data.open("rb"), "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    return tuple(sorted(docs, key=lambda d: str(d["id"])))


def respondent(doc: dict[str, Any]) -> tuple[str, str]:
    """(alpha-2, the Court's name) of the respondent State named in the first paragraphs."""
    m = _AGAINST.search(str(doc["en"])[:3000])
    named = m.group(1) if m else ""
    for code, name in sorted(STATES.values(), key=lambda s: -len(s[1])):
        if name.removeprefix("the ") in named:
            return code, name
    raise ParallelError(f"parallel document {doc.get('id')}: no respondent State in {named!r}")


def _blocks(doc: dict[str, Any], lang: str) -> list[str]:
    out = []
    for p in doc["paragraphs"]:
        body = " ".join(str(p[lang]).split())
        if lang != "en" and not _LEADING_NUMBER.match(p["en"]):
            body = _LEADING_NUMBER.sub("", body)
        out.append(body)
    return out


def parallel_record(doc: dict[str, Any], *, index: int) -> DemoRecord:
    doc_id = str(doc["id"])
    if not re.fullmatch(r"\d{3}-\d{1,7}", doc_id):
        raise ParallelError(f"parallel document {doc_id!r}: id is not a HUDOC item id")
    country, state = respondent(doc)
    texts = {lang: "\n\n".join(_blocks(doc, lang)) + "\n" for lang in ("en", "fr", "es")}
    official_fr = doc["source"].get("fr_translation") == "official-likely"
    applications = [str(a) for a in doc.get("application_numbers") or []]
    meta: dict[str, object] = {
        "uid": f"echr-{doc_id}",
        "title": f"ECtHR {doc_id} (application{'s' if len(applications) > 1 else ''} "
        f"{', '.join(applications)} against {state})",
        "country": country,
        "court": COURT,
        "city": "Strasbourg",
        "decision_date": "unknown",
        "case_number": ", ".join(applications),
        "instance": "other",
        "decision_type": "ecthr_judgment",
        "source_urls": [f"https://hudoc.echr.coe.int/eng?i={doc_id}"],
        "confidence": "medium",
        "access": "public",
        "state": "published",
        "texts": {
            "en": text_spec(texts["en"]),
            "fr": (
                {"provenance": "court", "unofficial": False, "translator": COURTS_OWN_CREDIT}
                if official_fr
                else {"provenance": "machine", "translator": MACHINE_CREDIT}
            ),
            "es": {"provenance": "machine", "translator": MACHINE_CREDIT},
        },
    }
    spec = meta["texts"]
    assert isinstance(spec, dict)
    for lang in ("fr", "es"):
        if "completeness" in spec["en"]:  # the translations hold what the English holds
            spec[lang]["completeness"] = spec["en"]["completeness"]
            spec[lang]["excerpt_contents"] = spec["en"]["excerpt_contents"]
    return DemoRecord(name=f"echr-{doc_id}", metadata=meta, texts=texts)


def parallel_records(limit: int | None = None) -> Iterator[DemoRecord]:
    docs = parallel_documents()
    for index, doc in enumerate(docs[:limit] if limit is not None else docs):
        yield parallel_record(doc, index=index)
