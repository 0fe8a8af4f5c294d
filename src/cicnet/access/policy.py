"""The one place that decides who sees and does what. Deny by default.

Every selector, view, API endpoint, search query and export asks this module. An ``Actor`` is
built once per request from the logged-in user (or the API token) and passed explicitly into
selectors and services as ``actor=``.

Decisions:
- anonymous: published decisions of the ``public`` tier;
- member: published decisions of the ``public`` and ``network`` tiers;
- curator (Secretariat) and admin: every decision, every tier, every publication state.
Only curators and admins curate; only admins read the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def is_anonymous(self) -> bool:
        return self.role == "anonymous"


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
