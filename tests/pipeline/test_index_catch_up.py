"""A re-run brings the index in step for every decision it sees (issue 10, item 9): after a run
was killed between a batch's commit and its indexing, the re-run reported "unchanged" and the
decisions stayed out of search until a manual reindex."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision
from cicnet.search.backend import get_backend
from cicnet.search.services import search_decisions
from cicnet.search.types import SearchParams

pytestmark = pytest.mark.django_db(transaction=True)  # indexing runs on commit


@pytest.fixture(params=["tantivy", "postgres"])
def backend(request: pytest.FixtureRequest, settings: Any) -> str:
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend runs when the test database is PostgreSQL")
    settings.CICNET_SEARCH_BACKEND = request.param
    return str(request.param)


def _ingest(path: Path) -> str:
    out = io.StringIO()
    call_command("ingest", str(path), "--quiet", stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def _found() -> set[str]:
    page = search_decisions(actor=policy.ANONYMOUS, params=SearchParams(q="", page_size=100))
    return {h.uid for h in page.hits}


def test_a_rerun_indexes_unchanged_decisions_the_index_missed(backend: str, good_dir: Path) -> None:
    assert _ingest(good_dir).startswith("5 decisions: 5 created")
    public = set(
        Decision.objects.filter(access="public", state="published").values_list("uid", flat=True)
    )
    assert public and _found() == public
    # The state a kill -9 between commit and indexing leaves: rows in the database, not indexed.
    lost = sorted(public)
    get_backend().remove(lost)
    assert _found() == public - set(lost)

    summary = _ingest(good_dir)
    assert summary == (
        f"5 decisions: 0 created, 0 updated, 5 unchanged, 0 failed; {len(lost)} unchanged "
        "re-indexed"
    )
    assert _found() == public
    # In step now: nothing more to do.
    assert _ingest(good_dir) == "5 decisions: 0 created, 0 updated, 5 unchanged, 0 failed"
