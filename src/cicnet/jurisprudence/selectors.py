"""Reads on decisions. Every function takes the actor and goes through the policy module."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.db.models.query import ModelIterable

from cicnet.access import policy
from cicnet.jurisprudence.models import (
    Decision,
    DecisionVersion,
    Paragraph,
    Text,
    completeness_label,
)
from cicnet.search.labels import facet_label
from cicnet.vocabularies import vocabulary


class MaskedDecisions(QuerySet[Decision]):
    """Decisions whose own fields (title, defendant, summary, keywords) come out masked with
    the names the anonymiser masks in their text (``anonymisation.headings``), for readers
    below the Secretariat. Masking happens when rows are fetched, whether the queryset is
    listed, sliced, paginated or iterated, so no channel built on ``decisions_for`` can skip it;
    ``values()`` rows are not Decision objects and are not used for display."""

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()  # Django's private hook, stable since 1.x
        if fresh and self._iterable_class is ModelIterable:
            from cicnet.anonymisation.headings import mask_decisions

            mask_decisions(self._result_cache or [])

    def iterator(self, chunk_size: int | None = None) -> Iterator[Decision]:
        from cicnet.anonymisation.headings import mask_decisions

        batch: list[Decision] = []
        for row in super().iterator(chunk_size=chunk_size or 2000):
            batch.append(row)
            if len(batch) >= 500:
                mask_decisions(batch)
                yield from batch
                batch = []
        mask_decisions(batch)
        yield from batch


def decisions_for(*, actor: policy.Actor) -> QuerySet[Decision]:
    """All decisions ``actor`` may see (the base of every other read), masked for readers who
    may not read originals (``MaskedDecisions``)."""
    qs = policy.decisions_visible(actor, Decision.objects.all())
    if policy.can_read_original(actor):
        return qs
    return MaskedDecisions(model=Decision, query=qs.query.chain(), using=qs.db)


def decision_get(*, actor: policy.Actor, uid: str, with_texts: bool = True) -> Decision | None:
    """One decision by uid, or ``None`` when it does not exist *or* the actor may not see it
    (callers answer 404 either way, so hidden decisions are not revealed)."""
    qs = (
        decisions_for(actor=actor)
        .select_related("proceedings")
        .prefetch_related("crimes", "provisions")
    )
    if with_texts:
        qs = qs.prefetch_related(
            Prefetch(
                "texts",
                queryset=Text.objects.select_related("anonymisation").prefetch_related(
                    Prefetch("paragraphs", queryset=Paragraph.objects.order_by("number"))
                ),
            )
        )
    decision = qs.filter(uid=uid).first()
    if decision is not None and with_texts:
        _show_text_for(actor, decision)
    return decision


@dataclass(frozen=True)
class DecisionBadges:
    """What a results list says of a decision beside its title."""

    is_demo: bool  # fictional demo content
    text: str  # "Complete judgment", "Excerpt: procedure and facts", or "" (no text)


def decision_badges(*, actor: policy.Actor, uids: Iterable[str]) -> dict[str, DecisionBadges]:
    """Badges of those of ``uids`` that ``actor`` may see, in one query (a search page's hits
    come from the index, which holds no badges). A decision with a complete text is labelled
    complete even if another of its texts is an excerpt."""
    wanted = list(uids)
    if not wanted:
        return {}
    rows = policy.decisions_visible(actor, Decision.objects.filter(uid__in=wanted)).values_list(
        "uid",
        "is_demo",
        "texts__completeness",
        "texts__excerpt_contents",
    )
    demo: dict[str, bool] = {}
    labels: dict[str, list[str]] = {}
    for uid, is_demo, completeness, contents in rows:
        demo[uid] = bool(is_demo)
        found = labels.setdefault(uid, [])
        if completeness:
            found.append(completeness_label(completeness, contents or ""))
    out = {}
    for uid, found in labels.items():
        text = "Complete judgment" if "Complete judgment" in found else min(found, default="")
        out[uid] = DecisionBadges(is_demo=demo[uid], text=text)
    return out


def _show_text_for(actor: policy.Actor, decision: Decision) -> None:
    """Put the paragraph bodies ``actor`` may read in place of the raw ones, in memory only, so
    the reader, the API and the exports, which all read through here, cannot show raw text to a
    tier that may not read it (anonymisation.selectors.text_for decides)."""
    from cicnet.anonymisation.selectors import text_for

    texts = list(decision.texts.all())
    bodies = {t.id: {p.number: p.body for p in t.paragraphs.all()} for t in texts}
    shown = text_for(actor=actor, bodies=bodies)
    for t in texts:
        for p in t.paragraphs.all():
            p.body = shown[t.id][p.number]


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


def curation_queue(*, actor: policy.Actor) -> QuerySet[Decision]:
    """Drafts and decisions in review the actor may curate (nothing for non-curators), in
    review first, then oldest change first."""
    if not policy.can_curate(actor):
        return Decision.objects.none()
    return (
        decisions_for(actor=actor)
        .filter(state__in=["draft", "review"])
        .select_related("state_changed_by")
        .order_by("-state", "updated_at", "uid")
    )


def decision_history(*, actor: policy.Actor, decision: Decision) -> QuerySet[DecisionVersion]:
    """Earlier versions of a decision, newest first; curators only."""
    if not policy.can_curate(actor):
        return DecisionVersion.objects.none()
    return DecisionVersion.objects.filter(decision=decision).order_by("-version")


# Who reads a published decision of each tier, in the words the confirmation page uses.
_READERS = {
    "public": "everyone, including visitors who are not logged in and API clients without a token",
    "network": "members of the networks and the Secretariat (logged in, or with an API token)",
    "secretariat": "the Secretariat only",
}


@dataclass(frozen=True)
class PublicationPreview:
    """What publishing a decision makes visible, and to whom (the curator confirms it)."""

    tier: str
    tier_label: str
    readers: str
    texts: tuple[str, ...]  # one line per language copy
    fields: tuple[str, ...]  # the metadata shown with it
    blocker: str  # why it cannot be published yet; "" when it can


def publication_preview(*, actor: policy.Actor, decision: Decision) -> PublicationPreview:
    """What becomes visible when ``decision`` is published: its tier and readers, its texts
    (as below-Secretariat readers and the search index get them: anonymised) and its metadata.
    Caveat: describes the decision as it is now; edits after confirming are not covered."""
    if not policy.can_curate(actor):
        raise PermissionError("only the Secretariat may publish decisions")
    tiers = vocabulary("jurisprudence", "access_tiers")
    texts = tuple(
        f"{facet_label('language', t.language)} "
        f"({'original' if t.is_original else t.get_provenance_display().lower()}): "
        + (
            "the full text, anonymised as signed off in the workbench"
            if decision.access != "secretariat"
            else "the full text as written"
        )
        for t in decision.texts.all()
    )
    fields = (
        "title, case name and other names, defendant label, summary and keywords "
        "(with the anonymised names masked)",
        "court, country, date, case number, ECLI, crimes, provisions, outcome and sentence",
        "the source links",
    )
    # Imported here: the anonymisation app imports the jurisprudence models.
    from cicnet.anonymisation.review import publication_blocker

    return PublicationPreview(
        blocker=publication_blocker(decision) or "",
        tier=decision.access,
        tier_label=tiers.label(decision.access),
        readers=_READERS.get(decision.access, "nobody"),
        texts=texts,
        fields=fields,
    )
