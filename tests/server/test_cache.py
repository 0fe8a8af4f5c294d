"""The shared cache's ``incr`` (``cicnet.server.cache``) keeps Django's contract: the new value,
and ``ValueError`` for a key that is missing or expired, so a throttle opens a new window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction

from cicnet.server.cache import AtomicDatabaseCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache() -> AtomicDatabaseCache:
    """The deployment's cache (the suite's own default is a local-memory one, conftest.py), on
    the table ``cicnet migrate`` creates."""
    return AtomicDatabaseCache("cicnet_cache", {})


def test_incr_adds_and_returns_the_new_value(cache: AtomicDatabaseCache) -> None:
    cache.set("count", 5, timeout=60)
    assert cache.incr("count") == 6
    assert cache.incr("count", 4) == 10
    assert cache.get("count") == 10


def test_incr_of_a_missing_key_is_a_value_error(cache: AtomicDatabaseCache) -> None:
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")


def test_an_expired_key_is_not_counted_on_and_add_opens_it_again(
    cache: AtomicDatabaseCache,
) -> None:
    cache.set("window", 7, timeout=60)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cicnet_cache SET expires = %s WHERE cache_key LIKE %s",
            [connection.ops.adapt_datetimefield_value(past), "%window"],
        )
    with pytest.raises(ValueError, match="not found"):
        cache.incr("window")
    assert cache.add("window", 1, timeout=60)
    assert cache.incr("window") == 2


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_only_the_counting_commit_skips_the_wait_for_the_disk(
    cache: AtomicDatabaseCache,
) -> None:
    """A count in a transaction of its own sets ``synchronous_commit`` off for that transaction
    (``SET LOCAL``); the session, and a caller's transaction around a count, still wait for the
    disk."""
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    cache.set("count", 1, timeout=60)
    statements: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return str(cursor.fetchone()[0])

    with connection.execute_wrapper(record):
        assert cache.incr("count") == 2
    assert "SET LOCAL synchronous_commit TO OFF" in statements
    assert setting() == "on"
    statements.clear()
    with transaction.atomic(), connection.execute_wrapper(record):
        assert cache.incr("count") == 3
        assert setting() == "on"
    assert "SET LOCAL synchronous_commit TO OFF" not in statements
    assert cache.get("count") == 3
