"""Stage ``index``: keep the search index in step with the stored decision.

Calls ``cicnet.search.services.index_on_commit(uids)``, which re-indexes decisions once the
transaction commits. Indexing is a side effect on commit, never a signal (house style).

The runner writes a batch of documents in one transaction (one savepoint each); re-indexing each
decision on its own would cost one index commit per decision, so the uids of a transaction are
gathered and handed over in one call when it commits. A uid whose savepoint rolled back may ride
along with the next flush: re-indexing an unchanged or missing decision is harmless (a missing
one is removed from the index).
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType

from django.db import transaction

from cicnet.pipeline.base import Document, Stage, StageResult

SEARCH_SERVICES = "cicnet.search.services"


def _search_services() -> ModuleType | None:
    """The search service module, imported lazily so ingestion does not load a search backend
    until it writes; ``None`` only when the module itself does not exist (errors inside it
    propagate)."""
    try:
        return importlib.import_module(SEARCH_SERVICES)
    except ModuleNotFoundError as exc:
        if exc.name == SEARCH_SERVICES:
            return None
        raise


_pending = threading.local()  # uids waiting for their transaction to commit, per thread


def _flush() -> None:
    uids = sorted(getattr(_pending, "uids", ()))
    _pending.uids = set()
    services = _search_services()
    if uids and services is not None:
        services.index_on_commit(uids)  # outside a transaction now: indexes at once


class Index(Stage):
    """Schedule re-indexing of the decision after the transaction commits."""

    name = "index"
    version = "1"
    writes = True

    def run(self, document: Document) -> StageResult:
        services = _search_services()
        if services is None:
            return StageResult(status="skipped", detail=f"{SEARCH_SERVICES} is not installed")
        if not hasattr(_pending, "uids"):
            _pending.uids = set()
        _pending.uids.add(document.uid)
        # Every document registers the flush; the first to run after commit drains them all.
        transaction.on_commit(_flush)
        return StageResult(detail="scheduled on commit")
