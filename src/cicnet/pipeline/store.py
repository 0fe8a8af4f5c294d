"""Stage ``store``: write the decision, its crimes, provisions, texts and paragraphs.

Runs inside the runner's per-document transaction, so a decision is written whole or not at all.
On a change it first saves a ``DecisionVersion`` snapshot of the previous version and bumps
``Decision.version``. Source files are copied, content-addressed, to
``MEDIA_ROOT/sources/<sha256>.<ext>`` for download (a copy left behind by a rolled-back
transaction is harmless: the same bytes always have the same name).

``state`` from the file applies when the key is given; when it is absent a new decision is a
draft and an existing one keeps the state curation gave it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from cicnet.anonymisation import carry
from cicnet.jurisprudence.models import (
    METADATA_FIELDS,
    Decision,
    DecisionCrime,
    DecisionProvision,
    DecisionVersion,
    Paragraph,
    Proceedings,
    Text,
    decision_snapshot,
)
from cicnet.law.provisions import match_provision
from cicnet.pipeline.base import Document, Stage, StageResult, TextSource

# Metadata keys copied as they are onto Decision fields.
_FIELDS = METADATA_FIELDS


def source_copy(text: TextSource) -> str:
    """Copy a source file to ``MEDIA_ROOT/sources/<sha256>.<ext>`` once; return that path,
    relative to MEDIA_ROOT."""
    relative = f"sources/{text.sha256}.{text.ext}"
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.data)
        os.replace(tmp, target)  # atomic: a reader never sees half a file
    return relative


def _proceedings(clean: dict[str, Any]) -> Proceedings | None:
    key = clean["proceedings"]
    if not key:
        return None
    proceedings, created = Proceedings.objects.get_or_create(
        key=key, defaults={"title": clean["proceedings_title"]}
    )
    if (
        not created
        and clean["proceedings_title"]
        and proceedings.title != clean["proceedings_title"]
    ):
        proceedings.title = clean["proceedings_title"]
        proceedings.save(update_fields=["title"])
    return proceedings


def _write_children(decision: Decision, document: Document) -> None:
    clean = document.clean
    stated = clean["crimes"]
    DecisionCrime.objects.bulk_create(DecisionCrime(decision=decision, crime_id=c) for c in stated)
    derived: list[str] = []
    provisions = []
    for citation in clean["provisions"]:
        match = match_provision(country=clean["country"], citation=citation)
        provisions.append(
            DecisionProvision(
                decision=decision,
                citation=citation,
                national_provision_key=match.key if match else "",
            )
        )
        if match:
            derived.extend(c for c in match.crime_ids() if c not in stated and c not in derived)
    DecisionProvision.objects.bulk_create(provisions)
    DecisionCrime.objects.bulk_create(
        DecisionCrime(decision=decision, crime_id=c, derived=True) for c in derived
    )
    paragraphs: list[Paragraph] = []
    for source in document.texts:
        text = Text.objects.create(
            decision=decision,
            language=source.language,
            is_original=source.is_original,
            provenance=source.provenance,
            translator=source.translator,
            translated_on=source.translated_on,
            unofficial=source.unofficial,
            completeness=source.completeness,
            excerpt_contents=source.excerpt_contents,
            source_filename=source.path.name,
            source_sha256=source.sha256,
            source_file=source_copy(source),
            body=source.body,
            numbering=source.numbering,
            source_ecli=source.source_ecli,
            detected_language=source.detected_language,
            language_confidence=source.language_confidence,
            ocr_pages=source.ocr_pages,
            needs_proofreading=source.needs_proofreading,
        )
        paragraphs.extend(
            Paragraph(text=text, number=n, body=b, language=source.paragraph_languages.get(n, ""))
            for n, b in source.paragraphs
        )
    Paragraph.objects.bulk_create(paragraphs, batch_size=500)


class Store(Stage):
    """Create or update the decision from the validated, extracted and split document."""

    name = "store"
    version = "1"
    writes = True

    def run(self, document: Document) -> StageResult:
        clean = document.clean
        now = timezone.now()
        decision = Decision.objects.filter(uid=document.uid).select_related("proceedings").first()
        if decision is None:
            decision = Decision(uid=document.uid, state=clean["state"] or "draft")
            previous_state = None
        else:
            DecisionVersion.objects.create(
                decision=decision,
                version=decision.version,
                snapshot=decision_snapshot(decision),
                reason="ingest",
            )
            decision.version += 1
            previous_state = decision.state
            if clean["state"]:
                decision.state = clean["state"]
        for key in _FIELDS:
            setattr(decision, key, clean[key])
        decision.proceedings = _proceedings(clean)
        decision.is_demo = clean["demo"]
        decision.source_key = document.stem
        decision.content_hash = document.content_hash
        if decision.state != previous_state:
            decision.state_changed_at = now
            decision.state_changed_by = None  # changed by ingestion, not by a person
            if decision.state == "published":
                decision.published_at = now
                decision.published_by = None
        if previous_state is None:
            decision.save()
            document.outcome = "created"
        else:
            decision.save()
            # Replaced whole: a text's paragraphs depend on the stage versions as well as the file.
            decision.crimes.all().delete()
            decision.provisions.all().delete()
            document.carried_reviews = carry.take(decision.pk)
            decision.texts.all().delete()
            document.outcome = "updated"
        _write_children(decision, document)
        return StageResult(detail=f"{document.outcome} v{decision.version}")
