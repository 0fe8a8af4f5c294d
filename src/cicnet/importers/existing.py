"""An import that finds its decision already catalogued: keep what curation wrote.

The demo catalogue and curators hold many decisions as metadata only (with their ECLI). An import
of such an ECLI adds the court's texts to that decision instead of creating a second one (which
the ECLI's uniqueness would refuse): the metadata written for ingestion is the decision's own,
as it stands, with only the texts, the ECLI of the original and the source links coming from the
court database. Its publication state is left as curation set it; the new texts are withheld from
readers below the Secretariat until their anonymisation is signed off.
"""

from __future__ import annotations

from typing import Any

from cicnet.importers.base import Imported
from cicnet.jurisprudence.models import Decision

_COPIED = (
    "title",
    "country",
    "court_formation",
    "city",
    "case_number",
    "instance",
    "decision_type",
    "case_name",
    "also_known_as",
    "defendant",
    "situation",
    "terrorism_concurrent",
    "jurisdiction_basis",
    "outcome",
    "sentence",
    "keywords",
    "summary",
    "access",
    "confidence",
)


def catalogued(eclis: list[str]) -> Decision | None:
    """The decision that already carries one of ``eclis`` (the original's first)."""
    found = {
        d.ecli: d for d in Decision.objects.filter(ecli__in=eclis).select_related("proceedings")
    }
    return next((found[e] for e in eclis if e in found), None)


def _date(decision: Decision) -> str:
    day = decision.decision_date
    if day is None:
        return ""
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}"}.get(
        decision.date_precision, day.isoformat()
    )


def onto_existing(imported: Imported, decision: Decision) -> Imported:
    """``imported`` rewritten to update ``decision`` (see module docstring)."""
    meta: dict[str, Any] = {"uid": decision.uid}
    for key in _COPIED:
        value = getattr(decision, key)
        if value not in ("", None, [], ()):
            meta[key] = list(value) if isinstance(value, list | tuple) else value
    meta["court"] = decision.court_id or imported.metadata["court"]
    meta["decision_date"] = _date(decision) or imported.metadata["decision_date"]
    meta["ecli"] = imported.metadata["ecli"]
    if not decision.case_number:
        meta["case_number"] = imported.metadata["case_number"]
    crimes = [c.crime_id for c in decision.crimes.all() if not c.derived]
    if crimes:
        meta["crimes"] = crimes
    provisions = [p.citation for p in decision.provisions.all()]
    meta["provisions"] = provisions or imported.metadata.get("provisions", [])
    meta["source_urls"] = list(
        dict.fromkeys([*(decision.source_urls or []), *imported.metadata["source_urls"]])
    )
    if decision.proceedings is not None:
        meta["proceedings"] = decision.proceedings.key
        if decision.proceedings.title:
            meta["proceedings_title"] = decision.proceedings.title
    if decision.is_demo:
        meta["demo"] = True
    meta["texts"] = imported.metadata["texts"]
    note = (
        f"{imported.metadata['ecli']}: added the court's texts to the catalogued decision "
        f"'{decision.uid}'; its metadata is kept as curated"
    )
    return Imported(
        uid=decision.uid, metadata=meta, texts=imported.texts, warnings=[*imported.warnings, note]
    )
