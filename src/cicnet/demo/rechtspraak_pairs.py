"""The demo catalogue's Dutch war-crimes judgments with the court's own English translation
(``demo/data/rechtspraak_pairs.csv``, CASES-NOTICE.md), as import identifiers."""

from __future__ import annotations

import csv
from pathlib import Path

PAIRS = Path(__file__).resolve().parent / "data" / "rechtspraak_pairs.csv"


def rechtspraak_pairs() -> list[str]:
    """``ORIGINAL+ENGLISH`` per pair."""
    with PAIRS.open(encoding="utf-8", newline="") as fh:
        return [f"{r['original_ecli']}+{r['english_ecli']}" for r in csv.DictReader(fh)]
