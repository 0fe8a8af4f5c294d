"""Writes: the citations of a decision, extracted from its stored paragraphs, and the links
of other decisions' citations to it. Called by the ``cite`` pipeline stage inside the
ingestion transaction, and by ``cicnet cite`` for decisions stored before the stage existed.
No access check: this is ingestion, run by whoever may ingest; reads go through
``selectors.py``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from cicnet.citations.extract import Found, extract
from cicnet.citations.link import normalise_case_number, target
from cicnet.citations.models import Citation
from cicnet.jurisprudence.models import Decision, Paragraph

DECISION_KINDS = ("ecli", "ecthr_application", "international_case", "national_case")


@dataclass
class _Seen:
    found: Found
    language: str
    paragraph: int
    occurrences: int = 1


def _own_identifiers(decision: Decision) -> set[str]:
    own = {decision.ecli.upper()} if decision.ecli else set()
    if decision.case_number:
        own.add(normalise_case_number(decision.case_number))
    return own


def _decisions_by_identifier(keys: set[str]) -> dict[str, int]:
    """Decision ids by ECLI and by case number (normalised), for the keys given."""
    if not keys:
        return {}
    eclis = {k for k in keys if k.startswith("ECLI:")}
    numbers = keys - eclis
    out: dict[str, int] = {}
    rows = Decision.objects.filter(Q(ecli__in=eclis) | Q(case_number__in=numbers)).values_list(
        "pk", "ecli", "case_number"
    )
    for pk, ecli, case_number in rows:
        if ecli and ecli in eclis:
            out[ecli] = pk
        if case_number:
            out.setdefault(normalise_case_number(case_number), pk)
    return out


@transaction.atomic
def decision_cite(*, decision: Decision, version: str) -> list[Citation]:
    """Replace the citations of ``decision`` by those found in its paragraphs now, and link
    other decisions' citations of its ECLI or case number to it. Returns the new rows."""
    seen: dict[tuple[str, str], _Seen] = {}
    own = _own_identifiers(decision)
    paragraphs = (
        Paragraph.objects.filter(text__decision=decision)
        .order_by("-text__is_original", "text__language", "number")
        .values_list("text__language", "number", "body")
    )
    for language, number, body in paragraphs:
        for f in extract(body, country=decision.country):
            ident = f.key.upper() if f.kind == "ecli" else normalise_case_number(f.key)
            if f.kind in DECISION_KINDS and ident in own:
                continue  # the decision's own number (its title, its heading): not a citation
            entry = seen.get((f.kind, f.key))
            if entry is None:
                seen[(f.kind, f.key)] = _Seen(f, language, number)
            else:
                entry.occurrences += 1
    wanted = {
        f.key.upper() if kind == "ecli" else normalise_case_number(f.key)
        for (kind, _), s in seen.items()
        for f in [s.found]
        if kind in DECISION_KINDS
    }
    by_identifier = _decisions_by_identifier(wanted)
    Citation.objects.filter(citing=decision).delete()
    rows = []
    for (kind, key), s in seen.items():
        link = target(kind, key, country=decision.country)
        ident = key.upper() if kind == "ecli" else normalise_case_number(key)
        cited_id = by_identifier.get(ident) if kind in DECISION_KINDS else None
        rows.append(
            Citation(
                citing=decision,
                kind=kind,
                key=key[:200],
                text=s.found.text[:300],
                language=s.language,
                paragraph=s.paragraph,
                occurrences=s.occurrences,
                cited_id=cited_id if cited_id != decision.pk else None,
                provision_key=link.provision_key,
                url=link.url,
                extractor_version=version,
            )
        )
    created = Citation.objects.bulk_create(rows)
    citations_link_to(decision=decision)
    return created


def citations_link_to(*, decision: Decision) -> int:
    """Point other decisions' citations of this decision's ECLI or case number at it (they may
    have been ingested before it). Returns how many rows now link to it."""
    linked = 0
    if decision.ecli:
        linked += (
            Citation.objects.filter(kind="ecli", key=decision.ecli.upper())
            .exclude(citing=decision)
            .update(cited=decision)
        )
    if decision.case_number:
        number = normalise_case_number(decision.case_number)
        candidates = Citation.objects.filter(
            kind__in=DECISION_KINDS[1:], key__iexact=decision.case_number.strip()
        ).exclude(citing=decision)
        ids = [c.pk for c in candidates if normalise_case_number(c.key) == number]
        linked += Citation.objects.filter(pk__in=ids).update(cited=decision)
    return linked
