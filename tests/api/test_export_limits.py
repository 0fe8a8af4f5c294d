"""Export limits: fewer rows for anonymous callers, and at most so many exports at once per
client and in total, counted with flock'd slot files that every process shares and that the OS
frees when a holder dies (jurisprudence/export_slots.py). The load test with a real two-worker
gunicorn is tests/server/test_export_load.py."""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Any

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from cicnet.jurisprudence.export_slots import ExportBusy, export_slot_acquire

from .conftest import COMMON_WORD

pytestmark = pytest.mark.django_db

ANONYMOUS_CLIENT = "127.0.0.1"  # REMOTE_ADDR of Django's test client


def _rows(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode().splitlines()[1:]


def test_anonymous_exports_are_capped_lower_than_members(
    clients: dict[str, Client], searchable_matrix: dict[str, Any], settings: Any
) -> None:
    settings.CICNET_EXPORT_MAX_ROWS_ANONYMOUS = 0
    settings.CICNET_EXPORT_MAX_ROWS = 5
    anonymous = clients["anonymous"].get("/api/v1/search/export.csv", {"q": COMMON_WORD})
    assert anonymous["X-Export-Row-Limit"] == "0"
    assert _rows(anonymous) == []
    member = clients["member"].get("/api/v1/search/export.csv", {"q": COMMON_WORD})
    assert member["X-Export-Row-Limit"] == "5"
    assert len(_rows(member)) == 2  # public and network tier, published


def test_beyond_the_per_client_limit_an_export_is_429_with_retry_after(
    clients: dict[str, Client], searchable_matrix: dict[str, Any], settings: Any
) -> None:
    settings.CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT = 2
    held = [export_slot_acquire(client=ANONYMOUS_CLIENT) for _ in range(2)]
    response = clients["anonymous"].get("/api/v1/search/export.jsonl")
    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert "at most 2 per client" in response.json()["detail"]
    # another client (a member's token) is not held up by this one
    _rows(clients["member"].get("/api/v1/search/export.jsonl"))  # 200, read (and so closed)
    held[0].release()
    assert len(_rows(clients["anonymous"].get("/api/v1/search/export.csv"))) == 1
    held[1].release()


def test_beyond_the_total_limit_every_client_waits(
    clients: dict[str, Client], searchable_matrix: dict[str, Any], settings: Any
) -> None:
    settings.CICNET_EXPORT_MAX_CONCURRENT = 1
    held = export_slot_acquire(client="someone else")
    response = clients["member"].get("/api/v1/search/export.csv")
    assert response.status_code == 429
    assert "maximum of exports (1 in all)" in response.json()["detail"]
    held.release()
    _rows(clients["member"].get("/api/v1/search/export.csv"))


def test_a_finished_or_abandoned_export_frees_its_slot(
    clients: dict[str, Client], searchable_matrix: dict[str, Any], settings: Any
) -> None:
    settings.CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT = 1
    settings.CICNET_EXPORT_MAX_CONCURRENT = 1
    _rows(clients["anonymous"].get("/api/v1/search/export.csv"))  # read to the end: closed
    abandoned = clients["anonymous"].get("/api/v1/search/export.csv")
    assert abandoned.status_code == 200
    assert clients["anonymous"].get("/api/v1/search/export.csv").status_code == 429
    # What the server does when the client goes away before reading: close the response
    # (request_finished is held off, as the test client does, to keep the test's connection).
    request_finished.disconnect(close_old_connections)
    try:
        abandoned.close()
    finally:
        request_finished.connect(close_old_connections)
    export_slot_acquire(client=ANONYMOUS_CLIENT).release()


def test_a_malformed_export_query_frees_its_slot(clients: dict[str, Client], settings: Any) -> None:
    settings.CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT = 1
    for _ in range(3):
        assert clients["anonymous"].get("/api/v1/search/export.csv?q=%22").status_code == 400
    export_slot_acquire(client=ANONYMOUS_CLIENT).release()


def test_two_threads_of_one_process_do_not_share_a_slot(settings: Any) -> None:
    """flock, not a per-process record lock: a second holder in this process is refused."""
    settings.CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT = 1
    first = export_slot_acquire(client="c")
    with pytest.raises(ExportBusy):
        export_slot_acquire(client="c")
    first.release()
    export_slot_acquire(client="c").release()


def test_one_process_streams_at_most_its_share(settings: Any) -> None:
    settings.CICNET_EXPORT_MAX_PER_PROCESS = 1
    first = export_slot_acquire(client="c1")
    with pytest.raises(ExportBusy, match="maximum of exports"):
        export_slot_acquire(client="c2")
    first.release()
    export_slot_acquire(client="c2").release()


def _hold_slot(ready: Any) -> None:
    slot = export_slot_acquire(client="c")
    ready.set()
    signal.pause()
    slot.release()  # never reached: the test kills this process


def test_a_process_killed_mid_export_leaves_no_slot_behind(settings: Any) -> None:
    settings.CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT = 1
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    child = context.Process(target=_hold_slot, args=(ready,))
    child.start()
    try:
        assert ready.wait(20), "the child did not take the slot"
        with pytest.raises(ExportBusy):
            export_slot_acquire(client="c")  # held by another process
    finally:
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join(10)
    export_slot_acquire(client="c").release()  # the OS dropped the dead holder's lock
