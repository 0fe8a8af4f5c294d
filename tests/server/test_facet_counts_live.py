"""Facet counts follow a decision another process rewrote, on every worker of a real server.

The PostgreSQL backend's workers keep the facet ids of the rows they have seen, by row number
(``postgres_backend._FacetIds``, migration ``search/0006``); the tantivy backend's workers keep
an index reader. Either way a worker that counted a decision under Germany must count it under
France once another process has changed and re-indexed it, without a restart."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .live import LiveServer, cicnet, serving_after

SETUP = """
import datetime
from cicnet.jurisprudence.models import Decision
from cicnet.search.services import reindex_decisions
for uid in ("live-facets-a", "live-facets-b"):
    Decision.objects.create(
        uid=uid, title="Fictional decision for the facet test", country="DE",
        court="Fictional Regional Court", decision_date=datetime.date(2024, 1, 1),
        instance="first_instance", access="public", state="published", is_demo=True,
    )
reindex_decisions(["live-facets-a", "live-facets-b"])
"""
MOVE = """
from cicnet.jurisprudence.models import Decision
from cicnet.search.services import reindex_decisions
Decision.objects.filter(uid="live-facets-b").update(country="FR")
reindex_decisions(["live-facets-b"])
"""


@pytest.fixture
def live(transactional_db: None, tmp_path: Path) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    # Many calls from one address, on purpose.
    with serving_after(SETUP, tmp_path, CICNET_ANON_API_RATE="100000") as started:
        yield started


def _answers(server: LiveServer, tries: int = 16, wait_s: float = 60) -> tuple[set[int], list[Any]]:
    """(the workers that answered, each answer's country counts) over at least ``tries`` calls,
    and more until both workers have answered (which worker accepts a connection is the
    kernel's choice: under load one may take many in a row) or ``wait_s`` has passed."""
    client = server.client()
    pids: set[int] = set()
    counts = []
    deadline = time.monotonic() + wait_s
    while len(counts) < tries or (len(pids) < 2 and time.monotonic() < deadline):
        pids.add(client.get("/healthz").json()["pid"])
        facets = client.get("/api/v1/search?q=&facets=country").json()["facets"]["country"]
        counts.append(sorted((v["value"], v["count"]) for v in facets))
    return pids, counts


def test_every_worker_counts_a_decision_by_the_values_another_process_gave_it(
    live: tuple[LiveServer, dict[str, str]], tmp_path: Path
) -> None:
    server, env = live
    pids, before = _answers(server)
    assert len(pids) == 2
    assert all(c == [("DE", 2)] for c in before), before
    cicnet(["shell", "-c", MOVE], env=env, cwd=tmp_path)
    pids, after = _answers(server)
    assert len(pids) == 2
    assert all(c == [("DE", 1), ("FR", 1)] for c in after), after
