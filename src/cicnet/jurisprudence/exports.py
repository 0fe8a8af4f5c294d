"""Decisions as data: the JSON record of one decision and CSV / JSON Lines exports of many.

Shared by the API (/api/v1/decisions/{id}, /api/v1/search/export.*), the reader's "download as
JSON" link and the HTML search page's export links, so every channel serialises a decision the
same way. Nothing here decides access: callers pass decisions they obtained through the
selectors (``decisions_for`` / ``decision_get``) or the search service with the same ``actor``,
and this module re-reads decisions only through ``decisions_for(actor=)``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import StreamingHttpResponse

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision, Text
from cicnet.jurisprudence.selectors import decisions_for, proceedings_siblings
from cicnet.law.crimes import crime, rome_statute_articles
from cicnet.law.provisions import provision
from cicnet.search.services import search_decisions
from cicnet.search.types import SearchPage, SearchParams
from cicnet.vocabularies import vocabulary

# Columns of the CSV export, in order; the JSON Lines export has the same keys (lists as arrays).
EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "case_name",
    "also_known_as",
    "court_id",
    "court",
    "court_formation",
    "country",
    "decision_date",
    "case_number",
    "ecli",
    "instance",
    "decision_type",
    "outcome",
    "defendant",
    "situation",
    "crimes",
    "provisions",
    "terrorism_concurrent",
    "jurisdiction_basis",
    "sentence",
    "keywords",
    "summary",
    "languages",
    "source_urls",
    "citation",
    "url",
)
# How many hits the export asks the search service for at a time, and loads from the database.
EXPORT_BATCH = 100  # the search service pages at most 100 hits


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def partial_date(decision: Decision) -> str | None:
    """The date as precise as the source stated it, in the ingestion format: ``2022``,
    ``2022-01`` or ``2022-01-13`` (a year-only date is never written as 1 January)."""
    d = decision.decision_date
    if d is None:
        return None
    if decision.date_precision == "year":
        return f"{d.year:04d}"
    if decision.date_precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def decision_url(decision: Decision, *, base_url: str = "") -> str:
    return f"{base_url}/decisions/{decision.uid}/"


def decision_api_url(decision: Decision, *, base_url: str = "") -> str:
    return f"{base_url}/api/v1/decisions/{decision.uid}"


def decision_summary(decision: Decision, *, base_url: str = "") -> dict[str, Any]:
    """The listing record of a decision (``crimes`` should be prefetched)."""
    return {
        "id": decision.uid,
        "title": decision.title,
        "case_name": decision.case_name,
        "also_known_as": list(decision.also_known_as or []),
        "court_id": decision.court_id,
        "court": decision.court,
        "court_formation": decision.court_formation,
        "country": decision.country,
        "decision_date": _iso(decision.decision_date),
        "date_precision": decision.date_precision,
        "date_display": decision.date_display,
        "case_number": decision.case_number,
        "ecli": decision.ecli,
        "instance": decision.instance,
        "decision_type": decision.decision_type,
        "outcome": decision.outcome,
        "defendant": decision.defendant,
        "situation": decision.situation,
        "crimes": sorted(c.crime_id for c in decision.crimes.all()),
        "access": decision.access,
        "state": decision.state,
        "url": decision_url(decision, base_url=base_url),
        "api_url": decision_api_url(decision, base_url=base_url),
    }


def _crime_dict(crime_id: str, *, derived: bool) -> dict[str, Any]:
    entry = crime(crime_id)
    if entry is None:  # an id the vocabulary no longer has: show it rather than drop it
        return {
            "id": crime_id,
            "label": crime_id,
            "group": "other",
            "group_label": "Other offences",
            "article": "",
            "article_title": "",
            "elements": [],
            "derived": derived,
        }
    article = rome_statute_articles().get(entry.article) if entry.article else None
    return {
        "id": entry.id,
        "label": entry.label,
        "group": entry.group,
        "group_label": entry.group_label,
        "article": entry.article,
        "article_title": article.name if article else "",
        "elements": [e.text for e in entry.elements],
        "derived": derived,
    }


def _provision_dict(citation: str, key: str) -> dict[str, Any]:
    row = provision(key) if key else None
    return {
        "citation": citation,
        "national_provision": None
        if row is None
        else {
            "key": row.key,
            "country": row.country,
            "statute": row.statute_english,
            "provisions": row.provisions,
            "rome_statute_articles": list(row.rome_statute_articles),
        },
    }


def decision_as_dict(
    decision: Decision, *, actor: policy.Actor, base_url: str = ""
) -> dict[str, Any]:
    """The full JSON record of one decision as ``actor`` may see it (API detail and the reader's
    JSON download). Pass a decision from ``selectors.decision_get(actor=…)`` so that crimes,
    provisions, texts and paragraphs are prefetched; siblings in the same proceedings are
    filtered for ``actor``. ``base_url`` (e.g. ``https://cicnet.example``) makes links absolute.
    """

    def label(name: str, term_id: str) -> str:
        return vocabulary("jurisprudence", name).label(term_id)

    record = decision_summary(decision, base_url=base_url)
    page = record["url"]
    proceedings = None
    if decision.proceedings is not None:
        siblings = proceedings_siblings(actor=actor, decision=decision)
        proceedings = {
            "key": decision.proceedings.key,
            "title": decision.proceedings.title,
            "decisions": [
                {
                    "id": s.uid,
                    "title": s.title,
                    "court": s.court,
                    "decision_date": _iso(s.decision_date),
                    "instance": s.instance,
                    "url": decision_url(s, base_url=base_url),
                }
                for s in siblings
            ],
        }
    texts = []
    for text in decision.texts.all():
        paragraphs = [
            {
                "number": p.number,
                "anchor": f"{text.language}-p{p.number}",
                "text": p.body,
                "url": f"{page}#{text.language}-p{p.number}",
            }
            for p in text.paragraphs.all()
        ]
        texts.append(
            {
                "language": text.language,
                "is_original": text.is_original,
                "provenance": text.provenance,
                "translator": text.translator,
                "translated_on": _iso(text.translated_on),
                "unofficial": bool(text.unofficial and not text.is_original),
                "completeness": text.completeness,
                "excerpt_contents": text.excerpt_contents,
                "source_filename": text.source_filename,
                "numbering": text.numbering,
                "paragraphs": paragraphs,
            }
        )
    record.update(
        {
            "citation": decision.citation,
            "court_original": decision.court_original,
            "city": decision.city,
            "instance_label": label("instances", decision.instance),
            "decision_type_label": label("decision_types", decision.decision_type),
            "outcome_label": label("outcomes", decision.outcome),
            "jurisdiction_basis": decision.jurisdiction_basis,
            "jurisdiction_basis_label": label("jurisdiction_bases", decision.jurisdiction_basis),
            "terrorism_concurrent": decision.terrorism_concurrent,
            "sentence": decision.sentence,
            "keywords": list(decision.keywords or []),
            "summary": decision.summary,
            "source_urls": list(decision.source_urls or []),
            "is_demo": decision.is_demo,
            "published_at": _iso(decision.published_at),
            "updated_at": _iso(decision.updated_at),
            "version": decision.version,
            "crimes": [
                _crime_dict(c.crime_id, derived=c.derived)
                for c in sorted(decision.crimes.all(), key=lambda c: c.crime_id)
            ],
            "provisions": [
                _provision_dict(p.citation, p.national_provision_key)
                for p in decision.provisions.all()
            ],
            "proceedings": proceedings,
            "texts": texts,
        }
    )
    return record


# --- exports of many decisions ---------------------------------------------------------------


def export_record(decision: Decision, *, base_url: str = "") -> dict[str, Any]:
    """One row of an export (crimes, provisions and texts should be prefetched)."""
    return {
        "id": decision.uid,
        "title": decision.title,
        "case_name": decision.case_name,
        "also_known_as": list(decision.also_known_as or []),
        "court_id": decision.court_id,
        "court": decision.court,
        "court_formation": decision.court_formation,
        "country": decision.country,
        "decision_date": partial_date(decision),
        "case_number": decision.case_number,
        "ecli": decision.ecli,
        "instance": decision.instance,
        "decision_type": decision.decision_type,
        "outcome": decision.outcome,
        "defendant": decision.defendant,
        "situation": decision.situation,
        "crimes": sorted(c.crime_id for c in decision.crimes.all()),
        "provisions": [p.citation for p in decision.provisions.all()],
        "terrorism_concurrent": decision.terrorism_concurrent,
        "jurisdiction_basis": decision.jurisdiction_basis,
        "sentence": decision.sentence,
        "keywords": list(decision.keywords or []),
        "summary": decision.summary,
        "languages": [t.language for t in decision.texts.all()],
        "source_urls": list(decision.source_urls or []),
        "citation": decision.citation,
        "url": decision_url(decision, base_url=base_url),
    }


def _export_queryset(*, actor: policy.Actor) -> Any:
    return decisions_for(actor=actor).prefetch_related(
        "crimes",
        "provisions",
        Prefetch("texts", queryset=Text.objects.only("id", "decision_id", "language")),
    )


def decisions_by_uid(*, actor: policy.Actor, uids: list[str]) -> list[Decision]:
    """The decisions with these uids that ``actor`` may see, in the order given (a uid the
    search index still has but the database no longer shows to ``actor`` is dropped)."""
    found = {d.uid: d for d in _export_queryset(actor=actor).filter(uid__in=uids)}
    return [found[u] for u in uids if u in found]


def export_max_rows(*, actor: policy.Actor) -> int:
    """How many rows one export gives ``actor``: fewer for anonymous callers, whose exports
    cost the server as much as a member's (docs/api.md)."""
    if actor.is_anonymous:
        return int(settings.CICNET_EXPORT_MAX_ROWS_ANONYMOUS)
    return int(settings.CICNET_EXPORT_MAX_ROWS)


def search_export_decisions(
    *,
    actor: policy.Actor,
    params: SearchParams,
    first_page: SearchPage | None = None,
    max_rows: int | None = None,
) -> Iterator[Decision]:
    """Every decision of a search result set that ``actor`` may see, in result order, up to
    ``max_rows`` (default ``settings.CICNET_EXPORT_MAX_ROWS``).

    Walks the search service page by page (``EXPORT_BATCH`` hits each, no facets). Pass the
    ``first_page`` already fetched (with ``page=1, page_size=EXPORT_BATCH``) to validate the
    query before a streamed response starts: a ``QueryError`` raised later could no longer
    become a 400.
    """
    limit = settings.CICNET_EXPORT_MAX_ROWS if max_rows is None else max_rows
    base = replace(params, page=1, page_size=EXPORT_BATCH, with_facets=False)
    page = first_page if first_page is not None else search_decisions(actor=actor, params=base)
    sent = 0
    number = 1
    while page.hits and sent < limit:
        uids = [h.uid for h in page.hits][: limit - sent]
        yield from decisions_by_uid(actor=actor, uids=uids)
        sent += len(uids)
        if number * EXPORT_BATCH >= page.count:
            break
        number += 1
        page = search_decisions(actor=actor, params=replace(base, page=number))


def first_export_page(*, actor: policy.Actor, params: SearchParams) -> SearchPage:
    """Run the first export batch eagerly (raises ``QueryError`` for a malformed query)."""
    return search_decisions(
        actor=actor, params=replace(params, page=1, page_size=EXPORT_BATCH, with_facets=False)
    )


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    # A cell that a spreadsheet would run as a formula is quoted (CSV injection).
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A header line, then one CSV line per record (``EXPORT_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(row: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()

    yield line(list(EXPORT_COLUMNS))
    for record in records:
        yield line([_csv_cell(record.get(c)) for c in EXPORT_COLUMNS])


def jsonl_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line (UTF-8, not ASCII-escaped)."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "jsonl": ("application/x-ndjson; charset=utf-8", jsonl_lines),
}


class _ClosingIterator:
    """``lines`` that calls ``on_close`` when the response is closed: after the last line, when
    the client goes away mid-stream, and also when streaming never started (a generator's
    ``finally`` would not run then). Django closes the streamed iterable with the response."""

    def __init__(self, lines: Iterator[str], on_close: Callable[[], None]) -> None:
        self._lines = lines
        self._on_close = on_close

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            return next(self._lines)
        except StopIteration:
            # Free the slot as soon as the last line is out, before the server ends the response:
            # a client that reads an export to its end and at once starts the next one would
            # otherwise race the server's close() and be refused. (Releasing twice is harmless.)
            self._on_close()
            raise

    def close(self) -> None:
        try:
            close = getattr(self._lines, "close", None)
            if close is not None:
                close()
        finally:
            self._on_close()


def export_response(
    decisions: Iterable[Decision],
    *,
    fmt: str,
    filename: str,
    base_url: str = "",
    on_close: Callable[[], None] | None = None,
) -> StreamingHttpResponse:
    """A streamed download of ``decisions`` as ``fmt`` ('csv' or 'jsonl'); ``on_close`` runs
    when the response is closed (it frees the export slot)."""
    content_type, writer = EXPORT_FORMATS[fmt]
    records = (export_record(d, base_url=base_url) for d in decisions)
    lines = writer(records)
    streamed = lines if on_close is None else _ClosingIterator(lines, on_close)
    response = StreamingHttpResponse(streamed, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
