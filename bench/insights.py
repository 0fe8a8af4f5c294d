"""Statistics latency at a large corpus: the statistics page, one CSV and one API call, per
role; prints JSON.

    .venv/bin/python bench/insights.py --decisions 100000 [--repeat 20] [--backend postgres]

The corpus is metadata only (statistics read no text): N decisions drawn with a seed — country,
year, outcome, instance, jurisdiction basis, situation, terrorism, 0–3 crimes each, every tier
and publication state (70 % public, 20 % network, 10 % Secretariat; 85 % published) — in a
temporary SQLite file or a temporary PostgreSQL database (``--backend postgres``). Each request
goes through Django's test client (URL routing, middleware, the view, the template), so the
time is the server's time for a page, without the network. Reported per role: p50 / p95 / max
in milliseconds, and the decisions counted (to show that each role counts its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_search", HERE / "search.py")
assert _spec and _spec.loader
search_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(search_bench)

BASES = ["universal", "active_personality", "passive_personality", "territorial", ""]


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--decisions", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--backend", choices=["tantivy", "postgres"], default="tantivy")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/")
    return p.parse_args()


def _build(n: int, seed: int) -> None:
    from django.db import transaction

    from cicnet.jurisprudence.models import Decision, DecisionCrime
    from cicnet.law.crimes import crimes

    rng = random.Random(seed)
    crime_ids = list(crimes())
    for start in range(0, n, 5000):
        rows = []
        for i in range(start, min(n, start + 5000)):
            rows.append(
                Decision(
                    uid=f"stat-{i}",
                    title=f"Synthetic decision {i}",
                    country=rng.choice(search_bench.COUNTRIES),
                    court="Synthetic court",
                    decision_date=(
                        dt.date(rng.randint(1995, 2024), 1, 1) if rng.random() < 0.97 else None
                    ),
                    instance=rng.choice(search_bench.INSTANCES),
                    outcome=rng.choice(search_bench.OUTCOMES),
                    situation=rng.choice(search_bench.SITUATIONS),
                    jurisdiction_basis=rng.choice(BASES),
                    terrorism_concurrent=rng.random() < 0.15,
                    access=rng.choices(["public", "network", "secretariat"], [7, 2, 1])[0],
                    state=rng.choices(["published", "review", "draft"], [85, 10, 5])[0],
                    is_demo=True,
                )
            )
        with transaction.atomic():
            created = Decision.objects.bulk_create(rows)
            DecisionCrime.objects.bulk_create(
                DecisionCrime(decision=d, crime_id=c)
                for d in created
                for c in rng.sample(crime_ids, rng.randint(0, 3))
            )


def _ms(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {
        "p50_ms": round(statistics.median(s) * 1000, 1),
        "p95_ms": round(s[min(len(s) - 1, int(len(s) * 0.95))] * 1000, 1),
        "max_ms": round(s[-1] * 1000, 1),
    }


def main() -> None:
    args = _args()
    tmp = Path(tempfile.mkdtemp(prefix="cicnet-bench-stats-"))
    dbname = search_bench._setup_env(args, tmp)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from cicnet.accounts.models import User
        from cicnet.jurisprudence.models import Decision

        settings.ALLOWED_HOSTS = ["*"]
        settings.CICNET_REQUIRE_2FA = False
        call_command("migrate", verbosity=0, interactive=False)
        t = time.perf_counter()
        _build(args.decisions, args.seed)
        build_s = time.perf_counter() - t
        out: dict[str, object] = {
            "database": "postgresql" if dbname else "sqlite",
            "decisions": Decision.objects.count(),
            "build_s": round(build_s, 1),
            "repeat": args.repeat,
        }
        # Cold: the first request after a change counts the groups again (one grouped query per
        # table over the whole collection) before any reader's sum.
        from django.core.cache import cache

        from cicnet.insights import selectors as insight_selectors

        cold = []
        for _ in range(3):
            cache.clear()
            insight_selectors._last.clear()
            t = time.perf_counter()
            assert Client().get("/statistics/").status_code == 200
            cold.append(time.perf_counter() - t)
        out["cold_page_after_a_change"] = _ms(cold)
        for role in ("anonymous", "member", "curator"):
            client = Client()
            if role != "anonymous":
                user = User.objects.create(username=f"bench-{role}", role=role)
                client.force_login(user)
            timings: dict[str, list[float]] = {"page": [], "csv_country_year": [], "api_year": []}
            urls = {
                "page": "/statistics/",
                "csv_country_year": "/statistics/country-year.csv",
                "api_year": "/api/v1/statistics/year",
            }
            counted = 0
            for name, url in urls.items():
                client.get(url)  # warm: templates, first query plans
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    response = client.get(url)
                    timings[name].append(time.perf_counter() - t)
                    assert response.status_code == 200, (url, response.status_code)
                if name == "api_year":
                    counted = response.json()["total"]
            out[role] = {"decisions_counted": counted, **{k: _ms(v) for k, v in timings.items()}}
        out["goal"] = "statistics page p95 <= 200 ms at 100,000 decisions"
        print(json.dumps(out, indent=2))
    finally:
        if dbname:
            from django.db import connections

            connections.close_all()
            search_bench._drop_pg(args, dbname)


if __name__ == "__main__":
    sys.exit(main())
