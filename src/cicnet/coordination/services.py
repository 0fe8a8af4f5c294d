"""Writes of case coordination: register a case, add a person of interest, share a case
summary, reveal one's record after a hit. Each checks the policy, validates every field (a
``CoordinationInputError`` names it), writes in one transaction with its cross-check, its check
log entries and an audit entry (never a name in either)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.coordination import crosscheck
from cicnet.coordination.models import Case, CasePerson, CaseShare, CheckLogEntry, Hit, Reveal
from cicnet.coordination.names import has_usable_name
from cicnet.errors import ActionDenied, UserInputError
from cicnet.evidence.services import new_uid
from cicnet.law.crimes import crimes
from cicnet.network.models import Organisation, Session
from cicnet.vocabularies import vocabulary

MAX_NAMES = 20
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class CoordinationDenied(ActionDenied):
    """The policy does not allow this action (answered as 404)."""


class CoordinationInputError(UserInputError):
    """Bad input; the message names the field and what to do, ``field`` too."""


@dataclass(frozen=True)
class CaseData:
    organisation_id: int
    reference: str
    situation: str
    crimes: list[str]
    period_start: int | None
    period_end: int | None
    places: str
    stage: str
    jit_sought: bool
    witness_count: int
    evidence_categories: list[str]


@dataclass(frozen=True)
class PersonData:
    names: list[str]
    birth_date: dt.date | None
    birth_year: int | None
    nationality: str
    role: str
    unit: str


def _validate_case(data: CaseData) -> None:
    if not data.reference.strip():
        raise CoordinationInputError(
            "Reference: give your authority's internal reference of the case.", field="reference"
        )
    if not data.situation.strip():
        raise CoordinationInputError(
            "Situation: say which situation is investigated (country, place, events).",
            field="situation",
        )
    known = crimes()
    unknown = [c for c in data.crimes if c not in known]
    if unknown:
        raise CoordinationInputError(
            f"Crimes: {', '.join(unknown)} is not in the crimes vocabulary; pick from the list.",
            field="crimes",
        )
    if data.stage not in vocabulary("coordination", "case_stages"):
        raise CoordinationInputError("Stage: pick one of the stages listed.", field="stage")
    for field, year in (("period_start", data.period_start), ("period_end", data.period_end)):
        if year is not None and not 1900 <= year <= dt.date.today().year:
            raise CoordinationInputError(
                f"Period: {year} is not a year between 1900 and this year.", field=field
            )
    if data.period_start and data.period_end and data.period_start > data.period_end:
        raise CoordinationInputError(
            "Period: the last year comes before the first; swap them.", field="period_end"
        )
    bad = [
        c
        for c in data.evidence_categories
        if c not in vocabulary("coordination", "evidence_categories")
    ]
    if bad:
        raise CoordinationInputError(
            f"Evidence held: {', '.join(bad)} is not a category; pick from the list.",
            field="evidence_categories",
        )


@transaction.atomic
def case_register(*, actor: policy.Actor, data: CaseData) -> Case:
    """Register a case for one of the actor's authorities, and cross-check its situation."""
    organisation = (
        policy.authorities_of(actor, Organisation.objects.all())
        .filter(pk=data.organisation_id)
        .first()
    )
    if organisation is None:
        raise CoordinationInputError(
            "Authority: pick an authority you act for.", field="organisation"
        )
    _validate_case(data)
    if Case.objects.filter(organisation=organisation, reference=data.reference.strip()).exists():
        raise CoordinationInputError(
            "Reference: your authority already registered a case with this reference.",
            field="reference",
        )
    case = Case.objects.create(
        uid=new_uid("CC"),
        network_id=organisation.network_id,
        organisation=organisation,
        reference=data.reference.strip(),
        situation=data.situation.strip(),
        crimes=sorted(set(data.crimes)),
        period_start=data.period_start,
        period_end=data.period_end,
        places=data.places.strip(),
        stage=data.stage,
        jit_sought=data.jit_sought,
        witness_count=data.witness_count,
        evidence_categories=sorted(set(data.evidence_categories)),
        created_by_id=actor.user_id,
    )
    case.situation_encoding = crosscheck.encode_situation(
        case, crosscheck.network_key(organisation.network)
    )
    case.save(update_fields=["situation_encoding"])
    audit_record(
        actor=actor,
        action="coordination.case_register",
        object_type="coordination.case",
        object_id=case.uid,
        # The audit log is read by the instance administrators, who read no case summary
        # (docs/decisions/0174): the case id and who, not its crimes or stage.
        changes={},
    )
    crosscheck.check_situation(actor=actor, case=case)
    return case


def _validate_person(data: PersonData) -> PersonData:
    names = [n.strip() for n in data.names if n.strip()]
    if len(names) > MAX_NAMES:
        raise CoordinationInputError(
            f"Names: at most {MAX_NAMES} spellings; keep the ones in use.", field="names"
        )
    if names and not has_usable_name(names):
        raise CoordinationInputError(
            "Names: none of these spellings has letters that can be compared; write the name.",
            field="names",
        )
    birth_year = data.birth_year
    if data.birth_date is not None:
        if data.birth_date > dt.date.today():
            raise CoordinationInputError(
                "Date of birth: it lies in the future.", field="birth_date"
            )
        if birth_year is not None and birth_year != data.birth_date.year:
            raise CoordinationInputError(
                "Year of birth: it differs from the date of birth; leave one of them.",
                field="birth_year",
            )
        birth_year = data.birth_date.year
    if birth_year is not None and not 1900 <= birth_year <= dt.date.today().year:
        raise CoordinationInputError(
            f"Year of birth: {birth_year} is not a year between 1900 and this year.",
            field="birth_year",
        )
    if not names and birth_year is None:
        raise CoordinationInputError(
            "Names: a person needs at least a name or a year of birth; give one of them.",
            field="names",
        )
    nationality = data.nationality.strip().upper()
    if nationality and not _COUNTRY.match(nationality):
        raise CoordinationInputError(
            "Nationality: give the two-letter ISO country code (SY, IQ, RU …).",
            field="nationality",
        )
    if data.role not in vocabulary("coordination", "person_roles"):
        raise CoordinationInputError("Role: pick one of the roles listed.", field="role")
    return PersonData(
        names=names,
        birth_date=data.birth_date,
        birth_year=birth_year,
        nationality=nationality,
        role=data.role,
        unit=data.unit.strip(),
    )


@transaction.atomic
def person_add(
    *, actor: policy.Actor, case: Case, data: PersonData
) -> tuple[CasePerson, list[Hit]]:
    """Add a person of interest to the actor's own case, encode it and cross-check it."""
    if not policy.is_case_owner(actor, case):
        raise CoordinationDenied("not your authority's case")
    clean = _validate_person(data)
    person = CasePerson.objects.create(
        case=case,
        names=clean.names,
        birth_date=clean.birth_date,
        birth_year=clean.birth_year,
        nationality=clean.nationality,
        role=clean.role,
        unit=clean.unit,
    )
    person.encoding = crosscheck.encode_person(person, crosscheck.network_key(case.network))
    person.save(update_fields=["encoding"])
    audit_record(
        actor=actor,
        action="coordination.person_add",
        object_type="coordination.case",
        object_id=case.uid,
        changes={"person": person.pk},  # not the person's role: persons are the owner's
    )
    if not clean.names:
        return person, []  # a birth year alone is kept for the owner, never matched on
    return person, crosscheck.check_person(actor=actor, person=person)


@transaction.atomic
def case_share(
    *,
    actor: policy.Actor,
    case: Case,
    organisation_id: int | None = None,
    session_id: int | None = None,
) -> CaseShare:
    """Share the case summary (never its persons) with a named authority of the network or put
    it before a closed session of one of the network's meetings (its invitees only)."""
    if not policy.is_case_owner(actor, case):
        raise CoordinationDenied("not your authority's case")
    if (organisation_id is None) == (session_id is None):
        raise CoordinationInputError(
            "Share with: pick one authority or one closed session.", field="organisation"
        )
    if organisation_id is not None:
        target = Organisation.objects.filter(
            pk=organisation_id,
            network_id=case.network_id,
            org_type__in=sorted(policy.AUTHORITY_TYPES),
        ).exclude(pk=case.organisation_id)
        if not target.exists():
            raise CoordinationInputError(
                "Share with: pick another national authority of the network.",
                field="organisation",
            )
        share, _ = CaseShare.objects.get_or_create(
            case=case, organisation_id=organisation_id, defaults={"created_by_id": actor.user_id}
        )
    else:
        assert session_id is not None  # exactly one of the two is given (checked above)
        session = policy.sessions_visible(
            actor,
            Session.objects.filter(
                pk=session_id, kind="closed", meeting__network_id=case.network_id
            ),
        ).first()
        if session is None:
            raise CoordinationInputError(
                "Share with: pick a closed session of one of the network's meetings.",
                field="session",
            )
        share, _ = CaseShare.objects.get_or_create(
            case=case, session=session, defaults={"created_by_id": actor.user_id}
        )
    audit_record(
        actor=actor,
        action="coordination.case_share",
        object_type="coordination.case",
        object_id=case.uid,
        # with an authority or a session, not which: the administrators do not learn who
        # exchanges cases with whom (as for meeting requests and teams)
        changes={"with": "authority" if organisation_id is not None else "closed session"},
    )
    return share


def _snapshot(case: Case, person: CasePerson | None) -> dict[str, object]:
    data: dict[str, object] = {
        "case": {
            "uid": case.uid,
            "authority": case.organisation.name,
            "reference": case.reference,
            "situation": case.situation,
            "places": case.places,
            "crimes": list(case.crimes),
            "period": [case.period_start, case.period_end],
            "stage": case.stage,
            "jit_sought": case.jit_sought,
        }
    }
    if person is not None:
        data["person"] = {
            "names": list(person.names),
            "birth_date": person.birth_date.isoformat() if person.birth_date else "",
            "birth_year": person.birth_year,
            "nationality": person.nationality,
            "role": person.role,
            "unit": person.unit,
        }
    return data


@transaction.atomic
def hit_reveal(*, actor: policy.Actor, hit: Hit) -> Reveal:
    """Show the actor's side of ``hit`` (its case summary and person record, as they are now)
    to the other side. Once revealed, the snapshot stays with the other side."""
    # Lock the hit row alone (PostgreSQL refuses FOR UPDATE across the nullable person joins).
    hit = (
        Hit.objects.select_for_update(of=("self",))
        .select_related("case_a__organisation", "case_b__organisation", "person_a", "person_b")
        .get(pk=hit.pk)
    )
    side = policy.hit_side(
        actor, hit, org_a=hit.case_a.organisation_id, org_b=hit.case_b.organisation_id
    )
    if side is None:
        raise CoordinationDenied("not a hit of your authority")
    case, person, other = (
        (hit.case_a, hit.person_a, hit.case_b)
        if side == "a"
        else (hit.case_b, hit.person_b, hit.case_a)
    )
    already = Reveal.objects.filter(hit=hit, organisation_id=case.organisation_id).exists()
    if not policy.can_reveal(side, already):
        raise CoordinationInputError("Reveal: your record was already revealed for this hit.")
    reveal = Reveal.objects.create(
        hit=hit,
        organisation_id=case.organisation_id,
        snapshot=_snapshot(case, person),
        revealed_by_id=actor.user_id,
    )
    label = actor.username or actor.role
    CheckLogEntry.objects.create(
        organisation_id=case.organisation_id,
        event="reveal",
        case=case,
        hit=hit,
        detail={"to": other.organisation.name},
        actor_label=label,
    )
    CheckLogEntry.objects.create(
        organisation_id=other.organisation_id,
        event="revealed_to_you",
        case=other,
        hit=hit,
        detail={"by": case.organisation.name},
        actor_label=label,
    )
    audit_record(
        actor=actor,
        action="coordination.reveal",
        object_type="coordination.hit",
        object_id=hit.uid,
        changes={"case": case.uid},  # not the other case: the pair is the hit itself
    )
    return reveal
