"""Curation: the Secretariat edits a decision's metadata and moves it through its publication
states. Every write is atomic, checked against the policy module, recorded in the audit log
(field → [old, new]), snapshotted in ``DecisionVersion`` and re-indexed after commit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.errors import ActionDenied, UserInputError
from cicnet.jurisprudence.courts import UnknownCourt, court_country_mismatch, resolve_court
from cicnet.jurisprudence.courts import court as court_entry
from cicnet.jurisprudence.models import (
    METADATA_FIELDS,
    Decision,
    DecisionCrime,
    DecisionProvision,
    DecisionVersion,
    decision_snapshot,
)
from cicnet.law import ecli
from cicnet.law.crimes import crimes
from cicnet.law.provisions import match_provision
from cicnet.pipeline.metadata import country_codes, future_date_problem
from cicnet.vocabularies import vocabulary


class CurationError(UserInputError):
    """A curation request the curator can fix; ``field`` names the offending field."""


class CurationDenied(ActionDenied):
    """The actor may not curate (views answer 404 so the page is not revealed)."""


@dataclass(frozen=True)
class Transition:
    to_state: str
    label: str  # what the button says


# Allowed publication-state transitions: draft → review → published, and back to draft.
TRANSITIONS: dict[str, tuple[Transition, ...]] = {
    "draft": (Transition("review", "Submit for review"),),
    "review": (Transition("published", "Publish"), Transition("draft", "Return to draft")),
    "published": (Transition("draft", "Unpublish (back to draft)"),),
}

# Metadata a curator may edit, and the kind of each value.
_TEXT_FIELDS = {
    "title": 300,
    "court_formation": 200,
    "case_name": 300,
    "city": 100,
    "case_number": 200,
    "defendant": 200,
    "situation": 300,
    "sentence": 500,
    "confidence": 20,
}
_VOCAB_FIELDS = {
    "instance": "instances",
    "decision_type": "decision_types",
    "jurisdiction_basis": "jurisdiction_bases",
    "outcome": "outcomes",
    "access": "access_tiers",
}
# The court is edited by its vocabulary id (the form's "court"); its names follow from it.
EDITABLE_FIELDS: tuple[str, ...] = (
    *(f for f in METADATA_FIELDS if f not in ("court_id", "court_original")),
    "crimes",
    "provisions",
)
_REQUIRED = {"title", "country"}

_URL = re.compile(r"^https?://\S+$")


def _require_curator(actor: policy.Actor) -> None:
    if not policy.can_curate(actor):
        raise CurationDenied("only the Secretariat may curate decisions")


def _clean(field: str, value: Any, decision: Decision) -> Any:
    """Validate and normalise one field's new value; raise CurationError naming the field."""
    if field in _TEXT_FIELDS:
        value = "" if value is None else str(value).strip()
        if field in _REQUIRED and not value:
            raise CurationError(f"{field}: this field is required.", field=field)
        if len(value) > _TEXT_FIELDS[field]:
            raise CurationError(
                f"{field}: at most {_TEXT_FIELDS[field]} characters (got {len(value)}).",
                field=field,
            )
        return value
    if field == "summary":
        return "" if value is None else str(value).strip()
    if field == "court":
        # A court id (the form's select) or any name of the court vocabulary; stored as the id.
        if not str(value or "").strip():
            raise CurationError("court: this field is required.", field=field)
        try:
            return resolve_court(str(value), field=field).court.id
        except UnknownCourt as exc:
            raise CurationError(f"{exc}.", field=field) from None
    if field in _VOCAB_FIELDS:
        vocab = vocabulary("jurisprudence", _VOCAB_FIELDS[field])
        if value not in vocab:
            raise CurationError(
                f"{field}: unknown value {value!r}; use one of {', '.join(vocab.ids())}.",
                field=field,
            )
        return value
    if field == "country":
        value = str(value or "").strip().upper()
        if value not in country_codes():
            raise CurationError(
                "country: use a two-letter ISO 3166-1 code such as DE, FR or SE.", field=field
            )
        return value
    if field == "decision_date":
        if value in (None, ""):
            return None
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value))
            except ValueError:
                raise CurationError(
                    f"decision_date: {value!r} is not a date in the form YYYY-MM-DD.", field=field
                ) from None
        problem = future_date_problem(value)
        if problem:
            raise CurationError(f"decision_date: {problem}.", field=field)
        return value
    if field == "date_precision":
        if value not in ("day", "month", "year"):
            raise CurationError("date_precision: use day, month or year.", field=field)
        return value
    if field == "ecli":
        try:
            value = ecli.clean_ecli(value)
        except ecli.EcliError as exc:
            raise CurationError(f"ecli: {exc}.", field=field) from None
        if value and Decision.objects.filter(ecli=value).exclude(pk=decision.pk).exists():
            raise CurationError(f"ecli: {value} is already used by another decision.", field=field)
        return value
    if field == "terrorism_concurrent":
        if value not in (None, True, False):
            raise CurationError("terrorism_concurrent: use yes, no or unknown.", field=field)
        return value
    if field in ("keywords", "source_urls", "provisions", "crimes", "also_known_as"):
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise CurationError(f"{field}: expected a list of values.", field=field)
        items = list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
        if field == "source_urls":
            for url in items:
                if not _URL.match(url):
                    raise CurationError(
                        f"source_urls: {url!r} is not an http(s) address.", field=field
                    )
        if field == "crimes":
            known = crimes()
            for cid in items:
                if cid not in known:
                    raise CurationError(
                        f"crimes: unknown crime id {cid!r}; use ids of the crimes vocabulary "
                        "such as 7(1)(f).",
                        field=field,
                    )
            items.sort()
        return items
    raise CurationError(f"{field}: this field cannot be edited here.", field=field)


def _check_ecli_country(value: str, country: str) -> None:
    """A national ECLI names the decision's State."""
    mismatch = ecli.country_mismatch(value, country)
    if mismatch:
        raise CurationError(f"ecli: {mismatch}.", field="ecli")


def _check_court_country(court_id: str, country: str) -> None:
    """A national court decides for its own State."""
    found = court_entry(court_id)
    mismatch = court_country_mismatch(found, country) if found else ""
    if mismatch:
        raise CurationError(f"country: {mismatch}.", field="country")


def _current(decision: Decision, field: str) -> Any:
    if field == "crimes":
        return sorted(c.crime_id for c in decision.crimes.all() if not c.derived)
    if field == "provisions":
        return [p.citation for p in decision.provisions.all()]
    if field == "court":
        return decision.court_id
    return getattr(decision, field)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _snapshot_and_bump(decision: Decision, *, reason: str) -> None:
    """Keep the version being replaced, then move the decision to the next version number."""
    DecisionVersion.objects.get_or_create(
        decision=decision,
        version=decision.version,
        defaults={"snapshot": decision_snapshot(decision), "reason": reason},
    )
    decision.version += 1


def _locked(decision: Decision) -> Decision:
    """Re-read the decision under a row lock, so concurrent curators do not overwrite each other."""
    return Decision.objects.select_for_update().get(pk=decision.pk)


def _index_after_commit(uid: str) -> None:
    # Imported here: the search app imports the jurisprudence models.
    from cicnet.search.services import index_on_commit

    index_on_commit([uid])


def _sync_provisions(decision: Decision, citations: list[str]) -> None:
    """Replace the cited provisions and the crimes derived from them."""
    decision.provisions.all().delete()
    derived: list[str] = []
    for citation in citations:
        matched = match_provision(country=decision.country, citation=citation)
        DecisionProvision.objects.create(
            decision=decision,
            citation=citation,
            national_provision_key=matched.key if matched else "",
        )
        if matched:
            derived.extend(matched.crime_ids())
    explicit = set(decision.crimes.filter(derived=False).values_list("crime_id", flat=True))
    decision.crimes.filter(derived=True).delete()
    DecisionCrime.objects.bulk_create(
        DecisionCrime(decision=decision, crime_id=cid, derived=True)
        for cid in dict.fromkeys(derived)
        if cid not in explicit
    )


def _sync_crimes(decision: Decision, crime_ids: list[str]) -> None:
    """Replace the crimes stated by the curator (derived ones that are now stated stop being
    derived; derived ones not stated stay)."""
    decision.crimes.filter(derived=False).exclude(crime_id__in=crime_ids).delete()
    existing = {c.crime_id: c for c in decision.crimes.all()}
    for cid in crime_ids:
        row = existing.get(cid)
        if row is None:
            DecisionCrime.objects.create(decision=decision, crime_id=cid, derived=False)
        elif row.derived:
            row.derived = False
            row.save(update_fields=["derived"])


def decision_update(
    *,
    actor: policy.Actor,
    decision: Decision,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> Decision:
    """Apply ``changes`` (field → new value) to a decision's metadata.

    ``crimes`` is the list of crime ids stated for the decision, ``provisions`` the list of
    national provisions as cited (re-matched to the provisions table; crimes derived from them
    follow). Unchanged values are ignored; when nothing changes nothing is written.
    ``expected_version`` (the version the curator's form was built from) refuses the update if
    someone else changed the decision meanwhile. Raises ``CurationDenied`` or ``CurationError``.
    """
    _require_curator(actor)
    with transaction.atomic():
        decision = _locked(decision)
        if expected_version is not None and decision.version != expected_version:
            raise CurationError(
                f"version: this decision was changed by someone else (now version "
                f"{decision.version}, your form was version {expected_version}); reload and "
                "apply your changes again.",
                field="version",
            )
        diff: dict[str, list[Any]] = {}
        cleaned: dict[str, Any] = {}
        for field, raw in changes.items():
            if field not in EDITABLE_FIELDS:
                raise CurationError(f"{field}: this field cannot be edited here.", field=field)
            new = _clean(field, raw, decision)
            old = _current(decision, field)
            if new != old:
                cleaned[field] = new
                diff[field] = [_jsonable(old), _jsonable(new)]
        if "ecli" in cleaned or "country" in cleaned:
            _check_ecli_country(
                cleaned.get("ecli", decision.ecli), cleaned.get("country", decision.country)
            )
        if "court" in cleaned or "country" in cleaned:
            _check_court_country(
                cleaned.get("court", decision.court_id), cleaned.get("country", decision.country)
            )
        if not diff:
            return decision
        _snapshot_and_bump(decision, reason="edit")
        for field, value in cleaned.items():
            if field == "court":
                found = court_entry(value)
                assert found is not None  # _clean returned a vocabulary id
                decision.court_id, decision.court = found.id, found.label
                decision.court_original = found.original
            elif field not in ("crimes", "provisions"):
                setattr(decision, field, value)
        decision.save()
        if "crimes" in cleaned:
            _sync_crimes(decision, cleaned["crimes"])
        if "provisions" in cleaned or "country" in cleaned:
            _sync_provisions(decision, cleaned.get("provisions", _current(decision, "provisions")))
        audit_record(
            actor=actor,
            action="decision.update",
            object_type="decision",
            object_id=decision.uid,
            changes=diff,
        )
        _index_after_commit(decision.uid)
    return decision


def transitions_from(state: str) -> tuple[Transition, ...]:
    """The transitions a curator may make from ``state`` (for the buttons)."""
    return TRANSITIONS.get(state, ())


def decision_transition(*, actor: policy.Actor, decision: Decision, to_state: str) -> Decision:
    """Move a decision to another publication state (see ``TRANSITIONS``)."""
    _require_curator(actor)
    states = vocabulary("jurisprudence", "publication_states")
    if to_state not in states:
        raise CurationError(
            f"state: unknown state {to_state!r}; use one of {', '.join(states.ids())}.",
            field="state",
        )
    with transaction.atomic():
        decision = _locked(decision)
        allowed = [t.to_state for t in transitions_from(decision.state)]
        if to_state not in allowed:
            raise CurationError(
                f"state: a decision in state '{states.label(decision.state)}' cannot move to "
                f"'{states.label(to_state)}'; allowed: "
                f"{', '.join(states.label(s) for s in allowed) or 'none'}.",
                field="state",
            )
        if to_state == "published":
            # Imported here: the anonymisation app imports the jurisprudence models.
            from cicnet.anonymisation.review import publication_blocker

            blocker = publication_blocker(decision)
            if blocker:
                raise CurationError(blocker, field="anonymisation")
        old = decision.state
        _snapshot_and_bump(decision, reason="state")
        now = timezone.now()
        decision.state = to_state
        decision.state_changed_at = now
        decision.state_changed_by_id = actor.user_id
        if to_state == "published":
            decision.published_at = now
            decision.published_by_id = actor.user_id
        decision.save()
        audit_record(
            actor=actor,
            action="decision.transition",
            object_type="decision",
            object_id=decision.uid,
            changes={"state": [old, to_state]},
        )
        _index_after_commit(decision.uid)
    return decision


def text_mark_proofread(*, actor: policy.Actor, decision: Decision, language: str) -> None:
    """Record that a curator proofread an OCR'd text against its scan: the text's "needs
    proofreading" flag is cleared and the audit log says who did it and when."""
    _require_curator(actor)
    with transaction.atomic():
        decision = _locked(decision)
        text = decision.texts.filter(language=language).first()
        if text is None:
            raise CurationError(
                f"language: decision {decision.uid} has no '{language}' text", field="language"
            )
        if not text.needs_proofreading:
            raise CurationError(
                f"language: the '{language}' text is not waiting for proofreading",
                field="language",
            )
        text.needs_proofreading = False
        text.save(update_fields=["needs_proofreading"])
        audit_record(
            actor=actor,
            action="text.proofread",
            object_type="decision",
            object_id=decision.uid,
            changes={"language": language, "needs_proofreading": [True, False]},
        )
