"""Alert matching benchmark: N saved searches and follows against a batch of new decisions, the
way ``cicnet send_alerts`` runs them; prints JSON.

    .venv/bin/python bench/alerts.py                       # 10,000 alerts, 1,000 decisions
    .venv/bin/python bench/alerts.py --alerts 2000 --decisions 200 --seed 7

The new decisions are bench/search.py's synthetic corpus (paragraphs cut from the demo ECtHR
texts, metadata drawn with a seed, every tier and state), all published just now. The alerts
belong to 500 users (70 % members, 20 % curators, 10 % administrators) and are drawn with the
same seed: 80 % saved searches (a word, two words, a phrase, OR, exclusion, a prefix, a
``country:`` / ``crime:`` / ``year:`` field, facet filters, year ranges — words taken from the
same texts, so many match) and 20 % follows (crime, crime group, national provision, the
citations of a decision). Everything runs in a temporary SQLite file (or a temporary PostgreSQL
database with ``--backend postgres``); mail goes to Django's in-memory backend.

Reported: the whole ``alerts_send`` call (loading the batch's index records, matching, the
policy re-read of every matched decision, rendering and "sending" the messages, advancing the
watermarks), the matching part alone, alerts per second, messages and decisions sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_search", HERE / "search.py")
assert _spec and _spec.loader
search_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(search_bench)


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--alerts", type=int, default=10_000)
    p.add_argument("--decisions", type=int, default=1_000)
    p.add_argument("--users", type=int, default=500)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--backend", choices=["tantivy", "postgres"], default="tantivy")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/")
    return p.parse_args()


def _query(rng: random.Random, words: list[str]) -> str:
    def word() -> str:
        w = "".join(c for c in rng.choice(words) if c.isalnum())
        return w.lower() if len(w) > 3 else "court"

    kind = rng.randrange(10)
    if kind == 0:
        k = rng.randrange(len(words) - 2)
        phrase = " ".join("".join(c for c in w if c.isalnum()) for w in words[k : k + 2])
        return f'q="{phrase}"'
    if kind == 1:
        return f"q={word()}+OR+{word()}"
    if kind == 2:
        return f"q={word()}+-{word()}"
    if kind == 3:
        return f"q={word()[:4]}*"
    if kind == 4:
        return f"q={word()}+country:{rng.choice(search_bench.COUNTRIES)}"
    if kind == 5:
        return f"q=crime:{rng.choice(['war_crimes', 'genocide', 'crimes_against_humanity'])}"
    if kind == 6:
        return f"q={word()}&year_from={rng.randint(1995, 2020)}"
    if kind == 7:
        return f"country={rng.choice(search_bench.COUNTRIES)}&outcome=convicted"
    if kind == 8:
        return f"q={word()}+{word()}"
    return f"q={word()}"


def main() -> None:
    args = _args()
    tmp = Path(tempfile.mkdtemp(prefix="cicnet-bench-alerts-"))
    dbname = search_bench._setup_env(args, tmp)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core import mail
        from django.core.management import call_command
        from django.utils import timezone

        from cicnet.accounts.models import User
        from cicnet.alerts.models import Alert, token_hash
        from cicnet.alerts.services import alerts_send
        from cicnet.jurisprudence.models import Decision
        from cicnet.law.provisions import national_provisions

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        mail.outbox = []
        call_command("migrate", verbosity=0, interactive=False)
        rng = random.Random(args.seed)
        words = search_bench._words()
        before = timezone.now() - dt.timedelta(hours=1)
        roles = ["member"] * 7 + ["curator"] * 2 + ["admin"]
        users = User.objects.bulk_create(
            User(username=f"bench{i}", email=f"bench{i}@example.org", role=rng.choice(roles))
            for i in range(args.users)
        )
        t = time.perf_counter()
        corpus = search_bench._build_corpus(args.decisions, args.seed)
        corpus_s = time.perf_counter() - t
        Decision.objects.filter(state="published").update(published_at=timezone.now())
        uids = list(Decision.objects.values_list("uid", flat=True))
        keys = [p.key for p in national_provisions()]
        alerts = []
        for i in range(args.alerts):
            owner = rng.choice(users)
            if rng.random() < 0.8:
                kind, querystring, target = "search", _query(rng, words), ""
            else:
                kind = rng.choice(["crime", "provision", "citation"])
                querystring = ""
                target = {
                    "crime": rng.choice(["7(1)(f)", "8(2)(a)(ii)", "war_crimes", "genocide"]),
                    "provision": rng.choice(keys),
                    "citation": rng.choice(uids),
                }[kind]
            alerts.append(
                Alert(
                    owner=owner,
                    kind=kind,
                    name=f"bench alert {i}",
                    querystring=querystring,
                    target=target,
                    frequency="daily",
                    feed_token_hash=token_hash(f"bench-{i}"),
                    last_sent_at=before,
                )
            )
        Alert.objects.bulk_create(alerts, batch_size=2000)
        t = time.perf_counter()
        report = alerts_send(frequency="daily")
        total_s = time.perf_counter() - t
        print(
            json.dumps(
                {
                    "database": "postgresql" if dbname else "sqlite",
                    "alerts": report.alerts,
                    "new_decisions": report.candidates,
                    "corpus": corpus,
                    "corpus_build_s": round(corpus_s, 2),
                    "send_total_s": round(total_s, 2),
                    "matching_s": round(report.seconds_matching, 2),
                    "alerts_per_s": round(report.alerts / total_s, 1),
                    "messages": report.messages,
                    "outbox": len(mail.outbox),
                    "decisions_sent": report.decisions_sent,
                    "alerts_with_matches": len(report.per_alert),
                    "peak_rss_mib": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                    "goal": "10,000 alerts against 1,000 new decisions in under 60 s",
                },
                indent=2,
            )
        )
    finally:
        if dbname:
            from django.db import connections

            connections.close_all()
            search_bench._drop_pg(args, dbname)


if __name__ == "__main__":
    sys.exit(main())
