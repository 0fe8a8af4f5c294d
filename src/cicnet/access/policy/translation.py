"""The translation workflow (docs/translation.md). Deny by default:

- a **translator** writes translations in the workspace and asks an engine for a machine draft;
- a **reviewer** does the same and approves translated paragraphs, never their own (four eyes);
- both roles open something only for a person who may read the original, un-anonymised texts
  (the Secretariat: ``can_read_original``); a role held by anyone else opens nothing;
- whoever **curates** opens translation jobs, uploads translations to align, corrects
  alignments, publishes, and grants the two roles; curators read the workspace too;
- everyone else (members, anonymous visitors, unknown roles) sees no part of it (404).

Everything read in the workspace (jobs, suggestions of the translation memory) is restricted
to the decisions the actor may see (``decisions_visible``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import Actor
from .decisions import can_curate, can_read_original, decisions_visible

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cicnet.jurisprudence.models import Decision
    from cicnet.translation.models import Alignment, Segment, TranslationJob

TRANSLATION_ROLES = ("translator", "reviewer")


def _holds(actor: Actor, role: str) -> bool:
    return can_read_original(actor) and role in actor.translation_roles


def can_translate(actor: Actor) -> bool:
    """Write translations and request machine drafts: translators and reviewers."""
    return _holds(actor, "translator") or _holds(actor, "reviewer")


def can_review_translations(actor: Actor) -> bool:
    """Approve translated paragraphs (not one's own: ``can_review_segment``)."""
    return _holds(actor, "reviewer")


def can_review_segment(actor: Actor, segment: Segment) -> bool:
    """Approve this paragraph: a reviewer who did not translate it, once it is translated."""
    return (
        can_review_translations(actor)
        and segment.status == "translated"
        and segment.translated_by_id is not None
        and segment.translated_by_id != actor.user_id
    )


def can_manage_translations(actor: Actor) -> bool:
    """Open jobs, upload and correct alignments, publish, grant translation roles."""
    return can_curate(actor) and can_read_original(actor)


def can_use_workspace(actor: Actor) -> bool:
    """See the translation pages at all."""
    return can_translate(actor) or can_manage_translations(actor)


def translation_decisions_visible(actor: Actor, queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    """The decisions whose translations ``actor`` may work on: none without the workspace."""
    if not can_use_workspace(actor):
        return queryset.none()
    return decisions_visible(actor, queryset)


def translation_jobs_visible(
    actor: Actor, queryset: QuerySet[TranslationJob]
) -> QuerySet[TranslationJob]:
    """Jobs of decisions the actor may see, for those who use the workspace; else none."""
    if not can_use_workspace(actor):
        return queryset.none()
    from cicnet.jurisprudence.models import Decision

    return queryset.filter(decision__in=decisions_visible(actor, Decision.objects.all()))


def alignments_visible(actor: Actor, queryset: QuerySet[Alignment]) -> QuerySet[Alignment]:
    """Alignments are the curators' (they decide what is published); nobody else sees them."""
    if not can_manage_translations(actor):
        return queryset.none()
    from cicnet.jurisprudence.models import Decision

    return queryset.filter(decision__in=decisions_visible(actor, Decision.objects.all()))
