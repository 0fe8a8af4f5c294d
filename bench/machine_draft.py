"""chrF of Apertium's French→English rough drafts against the English of the 7 ECtHR judgments
whose French is the Court's own; prints JSON. Report only (for choosing engines later).

    .venv/bin/python bench/machine_draft.py

Data: ``src/cicnet/demo/data/echr_en_fr_es_40.jsonl.gz`` (NOTICE: ``ECHR-PARALLEL-NOTICE.md``);
the documents whose ``source.fr_translation`` is ``official-likely``. Each document's French
paragraphs go through the adapter the workspace uses (``translation.engines.apertium.Apertium``:
``apertium -u fr-es`` then ``spa-eng``, one call per document), and the drafts are scored with
sacrebleu's corpus chrF (character 6-grams, beta 2) against the English paragraphs, whose
French the Court wrote itself (so the reference is a real translation pair, not a machine one).
Nothing is tuned on this, so there is no held-out split to keep.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "cicnet" / "demo" / "data" / "echr_en_fr_es_40.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicnet.config.settings")


def main() -> None:
    from sacrebleu.metrics import BLEU, CHRF

    from cicnet.translation.engines.apertium import Apertium

    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    official = [d for d in docs if d["source"].get("fr_translation") == "official-likely"]
    engine = Apertium(timeout=300)
    hypotheses: list[str] = []
    references: list[str] = []
    words = 0
    started = time.perf_counter()
    for doc in official:
        french = [p["fr"] for p in doc["paragraphs"]]
        words += sum(len(p.split()) for p in french)
        hypotheses.extend(engine.translate(french, source="fr", target="en"))
        references.extend(p["en"] for p in doc["paragraphs"])
    seconds = time.perf_counter() - started
    chrf_metric, bleu_metric = CHRF(), BLEU()
    chrf = chrf_metric.corpus_score(hypotheses, [references])
    bleu = bleu_metric.corpus_score(hypotheses, [references])
    print(
        json.dumps(
            {
                "engine": "apertium fr-es | spa-eng (Debian packages)",
                "documents": [d["id"] for d in official],
                "paragraphs": len(hypotheses),
                "french_words": words,
                "chrF": round(chrf.score, 2),
                "chrF_signature": str(chrf_metric.get_signature()),
                "BLEU": round(bleu.score, 2),
                "seconds": round(seconds, 2),
                "words_per_second": round(words / seconds, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
