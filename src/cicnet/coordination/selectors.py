"""Reads of case coordination, each through ``access/policy/coordination.py``.

A case the actor may not read, or a hit not of its authorities, is ``None`` (the page answers
404 exactly as for a missing one). The other side of a hit is described by its case id and
authority only, until that side reveals its record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cicnet.access import policy
from cicnet.coordination.linkage import BANDS
from cicnet.coordination.models import Case, CasePerson, CheckLogEntry, Hit, Reveal
from cicnet.network.models import Meeting, Organisation, Session


def authorities_for(*, actor: policy.Actor) -> QuerySet[Organisation]:
    """The authorities the actor registers cases for."""
    return policy.authorities_of(actor, Organisation.objects.order_by("name"))


def cases_for(*, actor: policy.Actor) -> QuerySet[Case]:
    """Every case the actor may read: its authorities' own, then those shared with it."""
    return policy.cases_visible(actor, Case.objects.select_related("organisation")).order_by(
        "-created_at"
    )


@dataclass(frozen=True)
class CaseView:
    case: Case
    is_owner: bool
    persons: list[CasePerson]  # empty unless the owner reads
    shares: list[str]  # where the owner shared it (owner only)


def case_get(*, actor: policy.Actor, uid: str) -> CaseView | None:
    case = cases_for(actor=actor).filter(uid=uid).first()
    if case is None:
        return None
    owner = policy.is_case_owner(actor, case)
    persons = list(case.persons.all()) if policy.can_view_case_persons(actor, case) else []
    shares = (
        [
            s.organisation.name
            if s.organisation is not None
            else f"closed session of meeting {s.session.meeting.number}"  # type: ignore[union-attr]  # one of the two is set (constraint)
            for s in case.shares.select_related("organisation", "session__meeting")
        ]
        if owner
        else []
    )
    return CaseView(case=case, is_owner=owner, persons=persons, shares=shares)


def share_targets(*, actor: policy.Actor, case: Case) -> tuple[list[Organisation], list[Session]]:
    """Authorities and closed sessions of the case's network the owner may share with."""
    if not policy.is_case_owner(actor, case):
        return [], []
    orgs = list(
        Organisation.objects.filter(
            network_id=case.network_id, org_type__in=sorted(policy.AUTHORITY_TYPES)
        )
        .exclude(pk=case.organisation_id)
        .order_by("name")
    )
    # Only closed sessions the owner may know of (not an invitees-only meeting of others).
    sessions = list(
        policy.sessions_visible(
            actor, Session.objects.filter(kind="closed", meeting__network_id=case.network_id)
        )
        .select_related("meeting")
        .order_by("-meeting__start_date")[:20]
    )
    return orgs, sessions


@dataclass(frozen=True)
class HitRow:
    """A hit as one side reads it."""

    hit: Hit
    side: str
    my_case: Case
    my_person: CasePerson | None
    other_case_uid: str
    other_authority: str
    i_revealed: bool
    their_reveal: dict[str, object] | None


def _rows(actor: policy.Actor, hits: QuerySet[Hit]) -> list[HitRow]:
    hits = hits.select_related(
        "case_a__organisation", "case_b__organisation", "person_a", "person_b"
    )
    reveals: dict[tuple[int, int], Reveal] = {
        (r.hit_id, r.organisation_id): r for r in Reveal.objects.filter(hit__in=hits)
    }
    rows: list[HitRow] = []
    for hit in hits:
        side = policy.hit_side(
            actor, hit, org_a=hit.case_a.organisation_id, org_b=hit.case_b.organisation_id
        )
        if side is None:
            continue
        mine, person, other = (
            (hit.case_a, hit.person_a, hit.case_b)
            if side == "a"
            else (hit.case_b, hit.person_b, hit.case_a)
        )
        theirs = reveals.get((hit.pk, other.organisation_id))
        rows.append(
            HitRow(
                hit=hit,
                side=side,
                my_case=mine,
                my_person=person,
                other_case_uid=other.uid,
                other_authority=other.organisation.name,
                i_revealed=(hit.pk, mine.organisation_id) in reveals,
                their_reveal=theirs.snapshot if theirs is not None else None,
            )
        )
    return rows


def hits_for(*, actor: policy.Actor) -> list[HitRow]:
    """The actor's hits, strongest band first (a weak hit can score above a possible one:
    docs/coordination.md), then by score."""
    rows = _rows(actor, policy.hits_visible(actor, Hit.objects.all()))
    rank = {band: i for i, band in enumerate(BANDS)}
    return sorted(rows, key=lambda row: rank.get(row.hit.band, len(rank)))


def hit_get(*, actor: policy.Actor, uid: str) -> HitRow | None:
    rows = _rows(actor, policy.hits_visible(actor, Hit.objects.filter(uid=uid)))
    return rows[0] if rows else None


def hit_for_write(*, actor: policy.Actor, uid: str) -> Hit | None:
    return policy.hits_visible(actor, Hit.objects.filter(uid=uid)).first()


def check_log_for(*, actor: policy.Actor, limit: int = 200) -> list[CheckLogEntry]:
    return list(
        policy.check_log_visible(
            actor, CheckLogEntry.objects.select_related("case", "organisation")
        )[:limit]
    )


@dataclass(frozen=True)
class Statistics:
    """Counts only: what the administrators and the Secretariats see."""

    cases: int
    persons: int
    checks: int
    hits_by_band: dict[str, int]
    hits_by_kind: dict[str, int]
    reveals: int
    authorities_with_cases: int


def statistics(*, actor: policy.Actor) -> Statistics | None:
    if not policy.can_view_crosscheck_statistics(actor):
        return None
    networks = (
        None
        if actor.role == "admin"
        else sorted(nid for nid, role in actor.memberships if role == "secretariat")
    )
    cases = Case.objects.all() if networks is None else Case.objects.filter(network_id__in=networks)
    hits = Hit.objects.filter(case_a__in=cases)
    bands = {r["band"]: r["n"] for r in hits.values("band").annotate(n=Count("pk"))}
    kinds = {r["kind"]: r["n"] for r in hits.values("kind").annotate(n=Count("pk"))}
    return Statistics(
        cases=cases.count(),
        persons=CasePerson.objects.filter(case__in=cases).count(),
        checks=CheckLogEntry.objects.filter(event="check", case__in=cases).count(),
        hits_by_band=bands,
        hits_by_kind=kinds,
        reveals=Reveal.objects.filter(hit__in=hits).count(),
        authorities_with_cases=cases.aggregate(n=Count("organisation", distinct=True))["n"],
    )


def closed_session_cases(*, actor: policy.Actor, session: Session) -> list[Case]:
    """Case summaries put before a closed session, for its invitees (agenda of the session)."""
    return list(
        cases_for(actor=actor).filter(
            Q(shares__session=session) & Q(shares__session__kind="closed")
        )
    )


def meeting_session_cases(*, actor: policy.Actor, meeting: Meeting) -> list[tuple[int, Case]]:
    """(closed session id, case) for the case summaries put before the meeting's closed
    sessions that the actor may read (their invitees, and the owners)."""
    rows: list[tuple[int, Case]] = []
    for session in meeting.sessions.filter(kind="closed"):
        rows.extend((session.pk, c) for c in closed_session_cases(actor=actor, session=session))
    return rows
