"""Precision and recall of citation extraction (``cicnet.citations.extract``) on hand-labelled
ECtHR texts; prints JSON.

    .venv/bin/python bench/citations.py                  # dev split (tune on this)
    .venv/bin/python bench/citations.py --split heldout  # held out: report, never tune
    .venv/bin/python bench/citations.py --split all --misses

The labels (``bench/data/citations_gold.json``) cover the first 1,200 characters of 30 TAB
judgments (src/cicnet/demo/data, TAB-NOTICE.md): 20 of tab_dev.json to tune on and 10 of
tab_train.json held out (ids from tab_heldout_ids.txt). Scoring is per document on the set of
distinct ``kind:key`` labels: a true positive is a label the extractor found, a false positive
one it found that is not labelled, a false negative a label it missed. Micro-averaged over the
split, and per kind.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cicnet.citations.extract import extract  # noqa: E402 - after the path is set

GOLD = Path(__file__).resolve().parent / "data" / "citations_gold.json"
TEXTS = ROOT / "src" / "cicnet" / "demo" / "data"


def _texts() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ("tab_dev.json", "tab_train.json"):
        for doc in json.loads((TEXTS / name).read_text("utf-8")):
            out[doc["doc_id"]] = doc["text"]
    return out


def _score(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def run(split: str, misses: bool) -> dict[str, object]:
    gold_all = json.loads(GOLD.read_text("utf-8"))
    window = int(gold_all["window"])
    splits = ["dev", "heldout"] if split == "all" else [split]
    texts = _texts()
    report: dict[str, object] = {"window_chars": window}
    for name in splits:
        gold: dict[str, list[str]] = gold_all[name]
        counts: Counter[str] = Counter()
        by_kind: dict[str, Counter[str]] = {}
        wrong: list[dict[str, object]] = []
        started = time.perf_counter()
        chars = 0
        for doc_id, labels in gold.items():
            text = texts[doc_id][:window]
            chars += len(text)
            found = {f"{f.kind}:{f.key}" for f in extract(text)}
            expected = set(labels)
            for label, outcome in [
                *((x, "tp") for x in found & expected),
                *((x, "fp") for x in found - expected),
                *((x, "fn") for x in expected - found),
            ]:
                counts[outcome] += 1
                by_kind.setdefault(label.split(":", 1)[0], Counter())[outcome] += 1
            if misses and found != expected:
                wrong.append(
                    {
                        "doc": doc_id,
                        "missed": sorted(expected - found),
                        "spurious": sorted(found - expected),
                    }
                )
        elapsed = time.perf_counter() - started
        entry: dict[str, object] = {
            "documents": len(gold),
            "labels": sum(len(v) for v in gold.values()),
            "chars": chars,
            **_score(counts["tp"], counts["fp"], counts["fn"]),
            "by_kind": {k: _score(c["tp"], c["fp"], c["fn"]) for k, c in sorted(by_kind.items())},
            "seconds": round(elapsed, 4),
        }
        if misses:
            entry["errors"] = wrong
        report[name] = entry
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    parser.add_argument("--misses", action="store_true", help="list the errors per document")
    args = parser.parse_args()
    print(json.dumps(run(args.split, args.misses), indent=2))


if __name__ == "__main__":
    main()
