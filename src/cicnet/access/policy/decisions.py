"""Decisions:
- anonymous: published decisions of the ``public`` tier;
- member: published decisions of the ``public`` and ``network`` tiers;
- curator (Secretariat) and admin: every decision, every tier, every publication state.
Only curators and admins curate; only admins read the whole audit log, and whoever curates reads
one decision's entries in it.
The Secretariat of a network that keeps the decision collection (``CICNET_DECISION_NETWORKS``,
the Genocide Network by default) is a curator of the decisions whatever its instance-wide role:
the network calls that person its Secretariat, and the curator role is the Secretariat's
(docs/decisions/0098). Decisions belong to the collection, not to one network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .actors import _CURATORS, _SEES_UNPUBLISHED, _TIERS_BY_ROLE, Actor

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cicnet.jurisprudence.models import Decision


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


def decisions_visible(actor: Actor, queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    """Restrict a Decision queryset to what ``actor`` may see."""
    scope = decision_scope(actor)
    qs = queryset.filter(access__in=sorted(scope.tiers))
    if scope.published_only:
        qs = qs.filter(state="published")
    return qs


def can_view_decision(actor: Actor, decision: Decision) -> bool:
    return tier_and_state_visible(actor, access=decision.access, state=decision.state)


def tier_and_state_visible(actor: Actor, *, access: str, state: str) -> bool:
    """Whether decisions of this tier and publication state are visible to ``actor``: the rule
    of ``decisions_visible`` for counts grouped by tier and state (statistics)."""
    scope = decision_scope(actor)
    if access not in scope.tiers:
        return False
    return not (scope.published_only and state != "published")


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
