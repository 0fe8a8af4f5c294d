"""The translation memory's cost on a workspace page; prints JSON.

    .venv/bin/python bench/translation_memory.py            # 2,000 remembered paragraphs
    .venv/bin/python bench/translation_memory.py --memory 500 --repeat 3

A translator opening a job sees, for every paragraph still to translate, up to three earlier
translations of like paragraphs (``cicnet.translation.memory.rank``, the function the workspace
calls, on real ``Segment`` objects that are not saved: the database's one query for the memory is
not what is measured). The memory holds at most ``MAX_CANDIDATES`` paragraphs.

Data: English paragraphs of real ECtHR judgments. The job is the 10 held-out documents of the 40
English/French/Spanish judgments (every fourth, as in bench/alignment.py), one segment per
English paragraph; the memory is the other 30 documents' English paragraphs with their French
translations, then paragraphs of the TAB judgments (their own text stands in for a translation:
only the source side is compared) until ``--memory`` is reached. Prints what it measured: how
many segments, how many remembered paragraphs, how many suggestions in all and how many identical
(1.0), so a run on empty or placeholder data shows.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "cicnet" / "demo" / "data"
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicnet.config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from cicnet.jurisprudence.models import Decision  # noqa: E402
from cicnet.translation.memory import MAX_CANDIDATES, Memory, rank  # noqa: E402
from cicnet.translation.models import Segment, TranslationJob  # noqa: E402
from cicnet.translation.services import normalised_hash  # noqa: E402


def _segment(job: TranslationJob, pk: int, source: str, target: str, status: str) -> Segment:
    seg = Segment(pk=pk, source_body=source, body=target, status=status)
    seg.source_hash = normalised_hash(source)
    seg.job = job
    return seg


def _data(memory_size: int) -> tuple[list[Segment], list[Segment]]:
    with gzip.open(DATA / "echr_en_fr_es_40.jsonl.gz", "rt", encoding="utf-8") as fh:
        docs = sorted((json.loads(line) for line in fh), key=lambda d: d["id"])
    decision = Decision(uid="bench-memory")
    job = TranslationJob(decision=decision, target_language="fr")
    todo: list[Segment] = []
    memory: list[Segment] = []
    pk = 0
    for position, doc in enumerate(docs):
        for p in doc["paragraphs"]:
            if p.get("heading"):
                continue
            pk += 1
            if position % 4 == 3:
                todo.append(_segment(job, pk, p["en"], "", "empty"))
            else:
                memory.append(_segment(job, pk, p["en"], p["fr"], "reviewed"))
    tab = [
        doc
        for name in ("tab_train.json", "tab_dev.json")
        for doc in json.loads((DATA / name).read_text(encoding="utf-8"))
    ]
    for doc in tab:
        for block in doc["text"].split("\n"):
            if len(memory) >= memory_size:
                break
            if len(block.split()) >= 8:
                pk += 1
                memory.append(_segment(job, pk, block, block, "translated"))
    return todo, memory[:memory_size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--memory", type=int, default=MAX_CANDIDATES)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    todo, remembered = _data(args.memory)
    runs: list[float] = []
    cpu: list[float] = []
    found: list[list[Any]] = []
    for _ in range(args.repeat):
        wall, clock = time.perf_counter(), time.process_time()
        memory = Memory.of(remembered)  # read once per page, as the workspace does
        found = [rank(seg, memory) for seg in todo]
        runs.append(time.perf_counter() - wall)
        cpu.append(time.process_time() - clock)
    suggestions = [s for row in found for s in row]
    print(
        json.dumps(
            {
                "benchmark": "translation_memory",
                "segments": len(todo),
                "memory_paragraphs": len(remembered),
                "memory_words": sum(len(m.source_body.split()) for m in remembered),
                "suggestions": len(suggestions),
                "segments_with_a_suggestion": sum(1 for row in found if row),
                "identical_suggestions": sum(1 for s in suggestions if s.similarity == 1.0),
                "similarity_sum": round(sum(s.similarity for s in suggestions), 2),
                "page_s_median": round(statistics.median(runs), 3),
                "page_cpu_s_median": round(statistics.median(cpu), 3),
                "ms_per_segment": round(statistics.median(runs) / max(len(todo), 1) * 1000, 2),
                "loadavg": list(os.getloadavg()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
