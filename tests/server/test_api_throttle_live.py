"""The anonymous API throttle counts exactly under concurrent requests from several processes.

Django's database cache incremented a count by reading it and writing it back: two workers
answering at once both wrote the same count, so a client firing requests in parallel got more
than the limit through (``cicnet.server.cache``). Two servers on one database, each with two
threads, and eight client threads: of 90 anonymous calls within one minute's window exactly
the limit may succeed."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .live import LiveServer, cicnet, database_env, two_servers

LIMIT = 30
CALLS = 90


@pytest.fixture
def servers(transactional_db: None, tmp_path: Path) -> Iterator[tuple[LiveServer, LiveServer]]:
    env = database_env(tmp_path, CICNET_ANON_API_RATE=str(LIMIT))
    cicnet(["createcachetable"], env=env, cwd=tmp_path)  # what migrate's post_migrate does
    with two_servers(env=env, cwd=tmp_path) as servers:
        yield servers


def test_parallel_anonymous_calls_get_exactly_the_limit_through(
    servers: tuple[LiveServer, LiveServer],
) -> None:
    clients = [server.client() for server in servers]
    # The health checks of start-up are not API calls; start well inside a minute's window.
    if time.time() % 60 > 40:
        time.sleep(61 - time.time() % 60)

    def call(i: int) -> int:
        return clients[i % 2].get("/api/v1/networks").status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = Counter(pool.map(call, range(CALLS)))
    assert statuses == {200: LIMIT, 429: CALLS - LIMIT}, statuses
