"""Latency of the universal-jurisdiction pages with many decisions; prints JSON.

    .venv/bin/python bench/knowledge.py --decisions 20000 [--repeat 30] [--seed 42]

A temporary SQLite database (``CICNET_VAR_DIR`` in a temporary folder; ``var/`` is never
touched) gets ``--decisions`` decisions spread over the 33 jurisdictions of the national
provisions (Germany a quarter of them), years 1990-2025, every outcome, tier and state. The
anonymous actor and a member fetch, through Django's test client, the Germany page, the countries
index, a comparison and the Germany API answer ``--repeat`` times each; the JSON gives p50 and
p95 in milliseconds. (That a page's query count does not grow with the decisions is a test:
tests/knowledge/test_country_pages.py.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decisions", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args()


def _corpus(n: int, seed: int) -> None:
    from cicnet.jurisprudence.models import Decision
    from cicnet.law.provisions import national_provisions
    from cicnet.vocabularies import vocabulary

    rng = random.Random(seed)
    countries = sorted({p.country for p in national_provisions()})
    outcomes = vocabulary("jurisprudence", "outcomes").ids()
    bases = ["universal", "active_personality", "territorial", ""]
    rows = []
    for i in range(n):
        country = "DE" if rng.random() < 0.25 else rng.choice(countries)
        rows.append(
            Decision(
                uid=f"bench-{i}",
                title=f"Fictional benchmark decision {i}",
                country=country,
                court="Fictional court",
                decision_date=dt.date(rng.randint(1990, 2025), rng.randint(1, 12), 1),
                instance="first_instance",
                decision_type="judgment",
                outcome=rng.choice(outcomes),
                jurisdiction_basis=rng.choice(bases),
                access=rng.choice(["public", "public", "network", "secretariat"]),
                state=rng.choice(["published", "published", "published", "draft"]),
                is_demo=True,
            )
        )
    Decision.objects.bulk_create(rows, batch_size=2000)


def _time(client: Any, url: str, repeat: int) -> dict[str, float]:
    times = []
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    for _ in range(repeat):
        t = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
    }


def main() -> None:
    args = _args()
    tmp = Path(tempfile.mkdtemp(prefix="cicnet-bench-knowledge-"))
    os.environ["CICNET_VAR_DIR"] = str(tmp)
    os.environ["CICNET_INDEX_DIR"] = str(tmp / "index")
    os.environ["CICNET_ANON_API_RATE"] = str(10**9)
    os.environ["CICNET_REQUIRE_2FA"] = "0"  # the member is logged in with force_login
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cicnet.config.settings"
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        from cicnet.accounts.models import User

        setup_test_environment()
        settings.ALLOWED_HOSTS = ["testserver"]
        call_command("migrate", verbosity=0, interactive=False)
        t = time.perf_counter()
        _corpus(args.decisions, args.seed)
        corpus_s = time.perf_counter() - t
        # No password: the client logs in with force_login.
        member = User.objects.create_user(username="bench-member", role="member")
        clients = {"anonymous": Client(), "member": Client()}
        clients["member"].force_login(member)
        urls = [
            "/knowledge/countries/DE/",
            "/knowledge/countries/",
            "/knowledge/countries/compare/?c=DE&c=NL&c=FR&c=SE",
            "/api/v1/knowledge/countries/DE",
        ]
        results = {
            role: {url: _time(client, url, args.repeat) for url in urls}
            for role, client in clients.items()
        }
        print(
            json.dumps(
                {
                    "benchmark": "knowledge pages",
                    "database": "sqlite",
                    "decisions": args.decisions,
                    "repeat": args.repeat,
                    "corpus_build_s": round(corpus_s, 1),
                    "results": results,
                },
                indent=2,
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
