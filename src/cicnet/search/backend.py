"""The ``SearchBackend`` protocol and the choice of backend by setting.

``settings.CICNET_SEARCH_BACKEND``: ``"tantivy"`` (embedded index on disk under
``CICNET_INDEX_DIR``; the default on SQLite) or ``"postgres"`` (PostgreSQL full-text search in
the application database; needs PostgreSQL, fails fast otherwise). See docs/decisions/0010.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from cicnet.access.policy import DecisionScope
from cicnet.search.documents import DecisionRecord
from cicnet.search.types import SearchPage, SearchParams

BACKENDS = ("tantivy", "postgres")


@runtime_checkable
class SearchBackend(Protocol):
    """What every search backend does. ``search`` never returns, counts or snippets a decision
    outside ``scope``; facet counts are numbers of decisions (not paragraphs)."""

    name: str

    def index_decisions(self, decisions: Iterable[DecisionRecord | Any]) -> int:
        """(Re)index these decisions (records, or Decision rows), replacing what the index held
        for them; returns how many."""
        ...

    def remove(self, uids: Iterable[str]) -> int:
        """Drop these decisions from the index (unknown uids are ignored)."""
        ...

    def search(self, params: SearchParams, scope: DecisionScope) -> SearchPage:
        """Run a query (``params.q`` is parsed with ``search.query.parse``); facet labels are
        left as the raw values (the service layer fills them in)."""
        ...

    def rebuild(self, decisions: Iterable[DecisionRecord] | None = None) -> int:
        """Replace the whole index with these decisions (default: every decision in the
        database), atomically for readers; returns how many."""
        ...

    def indexed_stamps(self, uids: Iterable[str]) -> dict[str, int]:
        """For those of ``uids`` that are indexed, the ``updated_at`` they were indexed with
        (microseconds since the epoch); missing uids are absent."""
        ...

    def status(self) -> dict[str, Any]:
        """What the index holds: ``decisions`` (count), ``max_updated_at`` (ISO or None),
        ``schema_ok`` (bool), plus backend details."""
        ...


_lock = threading.Lock()
_instances: dict[tuple[str, str], SearchBackend] = {}


def get_backend() -> SearchBackend:
    """The configured backend (one instance per process and index location)."""
    name = str(getattr(settings, "CICNET_SEARCH_BACKEND", "tantivy")).strip().lower()
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"CICNET_SEARCH_BACKEND={name!r} is not a search backend: use one of "
            + ", ".join(BACKENDS)
            + "."
        )
    if name == "postgres":
        if connection.vendor != "postgresql":
            raise ImproperlyConfigured(
                "CICNET_SEARCH_BACKEND=postgres needs a PostgreSQL database, but DATABASE_URL "
                f"points to {connection.vendor}. Set DATABASE_URL to PostgreSQL or use "
                "CICNET_SEARCH_BACKEND=tantivy."
            )
        key = (name, connection.settings_dict.get("NAME") or "")
    else:
        key = (name, str(settings.CICNET_INDEX_DIR))
    with _lock:
        backend = _instances.get(key)
        if backend is None:
            if name == "postgres":
                from cicnet.search.postgres_backend import PostgresBackend

                backend = PostgresBackend()
            else:
                from cicnet.search.tantivy_backend import TantivyBackend

                backend = TantivyBackend(settings.CICNET_INDEX_DIR)
            _instances[key] = backend
        return backend
