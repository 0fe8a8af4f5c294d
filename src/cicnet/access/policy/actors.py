"""Who is asking: the ``Actor`` of a request, its instance-wide role and its network memberships
(read once, on first use)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

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

    # (organisation id, organisation type) of the organisations the actor acts for through an
    # active membership: read with the memberships, in the same query.
    organisation_kinds: frozenset[tuple[int, str]] | None = field(
        default=None, compare=False, repr=False
    )

    # Whether the actor is the active Secretariat of a network that keeps the decision
    # collection (settings.CICNET_DECISION_NETWORKS): read on first use, for members only.
    collection_secretariat: bool | None = field(default=None, compare=False, repr=False)

    # The actor's roles in the translation workflow ("translator", "reviewer"): read on first
    # use (one query per actor, none on paths that never ask).
    translation_role_set: frozenset[str] | None = field(default=None, compare=False, repr=False)

    @property
    def translation_roles(self) -> frozenset[str]:
        """The actor's translation roles (empty for anonymous actors and unknown roles)."""
        if self.translation_role_set is None:
            loaded = (
                _translation_roles_of(self.user_id)
                if self.user_id is not None
                and self.role in _TIERS_BY_ROLE
                and self.role != "anonymous"
                else frozenset()
            )
            object.__setattr__(self, "translation_role_set", loaded)
            return loaded
        return self.translation_role_set

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

    def _load_memberships(self) -> None:
        """Read the active memberships once (one query): the networks with their roles and the
        organisations with their types. Only what is still unread is set: a cache on a frozen
        dataclass, set once and never changed afterwards."""
        if self.user_id is not None and self.role in _TIERS_BY_ROLE and self.role != "anonymous":
            networks, organisations = _memberships_of(self.user_id)
        else:
            networks, organisations = frozenset(), frozenset()
        if self.network_memberships is None:
            object.__setattr__(self, "network_memberships", networks)
        if self.organisation_kinds is None:
            object.__setattr__(self, "organisation_kinds", organisations)

    @property
    def organisations(self) -> frozenset[tuple[int, str]]:
        """(id, type) of the organisations the actor acts for through an active membership."""
        if self.organisation_kinds is None:
            self._load_memberships()
        assert self.organisation_kinds is not None  # set by _load_memberships
        return self.organisation_kinds

    @property
    def organisation_ids(self) -> frozenset[int]:
        """The organisations the actor acts for through an active membership."""
        return frozenset(pk for pk, _ in self.organisations)

    @property
    def is_anonymous(self) -> bool:
        return self.role == "anonymous"

    @property
    def memberships(self) -> frozenset[tuple[int, str]]:
        if self.network_memberships is None:
            self._load_memberships()
        assert self.network_memberships is not None  # set by _load_memberships
        return self.network_memberships

    def network_roles(self, network_id: int | None) -> frozenset[str]:
        """The actor's roles in one network (empty when not a member)."""
        return frozenset(role for nid, role in self.memberships if nid == network_id)

    @property
    def network_ids(self) -> frozenset[int]:
        return frozenset(nid for nid, _ in self.memberships)


ANONYMOUS = Actor(role="anonymous")


def actor_for(user: AbstractBaseUser | AnonymousUser | None) -> Actor:
    """Build the actor for a Django user (anonymous, inactive or unknown roles get nothing more
    than the public)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    role = getattr(user, "role", "")
    if role not in _TIERS_BY_ROLE or role == "anonymous":
        return Actor(role="anonymous", user_id=user.pk, username=user.get_username())
    return Actor(role=role, user_id=user.pk, username=user.get_username())


def _memberships_of(
    user_id: int,
) -> tuple[frozenset[tuple[int, str]], frozenset[tuple[int, str]]]:
    """A user's active memberships, one query per actor: the (network id, role) pairs and the
    (organisation id, organisation type) pairs."""
    # Imported here: the policy module is imported by every app, including the network app.
    from cicnet.network.models import Membership

    rows = list(
        Membership.objects.filter(person__user_id=user_id, is_active=True).values_list(
            "network_id", "role", "organisation_id", "organisation__org_type"
        )
    )
    networks = frozenset((int(nid), str(role)) for nid, role, _, _ in rows)
    organisations = frozenset(
        (int(org), str(kind or "")) for _, _, org, kind in rows if org is not None
    )
    return networks, organisations


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


def _translation_roles_of(user_id: int) -> frozenset[str]:
    """One query: the user's roles in the translation workflow."""
    from cicnet.translation.models import TranslatorRole

    rows = TranslatorRole.objects.filter(user_id=user_id).values_list("role", flat=True)
    return frozenset(str(r) for r in rows)
