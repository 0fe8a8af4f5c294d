"""Search benchmark: build a synthetic corpus, index it, time a fixed mix of 20 queries.

    .venv/bin/python bench/search.py --decisions 10000 [--backend tantivy|postgres]
        [--repeat 5] [--seed 42] [--pg-url postgres://postgres@127.0.0.1:5432/] [--no-http]

Decisions have 5–300 paragraphs (log-normal, median 20), each a run of about 36 words taken
from the demo ECtHR texts (src/cicnet/demo/data/tab_*.json), so word frequencies and phrases are
realistic; metadata (country, court, year, crimes, provisions, tier, state …) is drawn with a
fixed seed. Everything lives in a temporary directory (SQLite file + index) or, for PostgreSQL,
a temporary database that is dropped at the end (kept with ``--keep``; its name is printed as
``database``): ``var/`` is never touched.

The 20 queries (words, phrases, OR, exclusion, prefix, fields, facet filters, date sort, deep
page, search within a decision; every one with all facets) run four ways as the anonymous
actor: the raw backend call, the service layer (``search_decisions``), the API through Django's
WSGI handler in this process (``wsgi``: middleware, django-ninja, throttle and JSON, no HTTP)
and HTTP (``GET /api/v1/search`` against a gunicorn server started on 127.0.0.1 for the run).
Prints JSON: corpus and index build times, index size, peak RSS, p50/p95 per way.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "cicnet" / "demo" / "data"

COUNTRIES = [
    "DE",
    "FR",
    "NL",
    "SE",
    "FI",
    "BE",
    "AT",
    "CH",
    "NO",
    "DK",
    "ES",
    "GB",
    "HU",
    "LT",
    "PT",
]
COURT_KINDS = [
    "Regional Court",
    "Higher Regional Court",
    "Court of Appeal",
    "District Court",
    "Supreme Court",
    "Criminal Court",
]
CITIES = [
    "Koblenz",
    "Frankfurt",
    "Paris",
    "The Hague",
    "Stockholm",
    "Helsinki",
    "Brussels",
    "Vienna",
    "Oslo",
    "Copenhagen",
    "Madrid",
    "London",
    "Budapest",
    "Vilnius",
    "Lisbon",
]
SITUATIONS = [
    "Syria",
    "Iraq",
    "Rwanda",
    "Former Yugoslavia",
    "Liberia",
    "Gambia",
    "Ukraine",
    "Afghanistan",
    "Democratic Republic of the Congo",
    "Sierra Leone",
]
OUTCOMES = ["convicted", "partially_convicted", "acquitted", "upheld", "overturned", "dismissed"]
INSTANCES = ["first_instance", "appeal", "cassation"]

QUERIES: list[dict[str, Any]] = [
    {"q": "applicant"},
    {"q": "torture"},
    {"q": "detention police"},
    {"q": '"pre-trial detention"'},
    {"q": "investigation -prison"},
    {"q": "prosecutor OR judge"},
    {"q": "detain*"},
    {"q": "country:DE"},
    {"q": "court:appeal torture"},
    {"q": "year:2010..2015 detention"},
    {"q": "crime:war_crimes"},
    {"q": "crime:7(1)(f) witness"},
    {"q": '"court of appeal" country:FR'},
    {"q": ""},
    {"q": "", "filters": {"country": ["DE"]}},
    {"q": "evidence", "filters": {"crime_group": ["war_crimes"], "has_text": ["yes"]}},
    {"q": "applicant", "sort": "date_desc"},
    {"q": "government", "page": 3},
    {"q": "applicant complaint", "decision": True},
    {"q": "complaint article", "filters": {"situation": ["Syria"]}, "year_from": 2005},
]


MODE = "lexical"
# A word no decision of the corpus holds (the ``floor`` of the HTTP and wsgi ways).
FLOOR_QUERY = "zzqxnomatch"


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--decisions", type=int, default=10_000)
    p.add_argument("--backend", choices=["tantivy", "postgres"], default="tantivy")
    p.add_argument("--repeat", type=int, default=5, help="timed runs of each query per way")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    )
    p.add_argument("--no-http", action="store_true", help="skip the HTTP measurement")
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary directory (tantivy) or database (PostgreSQL; its name is "
        "printed as `database`) for --reuse",
    )
    p.add_argument(
        "--reuse",
        metavar="DIR",
        help="time against the corpus and index a --keep run left in DIR (tantivy), or the "
        "database a PostgreSQL run left (its name)",
    )
    p.add_argument(
        "--mode",
        choices=["lexical", "hybrid"],
        default="lexical",
        help="search mode of every query (hybrid falls back to words when nothing is embedded)",
    )
    return p.parse_args()


def _words() -> list[str]:
    words: list[str] = []
    for name in ("tab_train.json", "tab_dev.json"):
        path = DEMO / name
        if path.exists():
            for rec in json.loads(path.read_text("utf-8")):
                words.extend(rec["text"].split())
    return words


def _setup_env(args: argparse.Namespace, tmp: Path, *, create: bool = True) -> str | None:
    os.environ["CICNET_VAR_DIR"] = str(tmp)
    os.environ["CICNET_INDEX_DIR"] = str(tmp / "index")
    os.environ["CICNET_SEARCH_BACKEND"] = args.backend
    os.environ["CICNET_ANON_API_RATE"] = str(10**9)
    os.environ["CICNET_LOG_LEVEL"] = "ERROR"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cicnet.config.settings"
    if args.backend == "postgres" and create:
        import psycopg

        dbname = f"cicnet_bench_{os.getpid()}"
        with psycopg.connect(args.pg_url.rstrip("/") + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        os.environ["DATABASE_URL"] = args.pg_url.rstrip("/") + "/" + dbname
        return dbname
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return None


def _drop_pg(args: argparse.Namespace, dbname: str) -> None:
    import psycopg

    with psycopg.connect(args.pg_url.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _build_corpus(n: int, seed: int) -> dict[str, int]:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from cicnet.anonymisation.models import TextAnonymisation
    from cicnet.jurisprudence.models import (
        Decision,
        DecisionCrime,
        DecisionProvision,
        Paragraph,
        Text,
    )
    from cicnet.law.crimes import crimes
    from cicnet.law.provisions import national_provisions

    rng = random.Random(seed)
    words = _words()
    crime_ids = [c for c in crimes() if not c.startswith(("terrorism", "other"))]
    by_country: dict[str, list[Any]] = {}
    for p in national_provisions():
        by_country.setdefault(p.country, []).append(p)
    now = timezone.now()
    paragraphs_total = 0
    batch = 1000
    for start in range(0, n, batch):
        decisions, plans = [], []
        for i in range(start, min(n, start + batch)):
            country = rng.choice(COUNTRIES)
            year = rng.randint(1995, 2024)
            city = CITIES[COUNTRIES.index(country)]
            decisions.append(
                Decision(
                    uid=f"bench-{i}",
                    title=f"Synthetic decision {i}",
                    country=country,
                    court=f"{rng.choice(COURT_KINDS)} {city}",
                    decision_date=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    instance=rng.choice(INSTANCES),
                    outcome=rng.choice(OUTCOMES),
                    situation=rng.choice(SITUATIONS),
                    case_number=f"{i} StE {year}",
                    terrorism_concurrent=rng.random() < 0.15,
                    summary=" ".join(words[(k := rng.randrange(len(words) - 60)) : k + 50]),
                    access=rng.choices(["public", "network", "secretariat"], [7, 2, 1])[0],
                    state=rng.choices(["published", "review", "draft"], [85, 10, 5])[0],
                    updated_at=now,
                    is_demo=True,
                )
            )
            has_text = rng.random() < 0.9
            paras = (
                min(300, max(5, round(math.exp(rng.gauss(math.log(20), 0.8))))) if has_text else 0
            )
            plans.append((country, paras))
        with transaction.atomic():
            created = Decision.objects.bulk_create(decisions)
            texts = [
                Text(decision=d, language="en", is_original=True)
                for d, (_, paras) in zip(created, plans, strict=True)
                if paras
            ]
            Text.objects.bulk_create(texts)
            # Signed off (the synthetic text names nobody), so the index holds the paragraphs
            # and not the placeholder readers get for a text not signed off.
            TextAnonymisation.objects.bulk_create(
                TextAnonymisation(
                    text=t,
                    policy="strict",
                    engine_version="bench",
                    signed_off_at=now,
                    sign_off_kind="bulk",
                    sign_off_batch="bench/search.py synthetic corpus",
                )
                for t in texts
            )
            text_by_decision = {t.decision_id: t for t in texts}
            rows, crimes_rows, provisions_rows = [], [], []
            for d, (country, paras) in zip(created, plans, strict=True):
                text = text_by_decision.get(d.id)
                for number in range(1, paras + 1):
                    length = max(8, int(rng.gauss(36, 15)))
                    k = rng.randrange(len(words) - length)
                    rows.append(
                        Paragraph(text=text, number=number, body=" ".join(words[k : k + length]))
                    )
                for cid in rng.sample(crime_ids, rng.randint(0, 3)):
                    crimes_rows.append(DecisionCrime(decision=d, crime_id=cid))
                if by_country.get(country) and rng.random() < 0.4:
                    prov = rng.choice(by_country[country])
                    provisions_rows.append(
                        DecisionProvision(
                            decision=d,
                            citation=f"{prov.statute_english} {prov.provisions}",
                            national_provision_key=prov.key,
                        )
                    )
            Paragraph.objects.bulk_create(rows, batch_size=5000)
            DecisionCrime.objects.bulk_create(crimes_rows)
            DecisionProvision.objects.bulk_create(provisions_rows)
            paragraphs_total += len(rows)
    return {"decisions": n, "paragraphs": paragraphs_total}


def _percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {
        "p50_ms": round(statistics.median(s) * 1000, 2),
        "p95_ms": round(s[min(len(s) - 1, math.ceil(0.95 * len(s)) - 1)] * 1000, 2),
        "max_ms": round(s[-1] * 1000, 2),
    }


def within_decision() -> str:
    """The decision the "search within a decision" query searches: the first published public
    one with a text."""
    from cicnet.jurisprudence.models import Decision

    return (
        Decision.objects.filter(access="public", state="published", texts__isnull=False)
        .order_by("id")
        .values_list("uid", flat=True)
        .first()
    ) or ""


def _params(spec: dict[str, Any], within_uid: str) -> Any:
    from cicnet.search.types import SearchParams

    return SearchParams(
        q=spec.get("q", ""),
        filters={k: tuple(v) for k, v in spec.get("filters", {}).items()},
        year_from=spec.get("year_from"),
        sort=spec.get("sort", "relevance"),
        page=spec.get("page", 1),
        decision_uid=within_uid if spec.get("decision") else None,
        mode=MODE,
    )


def _query_string(spec: dict[str, Any], within_uid: str) -> str:
    pairs: list[tuple[str, str]] = [("q", spec.get("q", "")), ("mode", MODE)]
    for k, values in spec.get("filters", {}).items():
        pairs.extend((k, v) for v in values)
    for key in ("sort", "page", "year_from"):
        if key in spec:
            pairs.append((key, str(spec[key])))
    if spec.get("decision"):
        pairs.append(("decision", within_uid))
    return urllib.parse.urlencode(pairs)


CPU_SAMPLES: list[float] = []  # CPU seconds of the timed calls of the way being measured


def _time(fn: Any, repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls after a warm-up; their CPU seconds (this process)
    go to ``CPU_SAMPLES``: on a shared machine the wall clock measures the others' load too."""
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        c = time.process_time()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
        CPU_SAMPLES.append(time.process_time() - c)
    return out


def _cpu_summary(cpu: list[float]) -> dict[str, float]:
    s = sorted(cpu)
    return {"cpu_p50_ms": round(statistics.median(s) * 1000, 2)} if s else {}


def _wsgi_call(query_string: str) -> Any:
    """A call of ``GET /api/v1/search?<query_string>`` through Django's WSGI handler in this
    process: everything the API does but HTTP (raises unless the answer is 200)."""
    import io

    from cicnet.config.wsgi import application

    def call() -> None:
        status: list[str] = []
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/api/v1/search",
            "QUERY_STRING": query_string,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        answer = application(environ, lambda s, headers: status.append(s))
        try:
            b"".join(answer)
        finally:
            answer.close()  # type: ignore[attr-defined]
        if not status[0].startswith("200"):
            raise RuntimeError(f"/api/v1/search?{query_string}: {status[0]}")

    return call


def _ticks(pids: list[str]) -> int:
    """User + system CPU clock ticks of these processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _http(args: argparse.Namespace, within_uid: str) -> dict[str, Any]:
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "cicnet.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            "--log-level",
            "error",
        ],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/api/v1/search"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "?q=", timeout=30) as r:  # noqa: S310 — loopback
                    r.read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    err = server.stderr.read().decode()[-2000:] if server.stderr else ""
                    return {"error": f"the API server did not start: {err}"}
                time.sleep(0.3)
        samples: list[float] = []
        per_query: list[float] = []
        status_errors: list[str] = []
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        # Both workers answer every query once before anything is counted (a worker's first
        # search opens the index and loads the vocabularies).
        for _ in range(2):
            for spec in QUERIES:
                url = base + "?" + _query_string(spec, within_uid)
                with contextlib.suppress(OSError):
                    with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 — loopback
                        r.read()
        ticks_before = _ticks(workers)
        for spec in QUERIES:
            url = base + "?" + _query_string(spec, within_uid)

            def get(url: str = url) -> None:
                try:
                    with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 — loopback
                        r.read()
                except urllib.error.HTTPError as exc:
                    status_errors.append(f"{url}: {exc.code}")

            times = _time(get, args.repeat)
            samples.extend(times)
            per_query.append(statistics.median(times))
        worker_cpu_s = (_ticks(workers) - ticks_before) / os.sysconf("SC_CLK_TCK")
        requests = len(QUERIES) * (args.repeat + 1)
        # The same endpoint for a word no decision holds: what a request costs without a
        # search's work (HTTP, gunicorn, Django, the throttle, an empty answer), to tell the
        # two apart. Not counted in the figures above.
        floor_url = base + "?" + _query_string({"q": FLOOR_QUERY}, within_uid)

        def get_floor() -> None:
            with urllib.request.urlopen(floor_url, timeout=60) as r:  # noqa: S310 — loopback
                r.read()

        floor = _time(get_floor, 100)
        rss = {str(pid): _vm_hwm_kib(int(pid)) for pid in workers}
        return {
            **_percentiles(samples),
            # The workers' CPU time per request (warm-ups included; 10 ms clock ticks): what
            # the API costs whatever else runs on the machine.
            "worker_cpu_ms_per_request": round(worker_cpu_s / requests * 1000, 2),
            "floor_p50_ms": round(statistics.median(floor) * 1000, 2),
            "per_query_p50_ms": [round(x * 1000, 2) for x in per_query],
            "worker_peak_rss_mb": round(max(rss.values(), default=0) / 1024, 1),
            "errors": status_errors[:5],
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def _engine(
    backend: Any, specs: list[dict[str, Any]], within_uid: str, scope: Any, repeat: int
) -> dict[str, Any]:
    """tantivy alone on the same queries: the query objects the backend builds (made before the
    clock starts), top 10 with the count and every facet as one aggregation; no snippets, no
    stored fields read, no Python shaping. The floor the API is compared with."""
    from cicnet.search import query as q
    from cicnet.search.tantivy_backend import FACET_SIZE, _facet_field
    from cicnet.search.types import FACETS

    index = backend._open()
    searcher = index.searcher()
    aggs = {n: {"terms": {"field": _facet_field(n), "size": FACET_SIZE}} for n in FACETS}
    samples, per_query = [], []
    CPU_SAMPLES.clear()
    for spec in specs:
        params = _params(spec, within_uid)
        tq = backend._decision_query(params, scope, q.parse(params.q))
        offset = (params.page - 1) * params.page_size

        def fn(tq: Any = tq, offset: int = offset) -> Any:
            searcher.search(tq, 10, count=True, offset=offset)
            return searcher.aggregate(tq, aggs)

        times = _time(fn, repeat)
        samples.extend(times)
        per_query.append(statistics.median(times))
    twelve = list(CPU_SAMPLES)
    # Where tantivy's time goes: the same queries without facets and with three.
    by_facets: dict[str, float] = {}
    variants: list[tuple[str, dict[str, Any]]] = [
        ("0", {}),
        ("3", {n: aggs[n] for n in ("country", "year", "crime")}),
    ]
    from cicnet.search import tantivy_backend

    packed = getattr(tantivy_backend, "facet_aggregations", None)
    if packed is not None:
        # All twelve as the backend counts them since decision 0193: from packs of facets.
        variants.append(("12_as_packs", packed(FACETS)[0]))
    for label, wanted in variants:
        CPU_SAMPLES.clear()
        for spec in specs:
            params = _params(spec, within_uid)
            tq = backend._decision_query(params, scope, q.parse(params.q))

            def part(tq: Any = tq, wanted: dict[str, Any] = wanted) -> Any:
                searcher.search(tq, 10, count=True)
                return searcher.aggregate(tq, wanted) if wanted else None

            _time(part, repeat)
        by_facets[label] = _cpu_summary(CPU_SAMPLES).get("cpu_p50_ms", 0.0)
    by_facets["12"] = _cpu_summary(twelve).get("cpu_p50_ms", 0.0)
    return {
        **_percentiles(samples),
        **_cpu_summary(twelve),
        "cpu_p50_ms_by_facets": by_facets,
        "per_query_p50_ms": [round(x * 1000, 2) for x in per_query],
    }


def _loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    global MODE
    args = _args()
    MODE = args.mode
    load_before = _loadavg()
    if args.reuse and args.backend == "postgres":
        # DIR is the database a run killed before its clean-up left (cicnet_bench_<pid>).
        tmp = Path(tempfile.mkdtemp(prefix="cicnet-bench-search-"))
        _setup_env(args, tmp, create=False)
        os.environ["DATABASE_URL"] = args.pg_url.rstrip("/") + "/" + args.reuse
        dbname = None
    elif args.reuse:
        tmp = Path(args.reuse)
        os.environ["CICNET_VAR_DIR"] = str(tmp)
        os.environ["CICNET_INDEX_DIR"] = str(tmp / "index")
        os.environ["CICNET_SEARCH_BACKEND"] = "tantivy"
        os.environ["CICNET_ANON_API_RATE"] = str(10**9)
        os.environ["CICNET_LOG_LEVEL"] = "ERROR"
        os.environ["DJANGO_SETTINGS_MODULE"] = "cicnet.config.settings"
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        args.keep = True
        dbname = None
    else:
        tmp = Path(tempfile.mkdtemp(prefix="cicnet-bench-search-"))
        dbname = _setup_env(args, tmp)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from cicnet.access import policy
        from cicnet.search.backend import get_backend
        from cicnet.search.services import rebuild_index, search_decisions

        if args.reuse:
            from cicnet.jurisprudence.models import Decision, Paragraph

            corpus = {
                "decisions": Decision.objects.count(),
                "paragraphs": Paragraph.objects.count(),
            }
            corpus_s = build_s = 0.0
            indexed = corpus["decisions"]
        else:
            call_command("migrate", verbosity=0, interactive=False)
            t = time.perf_counter()
            corpus = _build_corpus(args.decisions, args.seed)
            corpus_s = time.perf_counter() - t
            t = time.perf_counter()
            indexed = rebuild_index()
            build_s = time.perf_counter() - t
        load_after_build = _loadavg()
        backend = get_backend()
        status = backend.status()
        if args.backend == "tantivy":
            size = sum(f.stat().st_size for f in (tmp / "index").rglob("*") if f.is_file())
        else:
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute(
                    "SELECT pg_total_relation_size('search_pg_decision') + "
                    "pg_total_relation_size('search_pg_paragraph') + "
                    "COALESCE(pg_total_relation_size(to_regclass('search_pg_words')), 0)"
                )
                size = int(cur.fetchone()[0])
        actor = policy.ANONYMOUS
        scope = policy.decision_scope(actor)
        within_uid = within_decision()
        ways: dict[str, Any] = {}
        for way in ("backend", "service", "wsgi"):
            samples, per_query = [], []
            CPU_SAMPLES.clear()
            for spec in QUERIES:
                params = _params(spec, within_uid)
                if way == "backend":

                    def fn(params: Any = params) -> Any:
                        return backend.search(params, scope)
                elif way == "service":

                    def fn(params: Any = params) -> Any:
                        return search_decisions(actor=actor, params=params)
                else:
                    fn = _wsgi_call(_query_string(spec, within_uid))

                times = _time(fn, args.repeat)
                samples.extend(times)
                per_query.append(statistics.median(times))
            ways[way] = {
                **_percentiles(samples),
                **_cpu_summary(CPU_SAMPLES),
                "per_query_p50_ms": [round(x * 1000, 2) for x in per_query],
            }
            if way == "wsgi":
                floor = _time(_wsgi_call(_query_string({"q": FLOOR_QUERY}, within_uid)), 100)
                ways[way]["floor_p50_ms"] = round(statistics.median(floor) * 1000, 2)
        if args.backend == "tantivy":
            ways["engine"] = _engine(backend, QUERIES, within_uid, scope, args.repeat)
        if not args.no_http:
            from django.db import connections

            connections.close_all()
            ways["http"] = _http(args, within_uid)
        counts = [
            search_decisions(actor=actor, params=_params(s, within_uid)).count for s in QUERIES
        ]
        # What was measured: decisions whose indexed text is the withheld placeholder (0 unless
        # the corpus lost its sign-off, in which case the timings measure the placeholder).
        placeholder_hits = search_decisions(
            actor=actor, params=_params({"q": '"withheld until"'}, "")
        ).count
        floor_hits = search_decisions(actor=actor, params=_params({"q": FLOOR_QUERY}, "")).count
        print(
            json.dumps(
                {
                    "benchmark": "search",
                    "backend": args.backend,
                    "decisions": corpus["decisions"],
                    "paragraphs": corpus["paragraphs"],
                    "seed": args.seed,
                    "repeat": args.repeat,
                    "cpus": os.cpu_count(),
                    "reused": args.reuse or None,
                    "database": (dbname or args.reuse) if args.backend == "postgres" else None,
                    "corpus_build_s": round(corpus_s, 1),
                    "index_build_s": round(build_s, 1),
                    "indexed_decisions": indexed,
                    "index_size_mb": round(size / 2**20, 1),
                    "bench_peak_rss_mb": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                    "index_status": {k: str(v) for k, v in status.items()},
                    "queries": [_query_string(s, "<uid>") for s in QUERIES],
                    "result_counts": counts,
                    "placeholder_hits": placeholder_hits,
                    "floor_hits": floor_hits,
                    "latency": ways,
                    "api_over_engine": (
                        {
                            k: round(ways["http"][k] / ways["engine"][k], 1)
                            for k in ("p50_ms", "p95_ms")
                        }
                        if "engine" in ways and "p50_ms" in ways.get("http", {})
                        else None
                    ),
                    "api_cpu_over_engine_cpu": (
                        round(
                            ways["http"]["worker_cpu_ms_per_request"]
                            / ways["engine"]["cpu_p50_ms"],
                            1,
                        )
                        if "engine" in ways
                        and ways["engine"].get("cpu_p50_ms")
                        and "worker_cpu_ms_per_request" in ways.get("http", {})
                        else None
                    ),
                    "mode": MODE,
                    "loadavg_1_5_15": {
                        "start": load_before,
                        "after_build": load_after_build,
                        "end": _loadavg(),
                    },
                },
                indent=2,
            )
        )
    finally:
        if dbname and not args.keep:
            from django.db import connections

            connections.close_all()
            _drop_pg(args, dbname)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
