"""Exports under load on a real ``cicnet serve`` (gunicorn, two worker processes, two threads
each): eight slow exports from one client do not take the server down.

The slow clients read the response headers and then stop reading, so their exports stay open in
the server (blocked on a full socket) as long as the client wants, the way a slow or malicious
client holds a worker thread. Beyond the per-client limit, which both processes count through
the shared slot files, the answer is 429 with Retry-After, and /healthz stays fast throughout.
The longest query the schema allows also fits gunicorn's request line (no HTML 414).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from .live import LiveServer, cicnet, database_env, start_server

DECISIONS = 600
SETUP = f"""
import datetime
from cicnet.jurisprudence.models import Decision
Decision.objects.bulk_create(
    Decision(
        uid=f"load-{{i}}", title=f"Fictional decision {{i}} for the export load test",
        country="DE", court="Fictional Regional Court", decision_date=datetime.date(2020, 1, 1),
        instance="first_instance", access="public", state="published", is_demo=True,
        summary="A fictional summary. " * 1500,
    )
    for i in range({DECISIONS})
)
"""
SLOW_CLIENTS = 8
HOLD_SECONDS = 4.0


@pytest.fixture
def export_server(transactional_db: None, tmp_path: Path) -> Iterator[LiveServer]:
    env = database_env(
        tmp_path,
        CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT="2",
        CICNET_EXPORT_MAX_CONCURRENT="3",
        CICNET_EXPORT_MAX_ROWS_ANONYMOUS=str(DECISIONS),
    )
    cicnet(["collectstatic", "--noinput", "-v", "0"], env=env, cwd=tmp_path)
    cicnet(["shell", "-c", SETUP], env=env, cwd=tmp_path)
    server = start_server(env=env, cwd=tmp_path, workers=2)
    try:
        yield server
    finally:
        server.stop()


def _slow_export(port: int, results: list[tuple[int, dict[str, str], bytes]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/api/v1/search/export.jsonl", headers={"Host": "127.0.0.1"})
        response = conn.getresponse()  # status line and headers only
        headers = {k.lower(): v for k, v in response.getheaders()}
        if response.status == 200:
            time.sleep(HOLD_SECONDS)  # a slow reader: the export stays open in the server
        body = response.read()
        results.append((response.status, headers, body))
    finally:
        conn.close()


def test_slow_exports_from_one_client_get_429_and_health_stays_fast(
    export_server: LiveServer,
) -> None:
    server = export_server
    results: list[tuple[int, dict[str, str], bytes]] = []
    threads = [
        threading.Thread(target=_slow_export, args=(server.port, results))
        for _ in range(SLOW_CLIENTS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # every export has started or been refused; the accepted ones are held
    latencies = []
    for _ in range(10):
        started = time.monotonic()
        health = server.client().get("/healthz")
        latencies.append(time.monotonic() - started)
        assert health.status == 200
        time.sleep(0.1)
    for thread in threads:
        thread.join(60)

    statuses = sorted(status for status, _, _ in results)
    sizes = sorted(len(body) for status, _, body in results if status == 200)
    print(f"\nexport bodies (bytes): {sizes}")
    print(
        f"\nexport load: {SLOW_CLIENTS} slow exports from one client -> statuses {statuses}; "
        f"/healthz max {max(latencies) * 1000:.0f} ms, "
        f"median {sorted(latencies)[len(latencies) // 2] * 1000:.0f} ms while they were held"
    )
    assert len(results) == SLOW_CLIENTS
    assert statuses.count(200) <= 2, "the per-client limit is shared by both workers"
    assert statuses.count(429) >= SLOW_CLIENTS - 2
    for status, headers, body in results:
        if status == 429:
            assert headers["retry-after"] == "5"
            detail = json.loads(body)["detail"]  # the client's limit, or this worker's share
            assert "at most 2 per client" in detail or "maximum of exports" in detail, detail
        else:
            assert status == 200
            assert body.count(b"\n") == DECISIONS  # the whole export, once read
    assert max(latencies) < 1.0, f"/healthz took {max(latencies):.2f}s under export load"

    # every slot came back: a new export runs
    again = server.client().get("/api/v1/search/export.csv")
    assert again.status == 200


def test_the_longest_query_the_schema_allows_fits_the_request_line(
    export_server: LiveServer,
) -> None:
    from cicnet.search.params import MAX_Q_LENGTH

    client = export_server.client()
    widest = "\U0001d11e" * MAX_Q_LENGTH  # 4 UTF-8 bytes each: 12 bytes per character in a URL
    response = client.get(f"/api/v1/search?q={quote(widest)}&country=DE&sort=date_desc")
    assert response.status == 200, response.text[:300]
    too_long = client.get(f"/api/v1/search?q={quote('é' * 1000)}")
    assert too_long.status == 400, too_long.text[:300]
    assert too_long.json()["parameter"] == "q"
