"""The search service layer: what views, the API and commands call.

- ``search_decisions(actor=, params=)``: validates the parameters, applies the actor's scope
  from the policy module, runs the configured backend and labels the facets.
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
from cicnet.search import labels
from cicnet.search.backend import get_backend
from cicnet.search.documents import records_for_uids
from cicnet.search.query import parse
from cicnet.search.types import FACETS, FacetValue, QueryError, SearchPage, SearchParams

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

    Raises QueryError (naming the parameter) for anything the user can fix. Runs no database
    query with the tantivy backend.
    """
    _validate(params)
    params = replace(params, filters={k: tuple(v) for k, v in params.filters.items() if v})
    scope = policy.decision_scope(actor)
    page = get_backend().search(params, scope)
    if page.facets:
        page = replace(
            page,
            facets={
                name: tuple(
                    FacetValue(
                        value=f.value, label=labels.facet_label(name, f.value), count=f.count
                    )
                    for f in _ordered(name, values)
                )
                for name, values in page.facets.items()
            },
        )
    return page


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
    return {"indexed": indexed, "removed": removed}


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
    return get_backend().rebuild()


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
