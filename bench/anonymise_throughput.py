"""Throughput of ``cicnet anonymise-spans`` on one long judgment text, A/B against another
checkout; prints JSON.

    .venv/bin/python bench/anonymise_throughput.py                         # this checkout
    .venv/bin/python bench/anonymise_throughput.py --before-src ../main/src --runs 3

Builds one document of about 50,000 words from the TAB dev texts (../shared/data/anonymisation)
and times the real command (start-up included) in variants run in turn, ``--runs`` times each:
``after`` (this checkout, default ``CICNET_NER_PROCESSES``), ``after_1proc``
(``CICNET_NER_PROCESSES=1``) and, with ``--before-src``, ``before`` (the same command with that
``src`` folder first on ``PYTHONPATH``). Interleaving the variants spreads the load of other work
on the machine over all of them; the median is reported with every run and the load average.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymisation"


def document(words_target: int = 50_000) -> tuple[str, int]:
    docs = json.loads((DATA_DIR / "tab_dev.json").read_text("utf-8"))
    parts, words = [], 0
    while words < words_target:
        for doc in docs:
            parts.append(doc["text"])
            words += len(doc["text"].split())
            if words >= words_target:
                break
    return "\n\n".join(parts), words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-src", type=Path, help="the src folder of another checkout")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    text, words = document()
    payload = json.dumps({"id": "big", "text": text}) + "\n"
    variants: dict[str, dict[str, str]] = {
        "after": {},
        "after_1proc": {"CICNET_NER_PROCESSES": "1"},
    }
    if args.before_src:
        variants = {"before": {"PYTHONPATH": str(args.before_src.resolve())}, **variants}
    times: dict[str, list[float]] = {name: [] for name in variants}
    spans: dict[str, int] = {}
    for _ in range(args.runs):
        for name, extra in variants.items():
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "cicnet", "anonymise-spans", "--policy", "strict"],
                input=payload,
                capture_output=True,
                text=True,
                env={**os.environ, **extra},
                check=True,
            )
            times[name].append(time.perf_counter() - started)
            spans[name] = len(json.loads(proc.stdout)["spans"])
    report: dict[str, object] = {
        "benchmark": "anonymise-spans throughput",
        "words": words,
        "characters": len(text),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    for name, runs in times.items():
        median = statistics.median(runs)
        report[name] = {
            "median_s": round(median, 2),
            "runs_s": [round(x, 2) for x in runs],
            "words_per_s": round(words / median),
            "spans": spans[name],
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
