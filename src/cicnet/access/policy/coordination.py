"""Case coordination (``coordination`` app; docs/coordination.md) depends on the national
authorities the actor acts for. A case is read by its owning authority, by the authorities it
names in a share, and by the invitees of a closed session it is put before; persons of interest
(the names) only by the owner. A candidate hit is seen by the two authorities it concerns, and a
revealed record by the other side of that hit. Nobody else — not instance administrators, not a
network Secretariat — reads cases, persons or hits; the administrators and the Secretariats see
cross-check statistics (counts, never names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import Actor
from .networks import classifications_for

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cicnet.coordination.models import (
        AssistanceRequest,
        Case,
        CheckLogEntry,
        Hit,
        JointTeam,
        JointTeamAmendment,
        MeetingRequest,
        Question,
    )
    from cicnet.evidence.models import EvidenceItem
    from cicnet.network.models import Organisation

# Organisations that register cases: national authorities of member and observer States.
AUTHORITY_TYPES = frozenset({"national_authority", "observer_state_authority"})


def authority_ids(actor: Actor) -> frozenset[int]:
    """The national authorities the actor acts for through an active membership (read with
    its memberships, in the same query)."""
    return frozenset(pk for pk, kind in actor.organisations if kind in AUTHORITY_TYPES)


def authorities_of(actor: Actor, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """The authorities in ``queryset`` for which ``actor`` may register and manage cases."""
    return queryset.filter(pk__in=sorted(authority_ids(actor)))


def cases_visible(actor: Actor, queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Restrict a Case queryset to the cases ``actor`` may read (own, shared with one of its
    authorities, or on a closed session the actor is invited to while an active member of the
    session's network with closed-session rights: an invitation outlives a membership, the
    right to read does not; docs/decisions/0170)."""
    from django.db.models import Q

    own = sorted(authority_ids(actor))
    q = Q(organisation_id__in=own) | Q(shares__organisation_id__in=own)
    closed_ok = sorted(
        nid for nid in actor.network_ids if "closed_session" in classifications_for(actor, nid)
    )
    if actor.user_id is not None and not actor.is_anonymous and closed_ok:
        q |= Q(
            shares__session__kind="closed",
            shares__session__meeting__network_id__in=closed_ok,
            shares__session__participants__person__user_id=actor.user_id,
        )
    return queryset.filter(q).distinct()


def is_case_owner(actor: Actor, case: Case) -> bool:
    """The owner's members edit the case, add persons, share it, read its persons."""
    return case.organisation_id in authority_ids(actor)


def can_view_case_persons(actor: Actor, case: Case) -> bool:
    """Names never leave the owner, except through a reveal (``reveals_visible``)."""
    return is_case_owner(actor, case)


def hits_visible(actor: Actor, queryset: QuerySet[Hit]) -> QuerySet[Hit]:
    """The candidate hits of the actor's authorities (either side)."""
    from django.db.models import Q

    own = sorted(authority_ids(actor))
    return queryset.filter(Q(case_a__organisation_id__in=own) | Q(case_b__organisation_id__in=own))


def hit_side(actor: Actor, hit: Hit, *, org_a: int, org_b: int) -> str | None:
    """``a`` or ``b``: which side of ``hit`` the actor is on (None: neither)."""
    own = authority_ids(actor)
    if org_a in own:
        return "a"
    if org_b in own:
        return "b"
    return None


def can_reveal(side: str | None, already_revealed: bool) -> bool:
    """Each side reveals its own record once, by explicit action."""
    return side in ("a", "b") and not already_revealed


def check_log_visible(actor: Actor, queryset: QuerySet[CheckLogEntry]) -> QuerySet[CheckLogEntry]:
    return queryset.filter(organisation_id__in=sorted(authority_ids(actor)))


def can_view_crosscheck_statistics(actor: Actor) -> bool:
    """Instance administrators and network Secretariats: counts only, never names."""
    if actor.role == "admin":
        return True
    return any(role == "secretariat" for _, role in actor.memberships)


def can_use_coordination(actor: Actor) -> bool:
    """Whether the coordination pages have anything for the actor: the home page answers and
    the navigation shows its link (no query for an anonymous actor)."""
    if actor.is_anonymous:
        return False
    return can_view_crosscheck_statistics(actor) or bool(authority_ids(actor))


# Questions to the network (docs/coordination.md, "Questions").
PRACTITIONER_ROLES = frozenset({"national_contact_point", "observer_counterpart"})
_CLOSED_SESSION_ROLES = PRACTITIONER_ROLES | {"secretariat"}


def can_ask_question(actor: Actor, network_id: int) -> bool:
    """National contact points, observer counterparts and the Secretariat ask the network."""
    return bool(actor.network_roles(network_id) & _CLOSED_SESSION_ROLES)


def questions_visible(actor: Actor, queryset: QuerySet[Question]) -> QuerySet[Question]:
    """The questions ``actor`` reads: its organisations' own; every question of a network whose
    Secretariat it is; open or answered, those addressed to it as a practitioner (all, or its
    country); answered ones at the knowledge-base tier its role reaches."""
    from django.db.models import Q

    from cicnet.network.models import Membership

    q = Q(organisation_id__in=sorted(actor.organisation_ids))
    # The countries the actor answers for, per network: those of the organisations it acts for
    # there *as a practitioner* (not a civil-society organisation of the same country, not an
    # authority of another network; docs/decisions/0174).
    countries: dict[int, set[str]] = {}
    if actor.user_id is not None and not actor.is_anonymous:
        for network_id, country in (
            Membership.objects.filter(
                person__user_id=actor.user_id,
                is_active=True,
                role__in=sorted(PRACTITIONER_ROLES),
            )
            .exclude(organisation__country="")
            .values_list("network_id", "organisation__country")
        ):
            countries.setdefault(network_id, set()).add(country)
    for network_id in sorted(actor.network_ids):
        roles = actor.network_roles(network_id)
        in_net = Q(network_id=network_id)
        if "secretariat" in roles:
            q |= in_net
            continue
        answered = Q(answered_at__isnull=False)
        q |= in_net & answered & Q(kb_tier="network")
        if roles & PRACTITIONER_ROLES:
            q |= in_net & Q(audience="all")
            q |= in_net & answered & Q(kb_tier="closed_session")
            for country in sorted(countries.get(network_id, ())):
                q |= in_net & Q(audience="countries", countries__contains=f",{country},")
    return queryset.filter(q).distinct()


def can_answer(actor: Actor, question: Question) -> bool:
    """Whoever reads an open question as asker, addressee or Secretariat writes in its thread."""
    if question.answered_at is not None:
        return False
    return bool(actor.network_roles(question.network_id) & _CLOSED_SESSION_ROLES) or (
        question.organisation_id in actor.organisation_ids
    )


def can_mark_answered(actor: Actor, question: Question) -> bool:
    return question.answered_at is None and question.organisation_id in actor.organisation_ids


# Joint investigation teams: members only (docs/coordination.md, "Joint investigation teams").
JIT_MEMBER_TYPES = AUTHORITY_TYPES | {"secretariat", "observer_organisation"}


def jits_visible(actor: Actor, queryset: QuerySet[JointTeam]) -> QuerySet[JointTeam]:
    """The teams one of whose *active* member organisations the actor acts for — nobody else,
    not the instance administrators, not a Secretariat that is not a member, not a member that
    withdrew (from the moment its withdrawal is recorded), not an organisation proposed by an
    amendment that is not in force yet."""
    return queryset.filter(
        members__organisation_id__in=sorted(actor.organisation_ids),
        members__withdrawn_at__isnull=True,
    ).distinct()


# Who speaks for a member organisation in its team's changes of membership: a party's national
# contact points (or an observer State's counterparts), a participant's Secretariat members.
_JIT_CONTACT_ROLES = {"party": PRACTITIONER_ROLES, "participant": frozenset({"secretariat"})}


def jit_contact_point_for(actor: Actor, team: JointTeam) -> dict[int, str]:
    """The active member organisations of ``team`` the actor is a contact point of in the
    team's network, with their role in the team ('party' or 'participant'). One query for a
    member; none for an anonymous actor or one who acts for no member."""
    from cicnet.network.models import Membership

    if actor.is_anonymous or actor.user_id is None:
        return {}
    members = dict(
        team.members.filter(
            organisation_id__in=sorted(actor.organisation_ids), withdrawn_at__isnull=True
        ).values_list("organisation_id", "role")
    )
    if not members:
        return {}
    rows = Membership.objects.filter(
        person__user_id=actor.user_id,
        is_active=True,
        network_id=team.network_id,
        organisation_id__in=sorted(members),
    ).values_list("organisation_id", "role")
    return {
        org: members[org]
        for org, role in rows
        if org is not None and role in _JIT_CONTACT_ROLES.get(members[org], frozenset())
    }


def jit_parties_spoken_for(actor: Actor, team: JointTeam) -> list[int]:
    """The active *parties* of ``team`` (not participants) the actor is a contact point of:
    who proposes a new member and agrees to, or declines, an amendment."""
    return sorted(o for o, r in jit_contact_point_for(actor, team).items() if r == "party")


def can_propose_jit_member(actor: Actor, team: JointTeam) -> bool:
    """A party's contact point proposes an amendment adding an organisation."""
    return bool(jit_parties_spoken_for(actor, team))


def can_answer_jit_amendment(actor: Actor, amendment: JointTeamAmendment) -> bool:
    """A contact point of an active party that has not agreed yet agrees to, or declines, an
    amendment awaiting agreement."""
    if amendment.state != "proposed":
        return False
    agreed = set(amendment.consents.values_list("organisation_id", flat=True))
    return any(o not in agreed for o in jit_parties_spoken_for(actor, amendment.team))


def can_withdraw_from_jit(actor: Actor, team: JointTeam) -> bool:
    """A member withdraws by its own contact point (nobody withdraws another member)."""
    return bool(jit_contact_point_for(actor, team))


def can_create_jit(actor: Actor) -> bool:
    """National authorities create teams (with Eurojust as participant where it is)."""
    return bool(authority_ids(actor))


def can_use_jit_documents(actor: Actor, team: JointTeam) -> bool:
    """The shared document area of a team: its members' people only (a Secretariat when its
    organisation, e.g. Eurojust, is a participant member; never an instance administrator as
    such). ``team`` must come from ``jits_visible``; this re-checks membership."""
    if actor.is_anonymous:
        return False
    return team.members.filter(
        organisation_id__in=sorted(actor.organisation_ids), withdrawn_at__isnull=True
    ).exists()


def can_download_jit_item(member: bool, item: EvidenceItem) -> bool:
    """A member of a team downloads an item shared into it while the provider's handling code
    lets it go beyond the parties (checked again at every download)."""
    from .cooperation import item_may_leave_parties

    return member and item_may_leave_parties(item)


def can_share_into_jit(side: str | None, item: EvidenceItem) -> bool:
    """A party of a vault submission (its organisation or an addressed authority) shares an
    item into a team when the provider's handling code lets it go beyond the parties."""
    from .cooperation import item_may_leave_parties

    return side in ("cso", "authority") and item_may_leave_parties(item)


def requests_visible(
    actor: Actor, queryset: QuerySet[AssistanceRequest]
) -> QuerySet[AssistanceRequest]:
    """The two authorities of a request; the network's Secretariat when one of them shares it."""
    from django.db.models import Q

    own = sorted(authority_ids(actor))
    q = Q(from_organisation_id__in=own) | Q(to_organisation_id__in=own)
    secretariat = sorted(nid for nid, role in actor.memberships if role == "secretariat")
    if secretariat:
        q |= Q(network_id__in=secretariat, shared_with_secretariat=True)
    return queryset.filter(q)


def request_side(actor: Actor, request: AssistanceRequest) -> str | None:
    """``requesting``, ``requested`` or None (a Secretariat reads, never writes)."""
    own = authority_ids(actor)
    if request.from_organisation_id in own:
        return "requesting"
    if request.to_organisation_id in own:
        return "requested"
    return None


# Ad hoc coordination meetings (docs/coordination.md, "Coordination meetings").


def can_request_meeting(actor: Actor, network_id: int) -> bool:
    """A national authority's contact point (or an observer State's counterpart) asks the
    network's Secretariat for an ad hoc coordination meeting."""
    return bool(authority_ids(actor)) and bool(actor.network_roles(network_id) & PRACTITIONER_ROLES)


def can_receive_meeting_requests(actor: Actor) -> bool:
    """A network's Secretariat reads the requests of its network (no query)."""
    return any(role == "secretariat" for _, role in actor.memberships)


def meeting_requests_visible(
    actor: Actor, queryset: QuerySet[MeetingRequest]
) -> QuerySet[MeetingRequest]:
    """The requesting authority's people and the network's Secretariat; nobody else (the
    authorities concerned learn of the meeting through its closed-session invitation)."""
    from django.db.models import Q

    q = Q(requester_id__in=sorted(authority_ids(actor)))
    secretariat = sorted(nid for nid, role in actor.memberships if role == "secretariat")
    if secretariat:
        q |= Q(network_id__in=secretariat)
    return queryset.filter(q)


def can_decide_meeting_request(actor: Actor, request: MeetingRequest) -> bool:
    """The network's Secretariat accepts or declines a pending request, once."""
    return request.state == "requested" and "secretariat" in actor.network_roles(request.network_id)
