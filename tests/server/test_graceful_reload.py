"""Workers come and go under load without losing requests, on a real ``cicnet serve`` (gunicorn,
two worker processes).

- ``HUP`` to the master (what a deploy sends to pick up new code): new workers start, the old
  ones finish what they hold and leave; not one request of a steady stream fails.
- ``SIGKILL`` of one worker (the OOM killer, a crash): the master starts a replacement, the
  other worker keeps answering; only requests that were in flight on the killed worker can fail.
"""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .live import LiveServer, cicnet, database_env, start_server

DECISIONS = 30
SETUP = f"""
import datetime
from cicnet.jurisprudence.models import Decision
Decision.objects.bulk_create(
    Decision(
        uid=f"reload-{{i}}", title=f"Fictional decision {{i}} for the reload test",
        country="DE", court="Fictional Regional Court", decision_date=datetime.date(2020, 1, 1),
        instance="first_instance", access="public", state="published", is_demo=True,
        summary="A fictional summary about a fictional crime.",
    )
    for i in range({DECISIONS})
)
"""
CLIENTS = 3
PATHS = (
    "/?q=fictional",
    "/decisions/reload-{n}/",
    "/api/v1/search?q=fictional+crime",
)


def workers_of(master: int) -> set[int]:
    """The pids of the processes whose parent is ``master`` (gunicorn's workers)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # a process that just ended
        # pid (comm) state ppid …; comm may hold spaces, so split after its closing parenthesis
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            found.add(int(entry.name))
    return found


@dataclass
class Stream:
    """Clients sending requests back to back; each outcome with its start and end time."""

    server: LiveServer
    outcomes: list[tuple[float, float, int | str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def _client(self, number: int) -> None:
        client = self.server.client()
        n = number
        while not self.stop.is_set():
            path = PATHS[n % len(PATHS)].format(n=n % DECISIONS)
            n += 1
            started = time.monotonic()
            try:
                outcome: int | str = client.get(path).status
            # A worker killed mid-answer cuts the body short (IncompleteRead, an HTTPException):
            # that is a failed request to record, not a reason for this client to stop.
            except (OSError, http.client.HTTPException) as exc:
                outcome = f"{path}: {type(exc).__name__}: {exc}"
            self.outcomes.append((started, time.monotonic(), outcome))

    def __enter__(self) -> Stream:
        self.threads = [threading.Thread(target=self._client, args=(i,)) for i in range(CLIENTS)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def failures(self) -> list[tuple[float, float, int | str]]:
        return [o for o in self.outcomes if o[2] != 200]


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout}s")
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture
def server(transactional_db: None, tmp_path: Path) -> Iterator[LiveServer]:
    # Three clients from one address send a few hundred requests: the anonymous API limit (120
    # a minute, counted across workers) would answer 429 and hide what this test looks for.
    env = database_env(tmp_path, CICNET_ANON_API_RATE="100000")
    cicnet(["shell", "-c", SETUP], env=env, cwd=tmp_path)
    live = start_server(env=env, cwd=tmp_path, workers=2)
    try:
        yield live
    finally:
        live.stop()


def test_hup_reloads_workers_losing_no_request_and_a_killed_worker_is_replaced(
    server: LiveServer,
) -> None:
    master = server.process.pid
    # /healthz answered from one worker; the other may still be starting.
    wait_for(lambda: len(workers_of(master)) == 2, 30, "two workers at start")
    old = workers_of(master)

    # HUP: every worker is replaced, and every request of the stream is answered.
    with Stream(server) as stream:
        time.sleep(0.5)
        os.kill(master, signal.SIGHUP)
        reload_s = wait_for(
            lambda: len(workers_of(master)) == 2 and not workers_of(master) & old,
            30,
            "HUP: two new workers, no old one",
        )
        time.sleep(1.0)  # the new workers answer
    assert stream.failures() == [], stream.failures()[:5]
    reloaded = len(stream.outcomes)
    slowest = max(end - start for start, end, _ in stream.outcomes)

    # SIGKILL of one worker: the master replaces it; the stream goes on.
    current = workers_of(master)
    victim = min(current)
    with Stream(server) as stream:
        time.sleep(0.5)
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        replace_s = wait_for(
            lambda: len(workers_of(master)) == 2 and victim not in workers_of(master),
            30,
            "SIGKILL: a new worker in place of the killed one",
        )
        time.sleep(1.0)
    failures = stream.failures()
    answered_after = [o for o in stream.outcomes if o[0] > killed_at and o[2] == 200]
    print(
        f"\nHUP: {reloaded} requests, 0 failed, workers replaced in {reload_s:.1f}s, slowest "
        f"answer {slowest:.2f}s; SIGKILL: {len(stream.outcomes)} requests, {len(failures)} "
        f"failed (in flight on the killed worker), a new worker forked after {replace_s:.2f}s"
    )
    assert len(workers_of(master)) == 2
    assert len(answered_after) >= 5, "the server kept answering after the kill"
    # Only requests already started when the worker died may fail: at most one per client.
    assert all(start <= killed_at for start, _, _ in failures), failures
    assert len(failures) <= CLIENTS, failures
    assert server.process.poll() is None, "the master is still running"
