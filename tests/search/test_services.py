"""The search service layer: parameter validation, query counts, indexing on commit, staleness,
the reindex command and the backend choice."""

from __future__ import annotations

import datetime as dt
import fcntl
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision
from cicnet.search.backend import get_backend
from cicnet.search.services import (
    index_on_commit,
    index_status,
    rebuild_index,
    search_decisions,
)
from cicnet.search.types import QueryError, SearchParams
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        (SearchParams(page=0), "page"),
        (SearchParams(page_size=0), "page_size"),
        (SearchParams(page_size=101), "page_size"),
        (SearchParams(filters={"colour": ("red",)}), "colour"),
        (SearchParams(sort="newest"), "sort"),  # type: ignore[arg-type]  # a bad value on purpose
        (SearchParams(year_from=2020, year_to=2010), "year_from"),
        (SearchParams(year_from=20), "year_from"),
        (SearchParams(q='"open'), "q"),
    ],
)
def test_bad_parameters_raise_query_error_naming_the_parameter(
    backend: str, actors: dict[str, Any], params: SearchParams, parameter: str
) -> None:
    with pytest.raises(QueryError) as exc:
        search_decisions(actor=actors["anonymous"], params=params)
    assert exc.value.parameter == parameter


def test_tantivy_search_runs_no_database_query(
    settings: Any, actors: dict[str, Any], django_assert_num_queries: Any
) -> None:
    settings.CICNET_SEARCH_BACKEND = "tantivy"
    d = DecisionFactory(uid="q1", summary="torture")
    ParagraphFactory(text=TextFactory(decision=d), number=1, body="torture again")
    rebuild_index()
    policy.decision_scope(actors["member"])  # the actor's collection role: read once per actor
    with django_assert_num_queries(0):
        page = search_decisions(actor=actors["member"], params=SearchParams(q="torture"))
    assert page.count == 1


def test_search_query_count_is_bounded(
    corpus: dict[str, Any], actors: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # postgres: count, hits, snippets, facets
    with django_assert_max_num_queries(4):
        page = search_decisions(
            actor=actors["admin"], params=SearchParams(q="torture OR pillaging")
        )
    assert page.count == 4


def test_index_on_commit_indexes_after_commit_and_removes_deleted(
    backend: str, actors: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    rebuild_index()
    anonymous = actors["anonymous"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        d = DecisionFactory(uid="fresh", summary="A brand new zeppelin decision.")
        index_on_commit([d.uid])
    # Nothing is indexed before the commit.
    assert search_decisions(actor=anonymous, params=SearchParams(q="zeppelin")).count == 0
    for callback in callbacks:
        callback()
    assert search_decisions(actor=anonymous, params=SearchParams(q="zeppelin")).count == 1

    with django_capture_on_commit_callbacks(execute=True):
        Decision.objects.filter(uid="fresh").update(access="network")
        index_on_commit(["fresh"])
    assert search_decisions(actor=anonymous, params=SearchParams(q="zeppelin")).count == 0
    assert search_decisions(actor=actors["member"], params=SearchParams(q="zeppelin")).count == 1

    with django_capture_on_commit_callbacks(execute=True):
        Decision.objects.filter(uid="fresh").delete()
        index_on_commit(["fresh"])
    assert search_decisions(actor=actors["admin"], params=SearchParams(q="zeppelin")).count == 0
    assert index_status().index_decisions == 0


def test_a_deleted_decision_leaves_the_index_whoever_deletes_it(
    backend: str, actors: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    d = DecisionFactory(uid="gone", summary="A quasar decision.")
    rebuild_index()
    assert search_decisions(actor=actors["admin"], params=SearchParams(q="quasar")).count == 1
    with django_capture_on_commit_callbacks(execute=True):
        d.delete()  # no index_on_commit here: the delete signal schedules it
    assert search_decisions(actor=actors["admin"], params=SearchParams(q="quasar")).count == 0
    assert index_status().index_decisions == 0


def test_index_status_reports_staleness_and_why(backend: str) -> None:
    status = index_status()
    assert status.db_decisions == 0
    # An embedded index that was never built is stale; PostgreSQL's tables exist (and are empty).
    assert status.stale == (backend == "tantivy")
    DecisionFactory(uid="s1")
    rebuild_index()
    assert not index_status().stale
    DecisionFactory(uid="s2")
    status = index_status()
    assert status.stale and "1" in status.reason and "2" in status.reason
    rebuild_index()
    assert not index_status().stale
    Decision.objects.filter(uid="s1").update(
        updated_at=dt.datetime(2100, 1, 1, tzinfo=dt.UTC), title="Changed"
    )
    status = index_status()
    assert status.stale and "changed" in status.reason


def test_an_index_of_an_older_schema_is_stale_and_says_so(backend: str, settings: Any) -> None:
    """An upgrade that changes the index schema: the old index is there but not used."""
    import json
    from pathlib import Path

    from cicnet.search.tantivy_backend import META_FILE, SCHEMA_VERSION

    if backend != "tantivy":
        pytest.skip("the embedded index's schema version")
    DecisionFactory(uid="old-schema")
    rebuild_index()
    meta = Path(settings.CICNET_INDEX_DIR) / META_FILE
    meta.write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}), "utf-8")
    status = index_status()
    assert status.stale and status.reason == "the index was built by another version of cicnet"
    rebuild_index()
    assert not index_status().stale


def test_reindex_command(backend: str) -> None:
    DecisionFactory(uid="r1")
    out = StringIO()
    call_command("reindex", "--if-stale", stdout=out)
    assert "Rebuilt" in out.getvalue() and "1 decision" in out.getvalue()
    out = StringIO()
    call_command("reindex", "--if-stale", stdout=out)
    assert "up to date" in out.getvalue() and "Rebuilt" not in out.getvalue()
    out = StringIO()
    call_command("reindex", stdout=out)
    assert "Rebuilt" in out.getvalue()


def test_tantivy_writer_waits_for_another_process_then_gives_up(
    settings: Any, tmp_path: Any
) -> None:
    from cicnet.search.tantivy_backend import LOCK_FILE, IndexBusy, TantivyBackend

    settings.CICNET_INDEX_LOCK_TIMEOUT = 0.2
    backend = TantivyBackend(tmp_path / "locked")
    backend.rebuild([])
    with open(tmp_path / "locked" / LOCK_FILE, "a+") as fh:
        # Another open file description: flock treats it like another process.
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        with pytest.raises(IndexBusy, match="CICNET_INDEX_LOCK_TIMEOUT"):
            backend.rebuild([])
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    assert backend.rebuild([]) == 0


def test_a_second_process_sees_commits_of_the_first(settings: Any, tmp_path: Any) -> None:
    from cicnet.search.tantivy_backend import TantivyBackend

    writer, reader = TantivyBackend(tmp_path / "shared"), TantivyBackend(tmp_path / "shared")
    writer.rebuild([])
    assert reader.status()["decisions"] == 0
    from cicnet.search.documents import DecisionRecord

    writer.index_decisions(
        [
            DecisionRecord(
                uid="x",
                title="X",
                court="C",
                country="DE",
                decision_date=None,
                access="public",
                state="published",
                updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            )
        ]
    )
    assert reader.status()["decisions"] == 1


def test_postgres_backend_on_sqlite_fails_fast(settings: Any, db: None) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("checks the SQLite case")
    settings.CICNET_SEARCH_BACKEND = "postgres"
    with pytest.raises(ImproperlyConfigured, match="needs a PostgreSQL database"):
        get_backend()


def test_unknown_backend_setting_fails_fast(settings: Any) -> None:
    settings.CICNET_SEARCH_BACKEND = "solr"
    with pytest.raises(ImproperlyConfigured, match="tantivy, postgres"):
        get_backend()


def test_the_rebuild_heap_setting(settings: Any) -> None:
    from cicnet.search.tantivy_backend import rebuild_heap_bytes

    settings.CICNET_INDEX_REBUILD_HEAP_MB = ""
    assert 64_000_000 <= rebuild_heap_bytes() <= 2_000_000_000
    settings.CICNET_INDEX_REBUILD_HEAP_MB = "500"
    assert rebuild_heap_bytes() == 500_000_000
    for bad in ("lots", "5", "90000", "-1"):
        settings.CICNET_INDEX_REBUILD_HEAP_MB = bad
        with pytest.raises(ValueError, match="CICNET_INDEX_REBUILD_HEAP_MB"):
            rebuild_heap_bytes()
