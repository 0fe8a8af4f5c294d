"""How a joint investigation team's membership changes over its life (Eurojust's JIT model
agreement): an organisation is **added by an amendment** agreed by every party, and a member
**withdraws** by its own contact point. Docs: docs/coordination.md ("Parties join and leave"),
docs/decisions/0185.

- A party's contact point proposes an organisation (from the same candidates as at creation)
  with the amendment's date and a note; the proposer's party agrees by proposing. Each other
  active party's contact point agrees once, or declines (the proposal then closes). When the
  last party agrees, the organisation becomes a member at that moment and sees the whole
  space, earlier documents and items included (the amendment gives access to the JIT's file);
  every item shared into the team gets a "shared" entry in its custody log naming it.
- A withdrawal ends the access of the member's people at once (``withdrawn_at``: every page,
  download and e-mail goes through ``policy.jits_visible`` or the active-member checks); the
  row stays, with its date and reason, as the team's history; what it shared stays with its
  custody log. A team keeps two or more parties: the withdrawal that would leave one is refused.
- Every proposal, agreement, decline, addition and withdrawal is audited with ids and counts
  only (the administrators read the audit log and see no team: decisions 0171 and 0174) and
  e-mailed, on commit, to the contact points of the active parties: a link, no names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cicnet.access import policy
from cicnet.audit.services import audit_record
from cicnet.coordination.jit_acting import acting_organisation
from cicnet.coordination.jits import MAX_MEMBERS, member_candidates
from cicnet.coordination.models import (
    JointTeam,
    JointTeamAmendment,
    JointTeamConsent,
    JointTeamMember,
)
from cicnet.coordination.services import CoordinationDenied, CoordinationInputError
from cicnet.coordination.uids import public_uid
from cicnet.evidence.custody_log import custody_append
from cicnet.network.models import Membership, Organisation

MIN_PARTIES = 2


def _active(team: JointTeam) -> list[JointTeamMember]:
    return list(team.members.filter(withdrawn_at__isnull=True).select_related("organisation"))


def _active_party_ids(team: JointTeam) -> set[int]:
    return {m.organisation_id for m in _active(team) if m.role == "party"}


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def addition_candidates(*, actor: policy.Actor, team: JointTeam) -> QuerySet[Organisation]:
    """What a party's contact point may propose: the candidates of team creation in the team's
    network, less the active members and those already proposed."""
    if not policy.can_propose_jit_member(actor, team):
        raise CoordinationDenied("not a contact point of a party of this team")
    taken = {m.organisation_id for m in _active(team)} | set(
        team.amendments.filter(state="proposed").values_list("organisation_id", flat=True)
    )
    return (
        member_candidates(actor=actor)
        .filter(network_id=team.network_id)
        .exclude(pk__in=sorted(taken))
    )


@dataclass(frozen=True)
class AmendmentRow:
    amendment: JointTeamAmendment
    agreed: list[str]
    waiting: list[str]
    can_answer: bool


def team_amendments(*, actor: policy.Actor, team: JointTeam) -> list[AmendmentRow]:
    """The team's amendments (all states) with who agreed and who is awaited, for a member."""
    if policy.jits_visible(actor, JointTeam.objects.filter(pk=team.pk)).first() is None:
        raise CoordinationDenied("not a member of this team")
    spoken_for = set(policy.jit_parties_spoken_for(actor, team))
    parties = {m.organisation_id: m.organisation.name for m in _active(team) if m.role == "party"}
    rows = []
    for amendment in team.amendments.select_related(
        "organisation", "proposed_by", "declined_by"
    ).prefetch_related("consents__organisation"):
        consents = list(amendment.consents.all())
        agreed_ids = {c.organisation_id for c in consents}
        waiting = (
            sorted(name for pk, name in parties.items() if pk not in agreed_ids)
            if amendment.state == "proposed"
            else []
        )
        rows.append(
            AmendmentRow(
                amendment=amendment,
                agreed=[c.organisation.name for c in consents],
                waiting=waiting,
                can_answer=amendment.state == "proposed" and bool(spoken_for - agreed_ids),
            )
        )
    return rows


def amendment_get(*, actor: policy.Actor, team: JointTeam, uid: str) -> JointTeamAmendment | None:
    """An amendment of a team the actor is an active member of (``team`` from ``jit_get``)."""
    if policy.jits_visible(actor, JointTeam.objects.filter(pk=team.pk)).first() is None:
        return None
    return team.amendments.select_related("team", "organisation").filter(uid=uid).first()


@transaction.atomic
def member_propose(
    *,
    actor: policy.Actor,
    team: JointTeam,
    organisation_id: int,
    dated: dt.date,
    note: str,
    acting_for: int | None = None,
) -> JointTeamAmendment:
    """A party's contact point proposes adding an organisation; the proposer's party agrees by
    proposing. With every party agreed already (never the case: two or more parties, and the
    others must agree) it would take effect at once. ``acting_for``: the party proposing, for
    a contact point of more than one (``jit_acting``)."""
    proposer = acting_organisation(
        actor=actor, team=team, organisation_id=acting_for, parties_only=True
    ).pk
    candidates = {
        o.pk: o for o in member_candidates(actor=actor).filter(network_id=team.network_id)
    }
    organisation = candidates.get(organisation_id)
    if organisation is None:
        raise CoordinationInputError(
            "Authority: pick a national authority (or Eurojust) of the team's network from the "
            "list.",
            field="organisation",
        )
    active = _active(team)
    if any(m.organisation_id == organisation_id for m in active):
        raise CoordinationInputError(
            f"Authority: {organisation.name} is already a member of the team.",
            field="organisation",
        )
    pending = team.amendments.filter(state="proposed", organisation_id=organisation_id).first()
    if pending is not None:
        raise CoordinationInputError(
            f"Authority: the amendment {pending.uid} adding {organisation.name} awaits the "
            "parties' agreement already; agree to it on the team page.",
            field="organisation",
        )
    if len(active) >= MAX_MEMBERS:
        raise CoordinationInputError(
            f"Authority: a team has at most {MAX_MEMBERS} members.", field="organisation"
        )
    if dated < team.agreement_signed_on:
        raise CoordinationInputError(
            "Amendment date: it cannot come before the agreement was signed "
            f"({_long(team.agreement_signed_on)}).",
            field="dated",
        )
    if dated > team.agreement_expires_on:
        raise CoordinationInputError(
            "Amendment date: it cannot come after the agreement ends "
            f"({_long(team.agreement_expires_on)}); record an extension first.",
            field="dated",
        )
    amendment = JointTeamAmendment.objects.create(
        uid=public_uid("AMD"),
        team=team,
        organisation=organisation,
        role="party" if organisation.org_type in policy.AUTHORITY_TYPES else "participant",
        dated=dated,
        note=note.strip()[:300],
        proposed_by_id=proposer,
        proposed_by_user_id=actor.user_id,
    )
    JointTeamConsent.objects.create(
        amendment=amendment, organisation_id=proposer, user_id=actor.user_id
    )
    parties = _active_party_ids(team)
    audit_record(
        actor=actor,
        action="coordination.jit_member_propose",
        object_type="coordination.jit",
        object_id=team.uid,
        # Counts and ids only: the administrators who read the log see no team, nor which
        # organisation is proposed (docs/decisions/0171, 0185).
        changes={"amendment": amendment.uid, "agreed": 1, "parties": len(parties)},
    )
    # The proposing party has agreed by proposing: its contact points are told what was
    # proposed, the others that it awaits their agreement.
    _notify(
        team,
        parties - {proposer},
        "An amendment to a joint investigation team awaits your agreement",
        f"A party of joint investigation team {team.uid} proposes to add a member by an "
        "amendment. It takes effect when every party has agreed. Read it and agree or "
        "decline (log in first):",
    )
    _notify(
        team,
        parties & {proposer},
        "Your authority proposed an amendment to a joint investigation team",
        f"Your authority proposed to add a member to joint investigation team {team.uid} by "
        f"amendment {amendment.uid}, and agreed to it by proposing. It takes effect when every "
        "other party has agreed. Read it (log in first):",
    )
    _bring_into_force(actor=actor, amendment=amendment)
    return amendment


def _open_amendment(amendment: JointTeamAmendment) -> JointTeamAmendment:
    """The amendment locked for the answer being recorded; refused once it no longer awaits
    agreement (another party answered first, or it came into force)."""
    locked = JointTeamAmendment.objects.select_for_update().get(pk=amendment.pk)
    if locked.state != "proposed":
        raise CoordinationInputError(
            f"Amendment: {locked.uid} no longer awaits agreement ({locked.get_state_display()}).",
            field="amendment",
        )
    return locked


@transaction.atomic
def amendment_agree(
    *, actor: policy.Actor, amendment: JointTeamAmendment, acting_for: int | None = None
) -> bool:
    """One party's agreement, by its contact point (``acting_for``: which party, for a contact
    point of more than one); True when it brought the amendment into force (the organisation
    is a member from now on)."""
    team = amendment.team
    amendment = _open_amendment(amendment)
    agreed = set(amendment.consents.values_list("organisation_id", flat=True))
    party = acting_organisation(
        actor=actor, team=team, organisation_id=acting_for, parties_only=True
    )
    if party.pk in agreed:
        raise CoordinationInputError(
            f"Amendment: {party.name} has agreed to {amendment.uid} already.",
            field="amendment",
        )
    JointTeamConsent.objects.create(
        amendment=amendment, organisation_id=party.pk, user_id=actor.user_id
    )
    parties = _active_party_ids(team)
    audit_record(
        actor=actor,
        action="coordination.jit_member_agree",
        object_type="coordination.jit",
        object_id=team.uid,
        changes={
            "amendment": amendment.uid,
            "agreed": len(agreed) + 1,
            "parties": len(parties),
        },
    )
    if _bring_into_force(actor=actor, amendment=amendment):
        return True
    _notify(
        team,
        parties,
        "A party agreed to an amendment of a joint investigation team",
        f"A party of joint investigation team {team.uid} agreed to amendment {amendment.uid}; "
        "it awaits the agreement of other parties. Read it (log in first):",
    )
    return False


@transaction.atomic
def amendment_decline(
    *, actor: policy.Actor, amendment: JointTeamAmendment, acting_for: int | None = None
) -> None:
    """A party that has not agreed declines: an amendment needs every party, so it closes.
    The proposer's party withdraws its own proposal the same way. ``acting_for``: which party,
    for a contact point of more than one."""
    team = amendment.team
    amendment = _open_amendment(amendment)
    party = acting_organisation(
        actor=actor, team=team, organisation_id=acting_for, parties_only=True
    )
    agreed = set(amendment.consents.values_list("organisation_id", flat=True))
    # A party that agreed cannot decline, except the proposer taking its proposal back.
    if party.pk in agreed and party.pk != amendment.proposed_by_id:
        raise CoordinationInputError(
            f"Amendment: {party.name} has agreed to {amendment.uid} already.",
            field="amendment",
        )
    amendment.state = "declined"
    amendment.declined_by_id = party.pk
    amendment.closed_at = timezone.now()
    amendment.save(update_fields=["state", "declined_by", "closed_at"])
    parties = _active_party_ids(team)
    audit_record(
        actor=actor,
        action="coordination.jit_member_decline",
        object_type="coordination.jit",
        object_id=team.uid,
        changes={"amendment": amendment.uid},
    )
    _notify(
        team,
        parties,
        "An amendment of a joint investigation team was declined",
        f"A party of joint investigation team {team.uid} declined amendment {amendment.uid}; "
        "the member it proposed is not added. Read it (log in first):",
    )


def _bring_into_force(*, actor: policy.Actor, amendment: JointTeamAmendment) -> bool:
    """Add the organisation when every active party has agreed (inside the caller's
    transaction); True when it did."""
    team = amendment.team
    agreed = set(amendment.consents.values_list("organisation_id", flat=True))
    if amendment.state != "proposed" or not _active_party_ids(team) <= agreed:
        return False
    now = timezone.now()
    JointTeamMember.objects.create(
        team=team,
        organisation=amendment.organisation,
        role=amendment.role,
        joined_on=amendment.dated,
        amendment=amendment,
    )
    amendment.state = "in_force"
    amendment.closed_at = now
    amendment.save(update_fields=["state", "closed_at"])
    members = _active(team)
    # The new member reads every item already shared into the team: its custody log says so
    # (the provider's handling code let each item go beyond the parties; decision 0185).
    for shared in team.items.select_related("item"):
        custody_append(
            item=shared.item,
            action="shared",
            actor=actor.username,
            organisation=amendment.organisation.name,
            purpose=(
                f"joint investigation team {team.uid}: {amendment.organisation.name} added by "
                f"amendment {amendment.uid}"
            ),
            details={
                "jit": team.uid,
                "amendment": amendment.uid,
                "added": amendment.organisation.name,
                "members": sorted(m.organisation.name for m in members),
            },
        )
    audit_record(
        actor=actor,
        action="coordination.jit_member_add",
        object_type="coordination.jit",
        object_id=team.uid,
        changes={"amendment": amendment.uid, "members": len(members)},
    )
    _notify(
        team,
        {m.organisation_id for m in members if m.role == "party"} | {amendment.organisation_id},
        "A joint investigation team has a new member",
        f"Amendment {amendment.uid} to joint investigation team {team.uid} is in force: every "
        "party agreed, and the new member reads the team's space from now on. Open it (log in "
        "first):",
    )
    return True


@transaction.atomic
def member_withdraw(
    *,
    actor: policy.Actor,
    team: JointTeam,
    withdrawn_on: dt.date,
    reason: str,
    acting_for: int | None = None,
) -> JointTeamMember:
    """The actor's own member organisation leaves the team: its people lose access now.
    ``acting_for``: which member, for a contact point of more than one."""
    org_id = acting_organisation(
        actor=actor, team=team, organisation_id=acting_for, parties_only=False
    ).pk
    member = (
        JointTeamMember.objects.select_for_update()
        .select_related("organisation")
        .get(team=team, organisation_id=org_id, withdrawn_at__isnull=True)
    )
    if not reason.strip():
        raise CoordinationInputError(
            "Reason: say why your authority withdraws (the other parties read it).",
            field="reason",
        )
    start = member.joined_on or team.agreement_signed_on
    if withdrawn_on < start:
        raise CoordinationInputError(
            f"Date: a withdrawal cannot come before {member.organisation.name} became a "
            f"member ({_long(start)}).",
            field="withdrawn_on",
        )
    if withdrawn_on > timezone.localdate():
        raise CoordinationInputError(
            "Date: record a withdrawal when it takes effect (today or earlier); your people "
            "lose access to the space as soon as it is recorded.",
            field="withdrawn_on",
        )
    parties = _active_party_ids(team)
    if member.role == "party" and len(parties) - 1 < MIN_PARTIES:
        raise CoordinationInputError(
            f"Parties: a joint investigation team keeps {MIN_PARTIES} or more national "
            f"authorities, and {team.uid} has {len(parties)}. A withdrawal would leave one: "
            "the parties end the team by terminating the agreement instead.",
            field="parties",
        )
    member.withdrawn_on = withdrawn_on
    member.withdrawn_at = timezone.now()
    member.withdrawal_reason = reason.strip()[:500]
    member.withdrawn_by_id = actor.user_id
    member.save(update_fields=["withdrawn_on", "withdrawn_at", "withdrawal_reason", "withdrawn_by"])
    remaining = _active(team)
    audit_record(
        actor=actor,
        action="coordination.jit_member_withdraw",
        object_type="coordination.jit",
        object_id=team.uid,
        # No reason, no organisation: the member count only (decisions 0171, 0185).
        changes={"members": len(remaining)},
    )
    # Its pending proposals lapse; the others may now have every remaining party's agreement.
    for amendment in team.amendments.filter(state="proposed"):
        if amendment.proposed_by_id == org_id:
            amendment.state = "lapsed"
            amendment.closed_at = timezone.now()
            amendment.save(update_fields=["state", "closed_at"])
        else:
            _bring_into_force(actor=actor, amendment=amendment)
    _notify(
        team,
        {m.organisation_id for m in remaining if m.role == "party"},
        "A member withdrew from a joint investigation team",
        f"A member withdrew from joint investigation team {team.uid}; its people no longer "
        "read the team's space. What it shared stays. Read the team's history (log in first):",
    )
    return member


def _notify(team: JointTeam, organisation_ids: set[int], subject: str, lead: str) -> None:
    """E-mail, on commit and one message per person, the contact points (national contact
    points, observer counterparts) of ``organisation_ids`` in the team's network: a link to the
    team and no names, reasons or notes (the page shows them after login, to members only)."""
    rows = Membership.objects.filter(
        network_id=team.network_id,
        organisation_id__in=sorted(organisation_ids),
        role__in=sorted(policy.PRACTITIONER_ROLES),
        is_active=True,
    ).select_related("person__user")
    emails: set[str] = set()
    for m in rows:
        user = m.person.user
        if user is not None and not user.is_active:
            continue
        email = (user.email if user is not None else "") or m.person.email
        if email:
            emails.add(email)
    base = str(getattr(settings, "CICNET_BASE_URL", "")).rstrip("/")
    url = f"{base}/coordination/jits/{team.uid}/"
    messages = tuple(
        (subject, f"{lead}\n{url}\n", settings.DEFAULT_FROM_EMAIL, [email])
        for email in sorted(emails)
    )
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages))
