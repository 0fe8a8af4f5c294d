"""The one place that decides who sees and does what. Deny by default.

Every selector, view, API endpoint, search query and export asks this module. An ``Actor`` is
built once per request from the logged-in user (or the API token) and passed explicitly into
selectors and services as ``actor=``.

Decisions:
- anonymous: published decisions of the ``public`` tier;
- member: published decisions of the ``public`` and ``network`` tiers;
- curator (Secretariat) and admin: every decision, every tier, every publication state.
Only curators and admins curate; only admins read the audit log.

Network material (``network`` app; docs/security.md) depends on the actor's *memberships*, not
on the instance-wide role: an administrator of the instance sees no more of a network than the
public unless they hold a membership in it.
- ``public``: everyone;
- ``network``: every active member of the document's network;
- ``closed_session``: national contact points and observer-State counterparts of that network,
  and its Secretariat;
- ``secretariat``: that network's Secretariat.
Contact details of a network's people: members of the same network except civil-society
representatives, and the person themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

ROLES = ("anonymous", "member", "curator", "admin")

_TIERS_BY_ROLE: dict[str, frozenset[str]] = {
    "anonymous": frozenset({"public"}),
    "member": frozenset({"public", "network"}),
    "curator": frozenset({"public", "network", "secretariat"}),
    "admin": frozenset({"public", "network", "secretariat"}),
}
_SEES_UNPUBLISHED = frozenset({"curator", "admin"})
_CURATORS = frozenset({"curator", "admin"})


@dataclass(frozen=True)
class Actor:
    """Who is asking: a role and, for logged-in users, their id."""

    role: str
    user_id: int | None = None
    username: str = ""
    # (network id, network role) of every active membership. ``None`` means "not read yet":
    # ``memberships`` reads them on first use (one query per actor, and none on paths that never
    # ask, such as the jurisprudence pages). Not part of equality: it is derived from user_id.
    network_memberships: frozenset[tuple[int, str]] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def is_anonymous(self) -> bool:
        return self.role == "anonymous"

    @property
    def memberships(self) -> frozenset[tuple[int, str]]:
        if self.network_memberships is None:
            loaded = (
                _memberships_of(self.user_id)
                if self.user_id is not None
                and self.role in _TIERS_BY_ROLE
                and self.role != "anonymous"
                else frozenset()
            )
            # A cache on a frozen dataclass: set once, never changed afterwards.
            object.__setattr__(self, "network_memberships", loaded)
            return loaded
        return self.network_memberships

    def network_roles(self, network_id: int | None) -> frozenset[str]:
        """The actor's roles in one network (empty when not a member)."""
        return frozenset(role for nid, role in self.memberships if nid == network_id)

    @property
    def network_ids(self) -> frozenset[int]:
        return frozenset(nid for nid, _ in self.memberships)


ANONYMOUS = Actor(role="anonymous")


def actor_for(user: Any) -> Actor:
    """Build the actor for a Django user (anonymous, inactive or unknown roles get nothing more
    than the public)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    role = getattr(user, "role", "")
    if role not in _TIERS_BY_ROLE or role == "anonymous":
        return Actor(role="anonymous", user_id=user.pk, username=user.get_username())
    return Actor(role=role, user_id=user.pk, username=user.get_username())


def _memberships_of(user_id: int) -> frozenset[tuple[int, str]]:
    """The active (network id, role) pairs of a user: one query per actor."""
    # Imported here: the policy module is imported by every app, including the network app.
    from cicnet.network.models import Membership

    rows = Membership.objects.filter(person__user_id=user_id, is_active=True).values_list(
        "network_id", "role"
    )
    return frozenset((int(nid), str(role)) for nid, role in rows)


@dataclass(frozen=True)
class DecisionScope:
    """What part of the decision collection an actor may see, for databases and search indexes."""

    tiers: frozenset[str]
    published_only: bool


def decision_scope(actor: Actor) -> DecisionScope:
    """The tiers and states visible to ``actor`` (unknown roles see nothing)."""
    tiers = _TIERS_BY_ROLE.get(actor.role, frozenset())
    return DecisionScope(tiers=tiers, published_only=actor.role not in _SEES_UNPUBLISHED)


def decisions_visible(actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Restrict a Decision queryset to what ``actor`` may see."""
    scope = decision_scope(actor)
    qs = queryset.filter(access__in=sorted(scope.tiers))
    if scope.published_only:
        qs = qs.filter(state="published")
    return qs


def can_view_decision(actor: Actor, decision: Any) -> bool:
    scope = decision_scope(actor)
    if decision.access not in scope.tiers:
        return False
    return not (scope.published_only and decision.state != "published")


def can_read_original(actor: Actor) -> bool:
    """Read the original, un-anonymised text (and download the source file): the Secretariat.
    Every other tier reads the anonymised text (``anonymisation.selectors.text_for``)."""
    return actor.role in _CURATORS


def can_review_anonymisation(actor: Actor) -> bool:
    """Use the anonymisation workbench (see and decide every suggested span, sign off): the
    Secretariat, who alone may read the original text."""
    return actor.role in _CURATORS and can_read_original(actor)


def can_curate(actor: Actor) -> bool:
    """Edit metadata, change publication state, ingest, reindex."""
    return actor.role in _CURATORS


def can_view_audit_log(actor: Actor) -> bool:
    return actor.role == "admin"


def can_use_api_token(actor: Actor) -> bool:
    """Members and above may hold API tokens."""
    return actor.role in {"member", "curator", "admin"}


def can_view_pipeline_runs(actor: Actor) -> bool:
    return actor.role in _CURATORS


# --- networks (docs/security.md) ------------------------------------------------------------

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


def network_visible(actor: Actor, network: Any) -> bool:
    """A network is shown to everyone when it is a public archive, else to its members only."""
    return bool(network.is_public_archive) or is_network_member(actor, network.pk)


def networks_visible(actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Restrict a Network queryset to the networks ``actor`` may know of."""
    from django.db.models import Q

    return queryset.filter(Q(is_public_archive=True) | Q(pk__in=sorted(_member_networks(actor))))


def _member_networks(actor: Actor) -> frozenset[int]:
    return frozenset(
        nid for nid, role in actor.memberships if role in _CLASSIFICATIONS_BY_NETWORK_ROLE
    )


def meetings_visible(actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Meetings of the networks ``actor`` may know of (public archives and their own)."""
    from django.db.models import Q

    return queryset.filter(
        Q(network__is_public_archive=True) | Q(network_id__in=sorted(_member_networks(actor)))
    )


def can_view_meeting(actor: Actor, meeting: Any) -> bool:
    return network_visible(actor, meeting.network)


def _classified_q(actor: Actor, prefix: str = "") -> Any:
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


def documents_visible(actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Restrict a Document queryset to what ``actor`` may see: by network and classification."""
    return queryset.filter(_classified_q(actor))


def can_view_document(actor: Actor, document: Any) -> bool:
    if not network_visible(actor, document.network):
        return False
    return document.classification in classifications_for(actor, document.network_id)


def agenda_items_visible(actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Restrict an AgendaItem queryset the same way as documents (through the meeting)."""
    from django.db.models import Q

    q = Q(classification="public", meeting__network__is_public_archive=True)
    for nid in sorted(_member_networks(actor)):
        q |= Q(meeting__network_id=nid, classification__in=sorted(classifications_for(actor, nid)))
    return queryset.filter(q)


def must_log_view(document: Any) -> bool:
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


def memberships_visible(actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
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


def can_downgrade(actor: Actor, document: Any, to: str | None = None) -> bool:
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
