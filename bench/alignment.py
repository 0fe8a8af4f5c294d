"""Paragraph alignment on the 40 ECtHR judgments in English, French and Spanish; prints JSON.

    .venv/bin/python bench/alignment.py                 # both splits, French and Spanish
    .venv/bin/python bench/alignment.py --split tune    # only the part tuned on
    .venv/bin/python bench/alignment.py --split heldout # only the held-out part (never tuned on)

Data: ``src/cicnet/demo/data/echr_en_fr_es_40.jsonl.gz`` (a copy of
``shared/data/parallel/echr_en_fr_es_40.jsonl``, NOTICE in ``ECHR-PARALLEL-NOTICE.md``). Each
document's ``paragraphs`` field is the reference: an English paragraph (a blank-line block) and
the French/Spanish sentences that translate it.

The aligner gets the English as paragraphs and the French (then the Spanish) as one sentence
per paragraph, exactly as ``cicnet align`` would read two ``.txt`` files (one blank-line block
per English paragraph, one per French sentence), so it must regroup the sentences. Score: the
share of English paragraphs whose group of sentences is exactly the reference's group.

Held-out part: every fourth document in id order (positions 3, 7, 11, …: 10 documents), fixed
before any tuning; the aligner's constants were tuned on the other 30 only. The figures of both
are reported. One document is also run through the real command (``cicnet align --json`` as a
subprocess on two .txt files) to check that the command gives the same pairs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "cicnet" / "demo" / "data" / "echr_en_fr_es_40.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))

from cicnet.translation.files import align_texts, paragraphs_of_text  # noqa: E402


def documents() -> list[dict[str, Any]]:
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    return sorted(docs, key=lambda d: str(d["id"]))


def split_of(position: int) -> str:
    return "heldout" if position % 4 == 3 else "tune"


def as_txt(blocks: list[str]) -> str:
    return "\n\n".join(blocks) + "\n"


def reference(doc: dict[str, Any], lang: str) -> tuple[list[str], list[str], list[list[int]]]:
    """English blocks, target sentences, and per English block the target sentence indices."""
    english: list[str] = []
    sentences: list[str] = []
    groups: list[list[int]] = []
    for p in doc["paragraphs"]:
        english.append(p["en"])
        start = len(sentences)
        sentences.extend(p[f"{lang}_sentences"])
        groups.append(list(range(start, len(sentences))))
    return english, sentences, groups


def score(doc: dict[str, Any], lang: str) -> tuple[int, int, float]:
    english, sentences, groups = reference(doc, lang)
    original = paragraphs_of_text(as_txt(english))
    translation = paragraphs_of_text(as_txt(sentences))
    if len(original.paragraphs) != len(english) or len(translation.paragraphs) != len(sentences):
        raise SystemExit(f"{doc['id']}: the .txt round trip changed the paragraph count")
    started = time.perf_counter()
    pairs = align_texts(original, translation)
    elapsed = time.perf_counter() - started
    found: dict[int, list[int]] = {}
    for pair in pairs:
        if len(pair.original) == 1:
            found[pair.original[0]] = list(pair.translation)
    exact = sum(1 for i, group in enumerate(groups) if found.get(i) == group)
    return exact, len(groups), elapsed


def command_check(doc: dict[str, Any], lang: str) -> bool:
    """Run ``cicnet align --json`` on two .txt files and compare with the in-process pairs."""
    english, sentences, _ = reference(doc, lang)
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "original.txt", Path(tmp) / "translation.txt"
        a.write_text(as_txt(english), encoding="utf-8")
        b.write_text(as_txt(sentences), encoding="utf-8")
        out = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "cicnet"), "align", str(a), str(b), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    pairs = align_texts(paragraphs_of_text(as_txt(english)), paragraphs_of_text(as_txt(sentences)))
    return bool(json.loads(out)["pairs"] == [p.as_json() for p in pairs])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tune", "heldout", "all"], default="all")
    parser.add_argument("--misses", action="store_true", help="list documents below 1.0 (tune)")
    args = parser.parse_args()
    docs = documents()
    report: dict[str, Any] = {"data": str(DATA.relative_to(ROOT)), "documents": len(docs)}
    for lang in ("fr", "es"):
        for split in ("tune", "heldout"):
            if args.split not in (split, "all"):
                continue
            exact = total = 0
            seconds = 0.0
            chosen = [d for k, d in enumerate(docs) if split_of(k) == split]
            misses = []
            for doc in chosen:
                e, t, s = score(doc, lang)
                exact, total, seconds = exact + e, total + t, seconds + s
                if e < t and split == "tune":
                    misses.append(f"{doc['id']}: {e}/{t}")
            report[f"{lang}_{split}"] = {
                "documents": len(chosen),
                "english_paragraphs": total,
                "exact_groups": exact,
                "share_exact": round(exact / total, 4),
                "align_seconds": round(seconds, 3),
                "sentences": sum(len(reference(d, lang)[1]) for d in chosen),
            }
            if args.misses and misses:
                report[f"{lang}_{split}"]["misses"] = misses
    report["command_matches_library"] = command_check(docs[0], "fr")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
