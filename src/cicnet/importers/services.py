"""Importing decisions from a court database: fetch, write as an ingestion folder, ingest.

``import_decisions`` is the one entry point (the ``import`` command and the curators' page call
it). Every identifier is parsed before anything is fetched, so a typo stops the run before it
starts. Each decision is then fetched whole (the original and the court's translations) before
anything is written; the files go to a private temporary folder as ``NAME.yaml`` and
``NAME.<lang>.txt`` and through the ordinary pipeline (``pipeline.runner.ingest_sources``), which
writes each decision in its own transaction: a decision is imported whole or not at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from cicnet.access import policy
from cicnet.errors import ActionDenied, UserInputError
from cicnet.importers.base import Imported, Importer, ImportError_, Request
from cicnet.importers.existing import catalogued, onto_existing
from cicnet.importers.models import ImportRun
from cicnet.importers.rechtspraak import Rechtspraak
from cicnet.pipeline.runner import DocumentResult, Source, ingest_sources

# One module per source; the next ones (German federal courts, HUDOC) are added here.
SOURCES: dict[str, type[Importer]] = {Rechtspraak.name: Rechtspraak}
MAX_IDENTIFIERS = 50


@dataclass(frozen=True)
class Outcome:
    identifier: str
    uid: str
    outcome: str
    messages: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "uid": self.uid,
            "outcome": self.outcome,
            "messages": list(self.messages),
        }


def importer_for(source: str, *, folder: Path | None = None) -> Importer:
    if source not in SOURCES:
        raise ImportError_(
            f"source: unknown source {source!r}; use one of: {', '.join(sorted(SOURCES))}",
            field="source",
        )
    return SOURCES[source](folder=folder)


def parse_identifiers(importer: Importer, raw: list[str]) -> list[Request]:
    """Every identifier parsed, or one ``ImportError_`` naming the first bad one."""
    items = [r.strip() for r in raw if r.strip()]
    if not items:
        raise ImportError_(
            f"identifiers: none given; give {importer.identifier_help}", field="identifiers"
        )
    if len(items) > MAX_IDENTIFIERS:
        raise ImportError_(
            f"identifiers: {len(items)} given; import at most {MAX_IDENTIFIERS} at a time",
            field="identifiers",
        )
    return [importer.parse_request(item) for item in items]


def _write(imported: Imported, folder: Path) -> Source:
    """``NAME.yaml`` and ``NAME.<lang>.txt`` (paragraphs separated by blank lines)."""
    folder = folder.resolve()  # ingestion reads only files inside the folder it is given
    stem = imported.uid
    meta = folder / f"{stem}.yaml"
    meta.write_text(yaml.safe_dump(imported.metadata, allow_unicode=True, sort_keys=False), "utf-8")
    texts = []
    for text in imported.texts:
        path = folder / f"{stem}.{text.language}.txt"
        path.write_text("\n\n".join(text.paragraphs) + "\n", "utf-8")
        texts.append(path)
    return Source(meta, tuple(texts), folder)


def _one(importer: Importer, request: Request, folder: Path) -> Outcome:
    try:
        imported = importer.load(request)
    except UserInputError as exc:
        return Outcome(request.label, "", "failed", (exc.message,))
    existing = catalogued([request.identifier, *request.translations])
    # a decision an earlier import made is re-imported as itself (unchanged when nothing moved)
    if existing is not None and existing.uid != imported.uid:
        imported = onto_existing(imported, existing)
    result: DocumentResult = ingest_sources([_write(imported, folder)]).results[0]
    lines = (*imported.warnings, *result.warnings, *((result.error,) if result.error else ()))
    # The ingestion lines name the temporary file: name the identifier instead.
    lines = tuple(line.replace(str(folder) + "/", f"{request.label}: ") for line in lines)
    return Outcome(request.label, result.uid or imported.uid, result.outcome, lines)


def import_decisions(
    *,
    actor: policy.Actor | None,
    source: str,
    identifiers: list[str],
    folder: Path | None = None,
) -> ImportRun:
    """Import each identifier from ``source``; ``actor=None`` is the operator at the console.

    Raises ``ActionDenied`` for an actor who may not curate and ``ImportError_`` (nothing
    fetched, nothing recorded) for an unknown source or a bad identifier. Failures of single
    decisions (not found, unreachable, refused by validation) are recorded in the run's results
    and leave the others imported.
    """
    if actor is not None and not policy.can_curate(actor):
        raise ActionDenied("Only the Secretariat imports decisions.")
    importer = importer_for(source, folder=folder)
    requests = parse_identifiers(importer, identifiers)
    run = ImportRun.objects.create(
        source=source,
        identifiers=[r.label for r in requests],
        requested_by_id=actor.user_id if actor is not None else None,
        via="command" if actor is None else "web",
    )
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="cicnet-import-") as tmp:
        for request in requests:
            work = (Path(tmp) / str(len(outcomes))).resolve()
            work.mkdir()
            outcomes.append(_one(importer, request, work))
    failed = sum(o.outcome == "failed" for o in outcomes)
    run.status = "ok" if not failed else ("failed" if failed == len(outcomes) else "partial")
    run.results = [o.as_record() for o in outcomes]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "results", "finished_at"])
    return run
