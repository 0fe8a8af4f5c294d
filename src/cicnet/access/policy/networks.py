"""Network material (``network`` app; docs/security.md) depends on the actor's *memberships*, not
on the instance-wide role: an administrator of the instance sees no more of a network than the
public unless they hold a membership in it.
- ``public``: everyone;
- ``network``: every active member of the document's network;
- ``closed_session``: national contact points and observer-State counterparts of that network,
  and its Secretariat;
- ``secretariat``: that network's Secretariat.
Contact details of a network's people: members of the same network except civil-society
representatives, and the person themselves.

Meetings have an *audience*: a ``network`` meeting is known to whoever may know of its network
(everyone for a public archive); an ``invitees`` meeting (an ad hoc coordination meeting on an
ongoing case) is known only to the invitees of any of its sessions who are active members of
the network, and to that network's Secretariat — not to other members, not to the public, not
to instance administrators. Its sessions, agenda items and documents follow it: each rule
below that reads through a meeting adds ``_meeting_audience_q``. Unknown audiences are treated
like ``invitees`` (deny by default).

docs/security.md has the whole picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import Actor

if TYPE_CHECKING:
    from django.db.models import Q, QuerySet

    from cicnet.network.models import AgendaItem, Document, Meeting, Membership, Network

# Meeting audiences anyone who may know of the network may know of (meeting_audiences.yaml).
OPEN_MEETING_AUDIENCES = ("network",)
NETWORK_ROLES = (
    "national_contact_point",
    "observer_counterpart",
    "associate_representative",
    "cso_representative",
    "secretariat",
)
CLASSIFICATIONS = ("public", "network", "closed_session", "secretariat")
# Classifications whose every view is written to the network's view log.
LOGGED_CLASSIFICATIONS = frozenset({"closed_session", "secretariat"})

_CLASSIFICATIONS_BY_NETWORK_ROLE: dict[str, frozenset[str]] = {
    "national_contact_point": frozenset({"public", "network", "closed_session"}),
    "observer_counterpart": frozenset({"public", "network", "closed_session"}),
    "associate_representative": frozenset({"public", "network"}),
    "cso_representative": frozenset({"public", "network"}),
    "secretariat": frozenset({"public", "network", "closed_session", "secretariat"}),
}
# Roles that see the contact details (personal data) of their network's people.
_SEES_PERSON_DETAILS = frozenset(
    {"national_contact_point", "observer_counterpart", "associate_representative", "secretariat"}
)
_PUBLIC = frozenset({"public"})


def classifications_for(actor: Actor, network_id: int | None) -> frozenset[str]:
    """The classifications of ``network_id``'s material that ``actor`` may see (always public;
    unknown roles add nothing)."""
    out: set[str] = set(_PUBLIC)
    for role in actor.network_roles(network_id):
        out |= _CLASSIFICATIONS_BY_NETWORK_ROLE.get(role, frozenset())
    return frozenset(out)


def is_network_member(actor: Actor, network_id: int | None) -> bool:
    return any(r in _CLASSIFICATIONS_BY_NETWORK_ROLE for r in actor.network_roles(network_id))


def network_visible(actor: Actor, network: Network) -> bool:
    """A network is shown to everyone when it is a public archive, else to its members only."""
    return bool(network.is_public_archive) or is_network_member(actor, network.pk)


def networks_visible(actor: Actor, queryset: QuerySet[Network]) -> QuerySet[Network]:
    """Restrict a Network queryset to the networks ``actor`` may know of."""
    from django.db.models import Q

    return queryset.filter(Q(is_public_archive=True) | Q(pk__in=sorted(_member_networks(actor))))


def _member_networks(actor: Actor) -> frozenset[int]:
    return frozenset(
        nid for nid, role in actor.memberships if role in _CLASSIFICATIONS_BY_NETWORK_ROLE
    )


def _secretariat_networks(actor: Actor) -> list[int]:
    return sorted(nid for nid, role in actor.memberships if role == "secretariat")


def _meeting_audience_q(actor: Actor, prefix: str = "") -> Q:
    """Q object on the meeting at ``prefix`` (``""`` for a Meeting, ``"meeting__"`` for its
    sessions, agenda items, documents): a meeting of an open audience, or an invitees-only
    meeting of a network whose Secretariat the actor is, or to one of whose sessions the actor
    is invited while an active member of its network. A subquery, not one more query."""
    from django.db.models import Q

    from cicnet.network.models import SessionParticipant

    q = Q(**{f"{prefix}audience__in": OPEN_MEETING_AUDIENCES})
    secretariat = _secretariat_networks(actor)
    if secretariat:
        q |= Q(**{f"{prefix}network_id__in": secretariat})
    members = sorted(_member_networks(actor))
    if actor.user_id is not None and members:
        invited = SessionParticipant.objects.filter(person__user_id=actor.user_id).values(
            "session__meeting_id"
        )
        q |= Q(**{f"{prefix}network_id__in": members, f"{prefix}pk__in": invited})
    return q


def meetings_visible(actor: Actor, queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings of the networks ``actor`` may know of (public archives and their own), less the
    invitees-only meetings the actor is neither invited to nor the Secretariat of."""
    from django.db.models import Q

    return queryset.filter(
        Q(network__is_public_archive=True) | Q(network_id__in=sorted(_member_networks(actor)))
    ).filter(_meeting_audience_q(actor))


def can_view_meeting(actor: Actor, meeting: Meeting) -> bool:
    """One meeting, by the rule of ``meetings_visible`` (one query for an invitees-only meeting
    and a member who is not its network's Secretariat; none otherwise)."""
    return network_visible(actor, meeting.network) and _audience_admits(actor, meeting)


def _audience_admits(actor: Actor, meeting: Meeting) -> bool:
    if meeting.audience in OPEN_MEETING_AUDIENCES:
        return True
    if "secretariat" in actor.network_roles(meeting.network_id):
        return True
    if actor.user_id is None or not is_network_member(actor, meeting.network_id):
        return False
    from cicnet.network.models import SessionParticipant

    return SessionParticipant.objects.filter(
        session__meeting_id=meeting.pk, person__user_id=actor.user_id
    ).exists()


def _classified_q(actor: Actor, prefix: str = "") -> Q:
    """Q object: rows whose (network, classification) the actor may see. Public rows are shown
    only in networks the actor may know of."""
    from django.db.models import Q

    q = Q(**{f"{prefix}classification": "public", f"{prefix}network__is_public_archive": True})
    for nid in sorted(_member_networks(actor)):
        q |= Q(
            **{
                f"{prefix}network_id": nid,
                f"{prefix}classification__in": sorted(classifications_for(actor, nid)),
            }
        )
    return q


def documents_visible(actor: Actor, queryset: QuerySet[Document]) -> QuerySet[Document]:
    """Restrict a Document queryset to what ``actor`` may see: by network and classification,
    and, for a meeting's document, only when the actor may know of that meeting."""
    from django.db.models import Q

    return queryset.filter(_classified_q(actor)).filter(
        Q(meeting__isnull=True) | _meeting_audience_q(actor, "meeting__")
    )


def can_view_document(actor: Actor, document: Document) -> bool:
    if not network_visible(actor, document.network):
        return False
    if document.classification not in classifications_for(actor, document.network_id):
        return False
    return document.meeting is None or _audience_admits(actor, document.meeting)


def agenda_items_visible(actor: Actor, queryset: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    """Restrict an AgendaItem queryset the same way as documents (through the meeting)."""
    from django.db.models import Q

    q = Q(classification="public", meeting__network__is_public_archive=True)
    for nid in sorted(_member_networks(actor)):
        q |= Q(meeting__network_id=nid, classification__in=sorted(classifications_for(actor, nid)))
    return queryset.filter(q).filter(_meeting_audience_q(actor, "meeting__"))


def audit_may_name_document(document: Document) -> bool:
    """Whether the audit log (read by the instance administrators, who see no more of a
    network than the public) may carry a document's title: a public document outside any
    invitees-only meeting."""
    if document.classification != "public":
        return False
    return document.meeting is None or document.meeting.audience in OPEN_MEETING_AUDIENCES


def must_log_view(document: Document) -> bool:
    """Every view of closed-session and Secretariat material goes to the view log."""
    return document.classification in LOGGED_CLASSIFICATIONS


def can_view_person_details(
    actor: Actor, *, network_id: int, person_user_id: int | None = None
) -> bool:
    """Contact details of a person in ``network_id``: members of that network except
    civil-society representatives, and the person themselves."""
    if person_user_id is not None and actor.user_id == person_user_id:
        return True
    return bool(actor.network_roles(network_id) & _SEES_PERSON_DETAILS)


def memberships_visible(actor: Actor, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
    """Restrict a Membership queryset to the people whose details ``actor`` may see."""
    from django.db.models import Q

    networks = sorted(nid for nid, role in actor.memberships if role in _SEES_PERSON_DETAILS)
    q = Q(network_id__in=networks)
    if actor.user_id is not None:
        q |= Q(person__user_id=actor.user_id)
    return queryset.filter(q)


def can_view_session_participants(actor: Actor, *, network_id: int, session_kind: str) -> bool:
    """Invitation lists and attendance: the open session's to those who see the network's
    people, the closed session's to those who may attend it."""
    if session_kind == "closed":
        return "closed_session" in classifications_for(actor, network_id)
    return can_view_person_details(actor, network_id=network_id)


def can_administer_network(actor: Actor, network_id: int | None) -> bool:
    """A network's Secretariat administers that network only."""
    return "secretariat" in actor.network_roles(network_id)


def can_view_document_log(actor: Actor, network_id: int | None) -> bool:
    return can_administer_network(actor, network_id)


def can_downgrade(actor: Actor, document: Document, to: str | None = None) -> bool:
    """Lower a document's classification: the Secretariat of its network only, and only
    downwards (``to`` strictly below the current classification, when given)."""
    if not can_administer_network(actor, document.network_id):
        return False
    current = _rank(document.classification)
    if current <= 0:
        return False
    return to is None or 0 <= _rank(to) < current


def _rank(classification: str) -> int:
    return CLASSIFICATIONS.index(classification) if classification in CLASSIFICATIONS else -1
