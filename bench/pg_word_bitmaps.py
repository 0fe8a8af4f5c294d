"""PostgreSQL search with a query's words as bitmaps over decision numbers (the default since
migration ``search/0007``) against words as lists of uids (what every query used before, and
what a query read from the decision rows still uses), interleaved query by query in one
process on one database, so the machine's drift between runs does not decide the comparison.

    .venv/bin/python bench/pg_word_bitmaps.py --reuse cicnet_bench_<pid> [--rounds 7]

The database is one ``bench/search.py --backend postgres --keep`` left (migrated to 0007).
Prints JSON: for each way, p50 / p95 of the backend's search over the 20 queries of
bench/search.py, and per query the median and the result count (the same in both ways, or the
comparison is void: ``counts_equal``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reuse", required=True, help="the bench database's name")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    )
    args = p.parse_args()
    os.environ["DATABASE_URL"] = args.pg_url.rstrip("/") + "/" + args.reuse
    os.environ["CICNET_SEARCH_BACKEND"] = "postgres"
    os.environ["CICNET_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("CICNET_VAR_DIR", tempfile.mkdtemp(prefix="cicnet-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cicnet.config.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()
    import search as bench_search  # bench/search.py: the same 20 queries
    from cicnet.access import policy
    from cicnet.search import postgres_backend
    from cicnet.search.backend import get_backend

    backend = get_backend()
    scope = policy.decision_scope(policy.ANONYMOUS)
    within = bench_search.within_decision()
    params = [bench_search._params(spec, within) for spec in bench_search.QUERIES]
    ways: dict[str, Any] = {
        "bitmaps": postgres_backend._reads_rows,
        "uid_lists": lambda node: True,  # every query as if it read the decision rows
    }
    times: dict[str, list[list[float]]] = {w: [[] for _ in params] for w in ways}
    counts: dict[str, list[int]] = {w: [] for w in ways}
    for way, choose in ways.items():
        postgres_backend._reads_rows = choose
        counts[way] = [backend.search(p, scope).count for p in params]  # also the warm-up
    for r in range(args.rounds):
        for i, prm in enumerate(params):
            order = list(ways) if (r + i) % 2 == 0 else list(ways)[::-1]
            for way in order:
                postgres_backend._reads_rows = ways[way]
                start = time.perf_counter()
                backend.search(prm, scope)
                times[way][i].append(time.perf_counter() - start)
    postgres_backend._reads_rows = ways["bitmaps"]
    out: dict[str, Any] = {
        "benchmark": "pg_word_bitmaps",
        "database": args.reuse,
        "rounds": args.rounds,
        "counts_equal": counts["bitmaps"] == counts["uid_lists"],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }
    for way in ways:
        flat = sorted(x for q in times[way] for x in q)
        out[way] = {
            "p50_ms": round(statistics.median(flat) * 1000, 1),
            "p95_ms": round(flat[min(len(flat) - 1, int(0.95 * len(flat)))] * 1000, 1),
            "per_query": [
                {"q": spec, "count": c, "median_ms": round(statistics.median(t) * 1000, 1)}
                for spec, c, t in zip(bench_search.QUERIES, counts[way], times[way], strict=True)
            ],
        }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
