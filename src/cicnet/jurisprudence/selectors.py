"""Reads on decisions. Every function takes the actor and goes through the policy module."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision, Paragraph, Text


def decisions_for(*, actor: policy.Actor) -> QuerySet[Decision]:
    """All decisions ``actor`` may see (the base of every other read)."""
    return policy.decisions_visible(actor, Decision.objects.all())


def decision_get(*, actor: policy.Actor, uid: str, with_texts: bool = True) -> Decision | None:
    """One decision by uid, or ``None`` when it does not exist *or* the actor may not see it
    (callers answer 404 either way, so hidden decisions are not revealed)."""
    qs = decisions_for(actor=actor).select_related("proceedings").prefetch_related("crimes", "provisions")
    if with_texts:
        qs = qs.prefetch_related(
            Prefetch("texts", queryset=Text.objects.prefetch_related(
                Prefetch("paragraphs", queryset=Paragraph.objects.order_by("number"))
            ))
        )
    return qs.filter(uid=uid).first()


def proceedings_siblings(*, actor: policy.Actor, decision: Decision) -> list[Decision]:
    """The other decisions of the same proceedings that ``actor`` may see, oldest first."""
    if not decision.proceedings_id:
        return []
    return list(
        decisions_for(actor=actor)
        .filter(proceedings_id=decision.proceedings_id)
        .exclude(pk=decision.pk)
        .order_by("decision_date", "uid")
    )
