"""The stage interface and the document that flows between stages.

A stage is a class with a ``name``, a ``version`` and ``run(document) -> StageResult``. It never
sees an HTTP request and is idempotent for the same input and version: the runner
(``pipeline/runner.py``) skips every stage of a document whose files and stage versions have
not changed since the last successful run, and records one ``StageRun`` row per stage and
document either way.

A stage that finds bad input raises ``InputError`` naming the file and the field; the runner turns
it into the one line the user sees and rolls the document back. A stage that writes to the
database sets ``writes = True``; ``--check`` runs only the stages that do not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

Status = Literal["ok", "skipped", "failed"]
Outcome = Literal["created", "updated", "unchanged", "failed", "checked"]


class InputError(Exception):
    """Bad input the user can fix: names the file, the field and what to do."""

    def __init__(self, path: Path | str, field: str, message: str) -> None:
        super().__init__(f"{path}: {field}: {message}")
        self.path = str(path)
        self.field = field
        self.message = message

    @property
    def line(self) -> str:
        """The one line shown to the user."""
        return str(self)


@dataclass
class TextSource:
    """One text file of a decision (``NAME.<lang>.<ext>``) and what the stages made of it."""

    path: Path
    language: str
    ext: str
    data: bytes
    sha256: str
    is_original: bool = False
    provenance: str = "original"
    translator: str = ""
    translated_on: dt.date | None = None
    unofficial: bool = False
    completeness: str = "complete"  # or "excerpt" (vocab/text_completeness.yaml)
    excerpt_contents: str = ""  # which parts an excerpt holds
    body: str = ""  # set by the extract stage
    paragraphs: list[tuple[int, str]] = field(default_factory=list)  # (number, body), set by split
    numbering: str = "sequence"  # "court" when the text numbers its own paragraphs
    source_ecli: str = ""  # the court's ECLI of this language version, when it has its own
    # set by extract for PDFs: one {page, ocr, confidence} per page
    ocr_pages: list[dict[str, Any]] = field(default_factory=list)
    # set by detect_language: the text's language, lingua's confidence, and the paragraphs
    # (by number) written in another language
    detected_language: str = ""
    language_confidence: float | None = None
    paragraph_languages: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # recorded on the stage run

    @property
    def needs_proofreading(self) -> bool:
        return any(page.get("ocr") for page in self.ocr_pages)


@dataclass
class Document:
    """A decision on its way through the pipeline: the metadata file, its texts, and results.

    ``metadata`` holds the raw YAML mapping until the validate stage replaces ``clean`` with the
    validated values (Python types, defaults applied).
    """

    path: Path
    data: bytes
    texts: list[TextSource]
    content_hash: str
    metadata: dict[str, Any] = field(default_factory=dict)
    clean: dict[str, Any] = field(default_factory=dict)
    uid: str = ""
    outcome: Outcome | None = None
    # Filled by the runner: ECLI -> uid and uid -> file seen earlier in the same run.
    seen_eclis: dict[str, str] = field(default_factory=dict)
    seen_uids: dict[str, str] = field(default_factory=dict)
    # Filled by the store stage before it replaces a decision's texts: their signed-off
    # anonymisation reviews by language, for the anonymise stage (anonymisation/carry.py).
    carried_reviews: dict[str, Any] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return self.path.name[: -len(".yaml")]


@dataclass(frozen=True)
class StageResult:
    """What a stage reports back; failures are raised, not returned."""

    status: Literal["ok", "skipped"] = "ok"
    detail: str = ""


class Stage:
    """Base class of every pipeline stage (see module docstring)."""

    name: ClassVar[str]
    version: ClassVar[str]
    writes: ClassVar[bool] = False

    def run(self, document: Document) -> StageResult:  # pragma: no cover - interface
        raise NotImplementedError
