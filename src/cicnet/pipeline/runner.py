"""The pipeline runner: finds decisions on disk and runs the configured stages on each.

``PIPELINE`` (overridable with the ``CICNET_PIPELINE`` setting) is the one place that orders the
stages; ``STAGES`` maps a stage name to its class. Anonymisation, translation and language
detection plug in by adding a module and a name here.

Per document, every stage runs inside one transaction: a failure anywhere rolls the decision
back whole, is reported as one line naming the file and the field, and the run goes on with the
next document. One ``StageRun`` row per stage that ran is written after the transaction, so
failures are recorded too. ``check=True`` runs only the stages that do not write and records
nothing.

A document is *unchanged* (every stage recorded as skipped, nothing else written) when its
decision exists with the same content hash and every configured stage has already run on it at
its current version.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from cicnet.jurisprudence.models import Decision
from cicnet.pipeline.base import Document, InputError, Outcome, Stage, StageResult, TextSource
from cicnet.pipeline.files import RefusedFile, file_problem, read_regular_file
from cicnet.pipeline.models import StageRun
from cicnet.pipeline.validate import TEXT_EXTENSIONS, parse_yaml

log = logging.getLogger(__name__)

STAGES: dict[str, str] = {
    "validate": "cicnet.pipeline.validate.Validate",
    "extract": "cicnet.pipeline.extract.Extract",
    "split": "cicnet.pipeline.split.Split",
    "align": "cicnet.pipeline.align.Align",
    "detect_language": "cicnet.pipeline.detect_language.DetectLanguage",
    "store": "cicnet.pipeline.store.Store",
    "anonymise": "cicnet.pipeline.anonymise.Anonymise",
    "cite": "cicnet.pipeline.cite.Cite",
    "index": "cicnet.pipeline.index.Index",
}
# The order the stages run in. "align" follows "split" (it renumbers a translation's paragraphs
# by its original's); "detect_language" then checks the file names' language codes and marks
# quotations in the final paragraphs before "store" writes them.
# "anonymise" follows "store" (its spans point at stored paragraphs) and precedes "index" (the
# index holds the anonymised text only); "cite" reads the stored paragraphs (citations/).
PIPELINE: tuple[str, ...] = (
    "validate",
    "extract",
    "split",
    "align",
    "detect_language",
    "store",
    "anonymise",
    "cite",
    "index",
)


def pipeline_stages() -> list[Stage]:
    """Instances of the configured stages, in order."""
    names = getattr(settings, "CICNET_PIPELINE", None) or PIPELINE
    stages: list[Stage] = []
    for name in names:
        if name not in STAGES:
            raise ValueError(
                f"CICNET_PIPELINE names unknown stage '{name}'; known: {', '.join(STAGES)}"
            )
        module, _, cls = STAGES[name].rpartition(".")
        stages.append(getattr(importlib.import_module(module), cls)())
    return stages


@dataclass(frozen=True)
class DocumentResult:
    """How one decision fared."""

    path: str
    uid: str
    outcome: Outcome
    error: str = ""  # the one line shown to the user when it failed
    warnings: tuple[str, ...] = ()  # lines about what was accepted but should be checked


@dataclass
class IngestReport:
    """What a run did: one result per metadata file, plus warnings about stray files."""

    check: bool = False
    results: list[DocumentResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # unchanged decisions the index had missed (a run killed between commit and indexing)
    reindexed: int = 0

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.outcome for r in self.results)

    @property
    def failed(self) -> list[DocumentResult]:
        return [r for r in self.results if r.outcome == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        c = self.counts
        if self.check:
            return (
                f"checked {len(self.results)}: {c['checked']} valid, {c['failed']} failed "
                "(nothing written)"
            )
        return (
            f"{len(self.results)} decisions: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['failed']} failed"
            + (f"; {self.reindexed} unchanged re-indexed" if self.reindexed else "")
        )


# --- finding decisions on disk ----------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A metadata file and the text files beside it; ``refused``: lines about files of this
    decision that ingestion will not read (``pipeline/files.py``), which fail the decision."""

    path: Path
    texts: tuple[Path, ...]
    root: Path = Path("/")
    refused: tuple[str, ...] = ()


def discover(path: Path) -> tuple[list[Source], list[str]]:
    """The decisions under ``path`` (a ``NAME.yaml`` file or a folder, searched recursively) and
    warnings: text files that belong to no metadata file, and one line per refused file (a
    symbolic link, a FIFO or device, a file outside the folder). Symbolic links to folders are
    not followed. Raises ``InputError`` for a path that is neither."""
    if path.is_symlink() and path.name.endswith(".yaml"):
        raise InputError(path, "path", "is a symbolic link; give the metadata file itself")
    if path.is_file():
        if not path.name.endswith(".yaml"):
            raise InputError(path, "path", "is not a metadata file; give NAME.yaml or a folder")
        root = path.parent.resolve()
        single, _, _ = _in_folder(path.parent, root, only=path)
        return single, [line for s in single for line in s.refused]
    if path.is_dir():
        root = path.resolve()
        sources: list[Source] = []
        warnings: list[str] = []
        pending = [path]
        while pending:
            folder = pending.pop(0)
            found, stray, refused = _in_folder(folder, root)
            sources.extend(found)
            warnings.extend(refused + stray)
            pending.extend(
                sorted(
                    folder / e.name
                    for e in os.scandir(folder)
                    if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")
                )
            )
        return sources, warnings
    raise InputError(path, "path", "does not exist; give a NAME.yaml file or a folder")


def _in_folder(
    folder: Path, root: Path, only: Path | None = None
) -> tuple[list[Source], list[str], list[str]]:
    """The decisions of one folder, stray text files, and refused files (each one line)."""
    names: list[str] = []
    refused: dict[str, str] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.is_dir(follow_symlinks=False):
            continue
        if entry.is_symlink() and entry.is_dir():
            refused[entry.name] = (
                f"{folder / entry.name}: refused: is a symbolic link to a folder; not followed"
            )
            continue
        problem = file_problem(folder / entry.name, root)
        if problem:
            refused[entry.name] = f"{folder / entry.name}: refused: {problem}"
        names.append(entry.name)
    stems = {n[: -len(".yaml")] for n in names if n.endswith(".yaml")}
    texts: dict[str, list[Path]] = {s: [] for s in stems}
    blocked: dict[str, list[str]] = {s: [] for s in stems}
    stray = []
    for name in names:
        if name.endswith(".yaml"):
            if name in refused:
                blocked[name[: -len(".yaml")]].append(refused[name])
            continue
        parts = name.split(".")
        # The longest metadata stem the name starts with owns the file (NAME.<lang>.<ext>).
        owner = next(
            (
                ".".join(parts[:k])
                for k in range(len(parts) - 1, 0, -1)
                if ".".join(parts[:k]) in stems
            ),
            None,
        )
        if owner is not None:
            if name in refused:
                blocked[owner].append(refused[name])
            else:
                texts[owner].append(folder / name)
        elif name not in refused and len(parts) >= 3 and parts[-1] in TEXT_EXTENSIONS:
            stray.append(
                f"{folder / name}: ignored: no metadata file {'.'.join(parts[:-2])}.yaml beside it"
            )
    wanted = sorted(stems) if only is None else [only.name[: -len(".yaml")]]
    sources = [
        Source(folder / f"{s}.yaml", tuple(texts.get(s, [])), root, tuple(blocked.get(s, [])))
        for s in wanted
    ]
    return sources, stray, list(refused.values())


def load_document(source: Source) -> Document:
    """Read a decision's files and hash them (metadata bytes, then each text's name and bytes)."""
    data = read_regular_file(source.path, source.root)
    digest = hashlib.sha256(data)
    texts = []
    stem = source.path.name[: -len(".yaml")]
    for path in sorted(source.texts):
        blob = read_regular_file(path, source.root)
        rest = path.name[len(stem) + 1 :]  # "<lang>.<ext>"
        digest.update(b"\0" + rest.encode() + b"\0")
        digest.update(blob)
        language, _, ext = rest.rpartition(".")
        texts.append(
            TextSource(
                path=path,
                language=language,
                ext=ext.lower(),
                data=blob,
                sha256=hashlib.sha256(blob).hexdigest(),
            )
        )
    return Document(path=source.path, data=data, texts=texts, content_hash=digest.hexdigest())


# --- running the stages -----------------------------------------------------------------------


def _probable_uid(document: Document) -> str:
    try:
        raw = parse_yaml(document)
    except InputError:
        return ""
    uid = raw.get("uid")
    return str(uid) if isinstance(uid, str) else document.stem


def _unchanged(document: Document, uid: str, stages: list[Stage]) -> bool:
    if not uid or uid in document.seen_uids:  # a uid seen earlier in this run: let validate say so
        return False
    current = Decision.objects.filter(uid=uid).values_list("content_hash", flat=True).first()
    if current != document.content_hash:
        return False
    done = set(
        StageRun.objects.filter(decision_uid=uid, status__in=("ok", "skipped"))
        .values_list("stage", "version")
        .distinct()
    )
    return all((s.name, s.version) in done for s in stages)


def _stage_run(
    document: Document, stage: Stage, status: str, started: float, error: str = ""
) -> StageRun:
    return StageRun(
        source=str(document.path)[-300:],
        decision_uid=document.uid,
        stage=stage.name,
        version=stage.version,
        status=status,
        duration_ms=(time.perf_counter() - started) * 1000,
        error=error,
    )


def run_document(document: Document, stages: list[Stage], *, check: bool = False) -> DocumentResult:
    """Run the stages on one document; returns its result and records its StageRun rows."""
    runs: list[StageRun] = []
    if not check:
        uid = _probable_uid(document)
        if _unchanged(document, uid, stages):
            document.uid = uid
            now = time.perf_counter()
            StageRun.objects.bulk_create(_stage_run(document, s, "skipped", now) for s in stages)
            return DocumentResult(str(document.path), uid, "unchanged")
    active = [s for s in stages if not (check and s.writes)]
    stage = active[0]
    started = time.perf_counter()
    try:
        with transaction.atomic():
            for stage in active:
                started = time.perf_counter()
                result: StageResult = stage.run(document)
                runs.append(_stage_run(document, stage, result.status, started))
    except InputError as exc:
        error = exc.line
        runs.append(_stage_run(document, stage, "failed", started, error))
    except Exception as exc:
        log.exception("ingesting %s failed", document.path)
        error = (
            f"{document.path}: {stage.name}: internal error ({type(exc).__name__}: {exc}); "
            "please report it with the file"
        )
        runs.append(
            _stage_run(document, stage, "failed", started, error + "\n" + traceback.format_exc())
        )
    else:
        error = ""
    if not check:
        StageRun.objects.bulk_create(runs)
    if error:
        return DocumentResult(str(document.path), document.uid, "failed", error)
    return DocumentResult(
        str(document.path),
        document.uid,
        "checked" if check else (document.outcome or "updated"),
        warnings=tuple(w for t in document.texts for w in t.warnings),
    )


def _batches(sources: Iterable[Source], size: int) -> Iterable[list[Source]]:
    batch: list[Source] = []
    for source in sources:
        batch.append(source)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_sources(
    sources: Iterable[Source],
    *,
    check: bool = False,
    on_result: Callable[[DocumentResult], None] | None = None,
) -> IngestReport:
    """Ingest (or with ``check`` only validate) each source in turn.

    Documents are written in batches of ``CICNET_INGEST_BATCH`` (default 50) per transaction,
    each document in its own savepoint: a failing document rolls back alone, and side effects
    on commit (re-indexing) run once per batch instead of once per decision.
    """
    stages = pipeline_stages()
    report = IngestReport(check=check)
    seen_uids: dict[str, str] = {}
    seen_eclis: dict[str, str] = {}
    size = max(1, int(getattr(settings, "CICNET_INGEST_BATCH", 50)))
    for batch in _batches(sources, size):
        with transaction.atomic():
            results = [_ingest_one(s, stages, check, seen_uids, seen_eclis) for s in batch]
        for result in results:  # reported once the batch is committed
            report.results.append(result)
            if on_result is not None:
                on_result(result)
    if not check and any(st.name == "index" for st in stages):
        # An unchanged decision is still brought in step with the index: a run killed after a
        # batch committed and before its indexing ran leaves decisions the index never saw.
        from cicnet.search.services import index_catch_up

        report.reindexed = index_catch_up(r.uid for r in report.results if r.outcome == "unchanged")
    return report


def _ingest_one(
    source: Source,
    stages: list[Stage],
    check: bool,
    seen_uids: dict[str, str],
    seen_eclis: dict[str, str],
) -> DocumentResult:
    if source.refused:
        return DocumentResult(
            str(source.path),
            "",
            "failed",
            f"{source.path}: not ingested: {len(source.refused)} of its files refused (listed "
            "above); replace them with regular files inside the folder",
        )
    try:
        document = load_document(source)
    except RefusedFile as exc:
        result = DocumentResult(str(source.path), "", "failed", str(exc))
    except OSError as exc:
        result = DocumentResult(
            str(source.path),
            "",
            "failed",
            f"{source.path}: file: cannot be read ({exc.strerror}); check it",
        )
    else:
        document.seen_uids, document.seen_eclis = seen_uids, seen_eclis
        result = run_document(document, stages, check=check)
        if result.outcome != "failed" and document.uid:
            seen_uids[document.uid] = str(document.path)
            if document.clean.get("ecli"):
                seen_eclis[document.clean["ecli"]] = document.uid
    return result


def ingest_path(
    path: Path | str,
    *,
    check: bool = False,
    on_result: Callable[[DocumentResult], None] | None = None,
) -> IngestReport:
    """Ingest a ``NAME.yaml`` file or every decision in a folder; see the module docstring."""
    sources, warnings = discover(Path(path))
    report = ingest_sources(sources, check=check, on_result=on_result)
    report.warnings = warnings
    return report
