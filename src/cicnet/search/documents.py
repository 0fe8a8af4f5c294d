"""What the search index holds for a decision: its facet values and its texts, read from the DB.

Both backends index :class:`DecisionRecord` objects built here, so the two agree on facet values
(for example that a crime search also finds decisions citing only a national provision that
implements the crime: ``crime`` holds the stated crimes *and* those derived from provisions).
Reading is chunked and uses ``values_list`` for paragraphs so a full rebuild of millions of
paragraphs does not build a model instance per paragraph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cicnet.anonymisation.headings import mask_decisions
from cicnet.anonymisation.selectors import text_for
from cicnet.jurisprudence.courts import court as court_vocabulary_entry
from cicnet.law.crimes import crime as crime_entry
from cicnet.law.provisions import match_provision, provision

CHUNK = 500


@dataclass
class ParagraphRecord:
    language: str
    number: int
    body: str


@dataclass
class DecisionRecord:
    """A decision as the index sees it. Facet values are lists of strings (ids)."""

    uid: str
    title: str
    court: str  # English name, shown
    country: str
    decision_date: dt.date | None
    access: str
    state: str
    updated_at: dt.datetime
    summary: str = ""
    date_display: str = ""  # as precise as the source: a year-only date is the year
    case_name: str = ""
    court_text: str = ""  # every name of the court, for court: queries
    meta_text: str = ""  # title, case number, ECLI, defendant, situation, keywords, sentence …
    provision_text: str = ""  # provisions as cited, plus the matched provision labels
    facets: dict[str, list[str]] = field(default_factory=dict)
    # Of a facet's values, the part many decisions share (``crime``: the crimes of the cited
    # provisions); a facet not named here shares all its values. The tantivy backend writes
    # the shared values in one key with those of related facets (decision 0193); the values are
    # ``facets``' all the same.
    facet_base: dict[str, list[str]] = field(default_factory=dict)
    paragraphs: list[ParagraphRecord] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.decision_date.year if self.decision_date else None


def as_records(decisions: Iterable[DecisionRecord | Any]) -> Iterator[DecisionRecord]:
    """Records from records or Decision rows (rows are re-read from the database)."""
    rows: list[str] = []
    for d in decisions:
        if isinstance(d, DecisionRecord):
            yield d
        else:
            rows.append(d.uid)
    if rows:
        yield from records_for_uids(rows)


def records_for_uids(uids: Iterable[str]) -> Iterator[DecisionRecord]:
    """Records for the decisions with these uids that exist (missing ones are skipped)."""
    from cicnet.jurisprudence.models import Decision

    uid_list = sorted(set(uids))
    for start in range(0, len(uid_list), CHUNK):
        chunk = uid_list[start : start + CHUNK]
        ids = list(Decision.objects.filter(uid__in=chunk).values_list("id", flat=True))
        yield from _records(ids)


def all_records(*, chunk: int = CHUNK) -> Iterator[DecisionRecord]:
    """Records for every decision, whatever its tier and state (the backends filter by scope)."""
    from cicnet.jurisprudence.models import Decision

    ids = list(Decision.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), chunk):
        yield from _records(ids[start : start + chunk])


def _records(ids: list[int]) -> Iterator[DecisionRecord]:
    from cicnet.jurisprudence.models import (
        Decision,
        DecisionCrime,
        DecisionProvision,
        Paragraph,
        Text,
    )

    if not ids:
        return
    crimes: dict[int, list[str]] = {}
    for did, cid in DecisionCrime.objects.filter(decision_id__in=ids).values_list(
        "decision_id", "crime_id"
    ):
        crimes.setdefault(did, []).append(cid)
    provisions: dict[int, list[tuple[str, str]]] = {}
    for did, citation, key in DecisionProvision.objects.filter(decision_id__in=ids).values_list(
        "decision_id", "citation", "national_provision_key"
    ):
        provisions.setdefault(did, []).append((citation, key))
    languages: dict[int, list[str]] = {}
    summaries_lang: dict[int, str] = {}
    complete: set[int] = set()  # decisions with at least one complete (not excerpt) text
    for did, lang, is_original, completeness in Text.objects.filter(
        decision_id__in=ids
    ).values_list("decision_id", "language", "is_original", "completeness"):
        languages.setdefault(did, []).append(lang)
        if completeness != "excerpt":
            complete.add(did)
        if is_original:
            summaries_lang[did] = lang
    # The index serves every tier: it holds the anonymised text only (text_for with no actor).
    rows = list(
        Paragraph.objects.filter(text__decision_id__in=ids)
        .order_by("text__decision_id", "text__language", "number")
        .values_list("text__decision_id", "text_id", "text__language", "number", "body")
        .iterator(chunk_size=5000)
    )
    bodies: dict[int, dict[int, str]] = {}
    for _, tid, _, number, body in rows:
        bodies.setdefault(tid, {})[number] = body
    shown = text_for(actor=None, bodies=bodies)
    paragraphs: dict[int, list[ParagraphRecord]] = {}
    for did, tid, lang, number, _ in rows:
        paragraphs.setdefault(did, []).append(ParagraphRecord(lang, number, shown[tid][number]))

    # The decision's own fields are masked like its text (anonymisation/headings.py): the index
    # serves every tier, so it holds the heading forms only.
    decisions = list(Decision.objects.filter(id__in=ids).order_by("id"))
    mask_decisions(decisions)
    for d in decisions:
        cited = provisions.get(d.id, [])
        keys: list[str] = []
        for citation, key in cited:
            if not key:
                matched = match_provision(country=d.country, citation=citation)
                key = matched.key if matched else ""
            if key:
                keys.append(key)
        keys = list(dict.fromkeys(keys))
        derived: list[str] = []
        for key in keys:
            row = provision(key)
            if row is not None:
                derived.extend(row.crime_ids())
        derived = list(dict.fromkeys(derived))
        crime_ids = list(dict.fromkeys([*crimes.get(d.id, []), *derived]))
        groups = list(
            dict.fromkeys(c.group for cid in crime_ids if (c := crime_entry(cid)) is not None)
        )
        terrorism = bool(d.terrorism_concurrent) or "terrorism" in groups
        langs = sorted(set(languages.get(d.id, [])))
        paras = paragraphs.get(d.id, [])
        provision_labels = [p.label for k in keys if (p := provision(k)) is not None]
        court_entry = court_vocabulary_entry(d.court_id) if d.court_id else None
        court_names = [d.court, d.court_original, d.court_formation]
        if court_entry is not None:
            court_names.extend(court_entry.names)
        court_text = "\n".join(dict.fromkeys(n for n in court_names if n))
        meta_parts = [
            d.title,
            d.case_name,
            " ".join(d.also_known_as or []),
            d.case_number,
            d.ecli,
            d.defendant,
            d.situation,
            court_text,
            d.city,
            d.sentence,
            " ".join(str(k) for k in (d.keywords or [])),
        ]
        yield DecisionRecord(
            uid=d.uid,
            title=d.title,
            court=d.court,
            country=d.country,
            decision_date=d.decision_date,
            access=d.access,
            state=d.state,
            updated_at=d.updated_at,
            summary=d.summary,
            date_display=d.date_display,
            case_name=d.case_name,
            court_text=court_text,
            meta_text="\n".join(p for p in meta_parts if p),
            provision_text="\n".join([c for c, _ in cited] + provision_labels),
            facets={
                "country": [d.country] if d.country else [],
                # One value per court: its vocabulary id (a row older than the vocabulary whose
                # name matched no entry counts under that name).
                "court": [d.court_id or d.court] if (d.court_id or d.court) else [],
                "year": [str(d.decision_date.year)] if d.decision_date else [],
                "crime_group": groups,
                "crime": crime_ids,
                "provision": keys,
                "situation": [d.situation] if d.situation else [],
                "outcome": [d.outcome] if d.outcome else [],
                "instance": [d.instance] if d.instance else [],
                "language": langs,
                "terrorism": ["yes" if terrorism else "no"],
                # yes: a complete judgment; excerpt: only parts of it (e.g. the TAB texts)
                "has_text": ["no" if not paras else "yes" if d.id in complete else "excerpt"],
            },
            facet_base={"crime": derived},
            paragraphs=paras,
        )
