"""/healthz latency while slow exports from one client hold the server.

    .venv/bin/python bench/exports.py [--decisions 1000] [--clients 8] [--hold 5]

A temporary ``CICNET_VAR_DIR`` (SQLite, migrated) with ``--decisions`` public decisions (20 KB
summaries, so an export is megabytes and a reader that stops reading blocks the server thread);
``cicnet serve --workers 2 --threads 4`` on a free loopback port. ``--clients`` threads each
start ``/api/v1/search/export.jsonl`` from the same address, read the headers, and hold the
response unread for ``--hold`` seconds; meanwhile ``/healthz`` is timed 20 times. Prints JSON:
the statuses of the exports (200 / 429), /healthz latency (median, max, in ms) before and
during the load. Tuning settings (``CICNET_EXPORT_MAX_CONCURRENT*``) pass through from the
environment. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SETUP = """
import datetime
from cicnet.jurisprudence.models import Decision
Decision.objects.bulk_create(
    Decision(uid=f"bench-{{i}}", title=f"Fictional decision {{i}}", country="DE",
             court="Fictional Regional Court", decision_date=datetime.date(2020, 1, 1),
             instance="first_instance", access="public", state="published", is_demo=True,
             summary="A fictional summary. " * 1000)
    for i in range({n})
)
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.monotonic() - started


def _health(port: int, times: int) -> list[float]:
    out = []
    for _ in range(times):
        out.append(_get(port, "/healthz")[1] * 1000)
        time.sleep(0.05)
    return out


def _slow_export(port: int, hold: float, statuses: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/api/v1/search/export.jsonl")
    response = conn.getresponse()
    statuses.append(response.status)
    if response.status == 200:
        time.sleep(hold)
    response.read()
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--hold", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cicnet-bench-exports-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(CICNET_VAR_DIR=str(Path(tmp) / "var"), CICNET_ANON_API_RATE="0")
        env.setdefault("CICNET_EXPORT_MAX_ROWS_ANONYMOUS", str(args.decisions))
        run = [sys.executable, "-m", "cicnet"]
        for command in (["migrate", "-v", "0"], ["shell", "-c", SETUP.format(n=args.decisions)]):
            subprocess.run(  # our own command; its chatter would spoil the JSON
                [*run, *command], env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL
            )
        port = _port()
        log = (Path(tmp) / "serve.log").open("w")
        server = subprocess.Popen(  # our own command
            [*run, "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
            env=env,
            cwd=tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(300):
                try:
                    if _get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            idle = _health(port, 20)
            statuses: list[int] = []
            threads = [
                threading.Thread(target=_slow_export, args=(port, args.hold, statuses))
                for _ in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            loaded = _health(port, 20)
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(30)
    print(
        json.dumps(
            {
                "decisions": args.decisions,
                "slow_exports": args.clients,
                "export_statuses": sorted(statuses),
                "healthz_idle_ms": {
                    "median": round(statistics.median(idle), 1),
                    "max": round(max(idle), 1),
                },
                "healthz_under_export_load_ms": {
                    "median": round(statistics.median(loaded), 1),
                    "max": round(max(loaded), 1),
                },
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
