"""The shared cache's ``incr`` (``cicnet.server.cache``) keeps Django's contract: the new value,
and ``ValueError`` for a key that is missing or expired, so a throttle opens a new window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

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
