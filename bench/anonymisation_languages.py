"""Anonymisation in languages without a spaCy model, on real text; prints JSON.

    .venv/bin/python bench/anonymisation_languages.py [--policy publication] [--data DIR]

**Spanish** (no model here): the 40 ECtHR judgments of ``parallel/echr_en_fr_es_40.jsonl``,
paragraph-aligned English / French / Spanish (the Spanish is a machine translation; the English
is TAB's text, but of documents outside ``tab_train.json`` and ``tab_dev.json``, so neither the
rules nor the word lists were ever tuned on them, and there is no human annotation of them
here). Gold Spanish person mentions are *silver*, projected from the English: every occurrence
in the Spanish text of the surface of a person span the anonymiser finds in the English copy
with its model (TAB person recall 1.000 on dev and held-out), titles stripped, matched as whole
words. A Spanish name the English pass missed, or spells differently, is therefore not counted.
Person-mention recall (fully masked) is given for two set-ups:

- ``alone``: the Spanish text on its own: rules, titles and cues, the given-name gazetteer;
- ``with_english``: as ingestion does it (``services.decision_anonymise``): the English copy is
  anonymised first and its persons are carried over (``propagate.py``). Against silver gold
  drawn from the same English pass, this shows that carrying over works, not that it finds
  names the English pass missed.

**Dutch** (no model): the ten rechtspraak.nl judgments of ``rechtspraak/``, which the courts
published pseudonymised ("[appellant]", "[locatie 3]", "[vennoot A]"). There is no gold for
names; what is measured is that every court pseudonym is recognised (reported as kept by the
``court_pseudonyms`` rule) and left intact (no span overlaps it), and how many spans of each
kind the anonymiser still adds.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from cicnet.anonymisation.engine import anonymise
from cicnet.anonymisation.grouping import Grouper
from cicnet.anonymisation.propagate import anonymise_original
from cicnet.anonymisation.rules import _patterns

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT.parent / "shared" / "data"
TITLE = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)+")


def _silver_surfaces(english_text: str, english_spans: list[tuple[int, int, str]]) -> set[str]:
    """The surfaces of the English copy's person spans, titles and possessives stripped."""
    out = set()
    for start, end, kind in english_spans:
        if kind != "PERSON":
            continue
        surface = TITLE.sub("", english_text[start:end]).strip(" ,.;:")
        surface = re.sub(r"[’']s$", "", surface)
        if len(surface) >= 3 and re.search(r"[^\W\d_]{2}", surface):
            out.add(surface)
    return out


def _occurrences(text: str, surfaces: set[str]) -> list[tuple[int, int]]:
    if not surfaces:
        return []
    alternation = "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
    return [m.span() for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text)]


def spanish(data: Path, policy: str) -> dict[str, object]:
    rows = [
        json.loads(line)
        for line in (data / "parallel" / "echr_en_fr_es_40.jsonl").read_text("utf-8").splitlines()
    ]
    counts: dict[str, Counter[str]] = {}
    began = time.perf_counter()
    for row in rows:
        grouper = Grouper()
        english = anonymise(row["en"], policy=policy, language="en", grouper=grouper)
        triples = [(s.start, s.end, s.kind) for s in english.spans]
        gold = _occurrences(row["es"], _silver_surfaces(row["en"], triples))
        results = {
            "alone": anonymise(row["es"], policy=policy, language="es"),
            "with_english": anonymise_original(
                row["es"], language="es", translation=english, grouper=grouper, policy=policy
            ),
        }
        for setup, result in results.items():
            covered = {i for s in result.spans for i in range(s.start, s.end)}
            c = counts.setdefault(setup, Counter())
            c["hit"] += sum(all(i in covered for i in range(s, e)) for s, e in gold)
            c["total"] += len(gold)
            c["flagged"] += result.without_model
    report: dict[str, object] = {
        "documents": len(rows),
        "words": sum(len(r["es"].split()) for r in rows),
        "seconds": round(time.perf_counter() - began, 2),
    }
    for setup, c in counts.items():
        report[setup] = {
            "person_mentions": c["total"],
            "person_mention_recall": round(c["hit"] / c["total"], 4) if c["total"] else None,
            "texts_flagged_without_model": c["flagged"],
        }
    return report


def _rechtspraak_text(path: Path) -> str:
    root = ET.parse(path).getroot()  # noqa: S314 - the project's own fixture files
    for element in root.iter():
        if element.tag.endswith("uitspraak"):
            return "\n".join(t.strip() for t in element.itertext() if t.strip())
    return ""


def dutch(data: Path, policy: str) -> dict[str, object]:
    pattern = _patterns("nl")["court_pseudonym"]
    pseudonyms = recognised = intact = words = 0
    spans: Counter[str] = Counter()
    files = sorted((data / "rechtspraak").glob("*.xml"))
    for path in files:
        text = _rechtspraak_text(path)
        words += len(text.split())
        result = anonymise(text, policy=policy, language="nl")
        kept = {(m.start, m.end) for m in result.kept if m.source == "pseudonym"}
        for m in pattern.finditer(text):
            pseudonyms += 1
            recognised += m.span() in kept
            intact += not any(s.start < m.end() and m.start() < s.end for s in result.spans)
        spans.update(s.kind for s in result.spans)
    return {
        "documents": len(files),
        "words": words,
        "court_pseudonyms": pseudonyms,
        "recognised": recognised,
        "left_intact": intact,
        "spans_added_by_kind": dict(sorted(spans.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--policy", default="publication")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="default ../shared/data")
    args = parser.parse_args()
    report = {
        "policy": args.policy,
        "spanish_echr": spanish(args.data, args.policy),
        "dutch_rechtspraak": dutch(args.data, args.policy),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
