"""Reads on citations. Every function takes the actor and goes through the policy: a citing
or cited decision the actor may not see is neither shown nor counted, and the rows of a
decision the actor may not see are not read at all."""

from __future__ import annotations

from dataclasses import dataclass

from cicnet.access import policy
from cicnet.citations.extract import KIND_LABELS
from cicnet.citations.models import Citation
from cicnet.jurisprudence.models import Decision
from cicnet.jurisprudence.selectors import decisions_for


@dataclass(frozen=True)
class CitationLine:
    """One thing a decision cites, as the reader shows it: a visible decision of the database,
    a provision, or a public source (never a hidden decision's title)."""

    kind: str
    kind_label: str
    key: str
    text: str
    occurrences: int
    paragraph: int
    language: str
    decision: Decision | None  # the cited decision, when the actor may see it
    provision_key: str
    url: str


def cited_by(*, actor: policy.Actor, decision: Decision) -> list[Decision]:
    """Decisions ``actor`` may see that cite ``decision`` (which the caller has read through
    the policy), newest first."""
    if not policy.can_view_decision(actor, decision):
        return []
    return list(
        decisions_for(actor=actor)
        .filter(citations_made__cited_id=decision.pk)
        .distinct()
        .order_by("-decision_date", "uid")
    )


def citations_of(*, actor: policy.Actor, decision: Decision) -> list[CitationLine]:
    """What ``decision`` cites, for a reader who may see it; cited decisions the reader may not
    see are shown as the citation text and its public source only."""
    if not policy.can_view_decision(actor, decision):
        return []
    rows = list(Citation.objects.filter(citing_id=decision.pk).order_by("kind", "key"))
    cited_ids = {r.cited_id for r in rows if r.cited_id}
    visible = {d.pk: d for d in decisions_for(actor=actor).filter(pk__in=cited_ids)}
    return [
        CitationLine(
            kind=r.kind,
            kind_label=KIND_LABELS.get(r.kind, r.kind),
            key=r.key,
            text=r.text,
            occurrences=r.occurrences,
            paragraph=r.paragraph,
            language=r.language,
            decision=visible.get(r.cited_id) if r.cited_id else None,
            provision_key=r.provision_key,
            url=r.url,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Graph:
    """The citation graph around a decision's proceedings: nodes are decisions the actor may
    see, edges (citing uid, cited uid) run between them only."""

    centre: Decision
    proceedings: list[Decision]  # the decision and its visible siblings, oldest first
    cited: list[Decision]  # visible decisions that the proceedings cite
    citing: list[Decision]  # visible decisions that cite the proceedings
    edges: list[tuple[str, str]]


def citation_graph(*, actor: policy.Actor, decision: Decision, limit: int = 24) -> Graph:
    """The proceedings of ``decision`` and its neighbours one citation away, as ``actor`` may
    see them (at most ``limit`` neighbours on each side)."""
    visible = decisions_for(actor=actor)
    if decision.proceedings_id:
        own = list(
            visible.filter(proceedings_id=decision.proceedings_id).order_by("decision_date", "uid")
        )
    else:
        own = [decision] if policy.can_view_decision(actor, decision) else []
    own_ids = [d.pk for d in own]
    cited = list(
        visible.filter(cited_by_rows__citing_id__in=own_ids)
        .exclude(pk__in=own_ids)
        .distinct()
        .order_by("-decision_date", "uid")[:limit]
    )
    citing = list(
        visible.filter(citations_made__cited_id__in=own_ids)
        .exclude(pk__in=own_ids)
        .distinct()
        .order_by("-decision_date", "uid")[:limit]
    )
    nodes = {d.pk: d.uid for d in [*own, *cited, *citing]}
    pairs = Citation.objects.filter(citing_id__in=nodes, cited_id__in=nodes).values_list(
        "citing_id", "cited_id"
    )
    edges = sorted({(nodes[a], nodes[b]) for a, b in pairs if a != b})
    return Graph(centre=decision, proceedings=own, cited=cited, citing=citing, edges=edges)
