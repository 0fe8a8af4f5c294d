"""The one place that decides who sees and does what. Deny by default.

Every selector, view, API endpoint, search query and export asks this module. An ``Actor`` is
built once per request from the logged-in user (or the API token) and passed explicitly into
selectors and services as ``actor=``.

Decisions:
- anonymous: published decisions of the ``public`` tier;
- member: published decisions of the ``public`` and ``network`` tiers;
- curator (Secretariat) and admin: every decision, every tier, every publication state.
Only curators and admins curate; only admins read the whole audit log, and whoever curates reads
one decision's entries in it.
The Secretariat of a network that keeps the decision collection (``CICNET_DECISION_NETWORKS``,
the Genocide Network by default) is a curator of the decisions whatever its instance-wide role:
the network calls that person its Secretariat, and the curator role is the Secretariat's
(docs/decisions/0098). Decisions belong to the collection, not to one network.

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

Secure cooperation (``evidence`` app; docs/evidence.md) depends on the organisations the actor
acts for. A submission is read by the members of the submitting civil-society organisation (the
``cso`` side) and, once submitted, by the members of the addressed authorities (the
``authority`` side; each sees only its own referral and message thread). Nobody else reads it —
not instance administrators, not a network Secretariat — unless a party shares it with a
network's Secretariat, which then reads the submission and only the items whose handling code
allows onward sharing, never the message threads. Every page of the vault needs a session
verified with the second factor, demo accounts included.
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

    # Ids of the organisations the actor acts for (active memberships): read on first use.
    organisation_memberships: frozenset[int] | None = field(default=None, compare=False, repr=False)

    # Whether the actor is the active Secretariat of a network that keeps the decision
    # collection (settings.CICNET_DECISION_NETWORKS): read on first use, for members only.
    collection_secretariat: bool | None = field(default=None, compare=False, repr=False)

    @property
    def is_collection_secretariat(self) -> bool:
        """The actor is the Secretariat of a network that keeps the decision collection."""
        if self.collection_secretariat is None:
            loaded = (
                _is_collection_secretariat(self.user_id)
                if self.user_id is not None and self.role == "member"
                else False
            )
            object.__setattr__(self, "collection_secretariat", loaded)
            return loaded
        return self.collection_secretariat

    @property
    def organisation_ids(self) -> frozenset[int]:
        """The organisations the actor acts for through an active membership."""
        if self.organisation_memberships is None:
            loaded = (
                _organisations_of(self.user_id)
                if self.user_id is not None
                and self.role in _TIERS_BY_ROLE
                and self.role != "anonymous"
                else frozenset()
            )
            object.__setattr__(self, "organisation_memberships", loaded)
            return loaded
        return self.organisation_memberships

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


def _organisations_of(user_id: int) -> frozenset[int]:
    from cicnet.network.models import Membership

    rows = Membership.objects.filter(person__user_id=user_id, is_active=True).values_list(
        "organisation_id", flat=True
    )
    return frozenset(int(o) for o in rows)


def _is_collection_secretariat(user_id: int) -> bool:
    """One query: an active Secretariat membership in a network named by
    ``CICNET_DECISION_NETWORKS``."""
    from django.conf import settings

    from cicnet.network.models import Membership

    slugs = list(settings.CICNET_DECISION_NETWORKS)
    if not slugs:
        return False
    return Membership.objects.filter(
        person__user_id=user_id, is_active=True, role="secretariat", network__slug__in=slugs
    ).exists()


def decision_role(actor: Actor) -> str:
    """The actor's role for the decision collection: their instance-wide role, or ``curator``
    for the Secretariat of a network that keeps the collection."""
    if actor.role == "member" and actor.is_collection_secretariat:
        return "curator"
    return actor.role


@dataclass(frozen=True)
class DecisionScope:
    """What part of the decision collection an actor may see, for databases and search indexes."""

    tiers: frozenset[str]
    published_only: bool


def decision_scope(actor: Actor) -> DecisionScope:
    """The tiers and states visible to ``actor`` (unknown roles see nothing)."""
    role = decision_role(actor)
    tiers = _TIERS_BY_ROLE.get(role, frozenset())
    return DecisionScope(tiers=tiers, published_only=role not in _SEES_UNPUBLISHED)


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
    return decision_role(actor) in _CURATORS


def can_review_anonymisation(actor: Actor) -> bool:
    """Use the anonymisation workbench (see and decide every suggested span, sign off): the
    Secretariat, who alone may read the original text."""
    return decision_role(actor) in _CURATORS and can_read_original(actor)


def can_curate(actor: Actor) -> bool:
    """Edit metadata, change publication state, ingest, reindex."""
    return decision_role(actor) in _CURATORS


def can_view_audit_log(actor: Actor) -> bool:
    """The whole audit log, every object: administrators."""
    return actor.role == "admin"


def can_view_audit_entries(actor: Actor, *, object_type: str, object_id: str) -> bool:
    """The audit entries of one object: administrators for any; whoever curates for one
    decision (the history the edit page links to). Nothing else without a named object."""
    if can_view_audit_log(actor):
        return True
    return object_type == "decision" and bool(object_id) and can_curate(actor)


def can_use_api_token(actor: Actor) -> bool:
    """Members and above may hold API tokens."""
    return actor.role in {"member", "curator", "admin"}


def can_view_pipeline_runs(actor: Actor) -> bool:
    return decision_role(actor) in _CURATORS


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


# --- secure cooperation (docs/evidence.md) -------------------------------------------------

# Handling codes whose items may not leave the parties: no forwarding, no export to a third
# party, no share with a Secretariat (evidence/vocab/handling_codes.yaml).
NO_ONWARD_SHARING = frozenset({"no_onward_sharing", "no_court_use_no_onward_sharing"})
SIDES = ("cso", "authority", "secretariat")

# (side, from, to) transitions of a referral's state. The organisation answers a request for
# more information (back to assessment) or withdraws (closed); the authority does the rest.
_REFERRAL_TRANSITIONS: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("authority", "submitted", "acknowledged"),
        ("authority", "acknowledged", "under_assessment"),
        ("authority", "under_assessment", "more_information_requested"),
        ("authority", "more_information_requested", "under_assessment"),
        ("cso", "more_information_requested", "under_assessment"),
    }
    | {("authority", s, "closed") for s in ("submitted", "acknowledged", "under_assessment")}
    | {("authority", "more_information_requested", "closed")}
    | {
        ("cso", s, "closed")
        for s in ("submitted", "acknowledged", "under_assessment", "more_information_requested")
    }
)


def vault_needs_verified_session() -> bool:
    """The vault asks for a second-factor-verified session from every role; the demo exemption
    does not apply here. Only the test settings (``CICNET_REQUIRE_2FA=False``) switch it off."""
    from django.conf import settings

    return bool(settings.CICNET_REQUIRE_2FA)


def _secretariat_networks(actor: Actor) -> list[int]:
    return sorted(nid for nid, role in actor.memberships if role == "secretariat")


def submissions_visible(actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Restrict a Submission queryset to the submissions ``actor`` may read."""
    from django.db.models import Q

    orgs = sorted(actor.organisation_ids)
    q = Q(submitting_organisation_id__in=orgs) | Q(
        state="submitted", referrals__organisation_id__in=orgs
    )
    networks = _secretariat_networks(actor)
    if networks:
        q |= Q(state="submitted", shares__network_id__in=networks, shares__revoked_at__isnull=True)
    return queryset.filter(q).distinct()


def submission_side(
    actor: Actor,
    submission: Any,
    *,
    referral_org_ids: frozenset[int],
    shared_network_ids: frozenset[int],
) -> str | None:
    """How ``actor`` reads ``submission``: ``cso``, ``authority``, ``secretariat`` (through an
    active share) or ``None`` (not at all). ``referral_org_ids``: the addressed authorities;
    ``shared_network_ids``: networks whose Secretariat it is actively shared with."""
    orgs = actor.organisation_ids
    if submission.submitting_organisation_id in orgs:
        return "cso"
    if submission.state != "submitted":
        return None
    if orgs & referral_org_ids:
        return "authority"
    if shared_network_ids & frozenset(_secretariat_networks(actor)):
        return "secretariat"
    return None


def referrals_visible_to(actor: Actor, side: str | None, referrals: list[Any]) -> list[Any]:
    """The referrals (state and thread) a side sees: the organisation all of them, an
    authority its own, the Secretariat none."""
    if side == "cso":
        return list(referrals)
    if side == "authority":
        return [r for r in referrals if r.organisation_id in actor.organisation_ids]
    return []


def item_may_leave_parties(item: Any) -> bool:
    """Whether the provider's handling code lets the item go beyond the parties."""
    return item.handling_code not in NO_ONWARD_SHARING


def items_visible_to(side: str | None, items: list[Any]) -> list[Any]:
    """The parties read every item; a Secretariat only the items that may leave the parties."""
    if side in ("cso", "authority"):
        return list(items)
    if side == "secretariat":
        return [i for i in items if item_may_leave_parties(i)]
    return []


def can_edit_submission(side: str | None, submission: Any) -> bool:
    """The organisation edits its submission (and its addressees) until it is sent."""
    return side == "cso" and submission.state == "draft"


def can_add_items(side: str | None, submission: Any, open_referrals: int) -> bool:
    """The organisation adds items to a draft, or while a referral is open (answering a
    request for more information); an addressed authority adds derived items (working copies,
    redactions) while its referral is open."""
    if side == "cso":
        return submission.state == "draft" or open_referrals > 0
    return side == "authority" and open_referrals > 0


def can_transition_referral(side: str | None, current: str, to: str) -> bool:
    return side is not None and (side, current, to) in _REFERRAL_TRANSITIONS


def can_write_message(side: str | None, referral_state: str) -> bool:
    return side in ("cso", "authority") and referral_state != "closed"


def can_share_submission(side: str | None, submission: Any) -> bool:
    """A party (the organisation or an addressed authority) may let a network's Secretariat
    read a submitted submission."""
    return side in ("cso", "authority") and submission.state == "submitted"


def can_export_items(side: str | None) -> bool:
    """Signed packages are made by the parties only (each item's handling code is checked on
    top when the package goes to a third party)."""
    return side in ("cso", "authority")


def can_download_item(side: str | None, item: Any) -> bool:
    return item in items_visible_to(side, [item])
