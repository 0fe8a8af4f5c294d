"""Checks ``cicnet serve`` runs before it starts serving.

The search index is checked for staleness with ``cicnet.search.services.index_status()``; a
stale index is rebuilt (or, with ``--no-reindex``, the operator is told to run
``cicnet reindex``). The check never stops the server: a failure is reported and serving goes on.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

Report = Callable[[str], None]


def search_index_check(*, rebuild: bool, report: Report, warn: Report) -> str:
    """Check the search index; return 'fresh', 'rebuilt', 'stale' or 'unknown'."""
    try:
        services = importlib.import_module("cicnet.search.services")
    except ImportError:
        warn("Search index: not checked (cicnet.search.services is not available).")
        return "unknown"
    try:
        status = services.index_status()
    except Exception as exc:  # any failure is reported; serving goes on
        warn(
            f"Search index: could not be checked ({exc}). Run `cicnet reindex` if search "
            "results look incomplete."
        )
        return "unknown"
    backend = getattr(status, "backend", "")
    if not status.stale:
        report(f"Search index ({backend}): up to date.")
        return "fresh"
    warn(f"Search index ({backend}) is stale: {getattr(status, 'reason', status)}.")
    if not rebuild:
        warn("Run `cicnet reindex` to rebuild it; until then search may miss or show old results.")
        return "stale"
    report("Rebuilding the search index before serving …")
    try:
        count = services.rebuild_index()
    except Exception as exc:  # reported; the operator can rebuild by hand
        warn(f"Rebuilding the search index failed ({exc}); run `cicnet reindex`.")
        return "stale"
    report(f"Search index rebuilt: {count} decision(s).")
    return "rebuilt"
