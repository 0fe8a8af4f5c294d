"""``cicnet crosscheck-names A.jsonl B.jsonl [--blind]``: the app's matching, from outside.

Each file holds one person per line, ``{"id", "names": [...], "birth_year"?, "nationality"?}``.
Prints the candidate hits as JSON Lines ``{"a", "b", "score", "band"}``, strongest first; the
band is strong, possible or weak (``linkage.Match``).
``--blind`` encodes both sides into Bloom-filter linkage keys under a key (``--key`` or a random
one per run) and compares only those, as the app does; without it the same rule runs on the
clear bigram sets (to measure what blinding costs). Both run the batch of ``linkage.crosscheck``,
the code of the app's checks. Blocking on keyed token skeletons is on unless
``--no-blocking``. Django-free, like ``verify-package``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path

from cicnet.coordination import linkage


class RecordError(ValueError):
    """A line of an input file that is not a person record; names file, line and field."""


def read_records(path: Path) -> list[dict[str, object]]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"{path}: cannot read it as UTF-8 text ({exc})") from exc
    records = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or "id" not in record:
            raise RecordError(f'{path}:{n}: give an object with "id" and "names"')
        names = record.get("names", [])
        if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
            raise RecordError(f'{path}:{n}: "names" must be a list of strings')
        year = record.get("birth_year")
        if year is not None and not isinstance(year, int):
            raise RecordError(f'{path}:{n}: "birth_year" must be a whole number')
        nationality = record.get("nationality", "")
        if not isinstance(nationality, str):
            raise RecordError(f'{path}:{n}: "nationality" must be a two-letter code')
        if not names and year is None:
            raise RecordError(f"{path}:{n}: a person needs a name or a birth year")
        records.append(record)
    return records


def prepare(
    records: list[dict[str, object]], *, blind: bool, key: bytes
) -> list[linkage.Encoded | linkage.Clear]:
    out: list[linkage.Encoded | linkage.Clear] = []
    for r in records:
        raw = r.get("names")
        names = [str(n) for n in raw] if isinstance(raw, list) else []
        year = r.get("birth_year")
        by = year if isinstance(year, int) else None
        nat = str(r.get("nationality") or "")
        if blind:
            out.append(linkage.encode_person(names, by, nat, key))
        else:
            out.append(linkage.clear_person(names, by, nat, key))
    return out


def run(
    a: list[dict[str, object]],
    b: list[dict[str, object]],
    *,
    blind: bool,
    key: bytes,
    blocking: bool = True,
    threshold: float = linkage.THRESHOLD,
) -> list[dict[str, object]]:
    left, right = prepare(a, blind=blind, key=key), prepare(b, blind=blind, key=key)
    hits = linkage.crosscheck(left, right, blocking=blocking, threshold=threshold)
    return [
        {"a": a[i]["id"], "b": b[j]["id"], "score": m.score, "band": m.band} for i, j, m in hits
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cicnet crosscheck-names", description=__doc__)
    parser.add_argument("a", type=Path, help="JSON Lines file of the first authority")
    parser.add_argument("b", type=Path, help="JSON Lines file of the second authority")
    parser.add_argument("--blind", action="store_true", help="compare Bloom-filter encodings")
    parser.add_argument("--key", default="", help="linkage key (default: random per run)")
    parser.add_argument("--no-blocking", action="store_true", help="compare every pair")
    parser.add_argument("--threshold", type=float, default=linkage.THRESHOLD)
    args = parser.parse_args(argv)
    if not 0.0 < args.threshold <= 1.0:
        print("--threshold: give a number above 0 and at most 1", file=sys.stderr)
        return 2
    try:
        a, b = read_records(args.a), read_records(args.b)
    except RecordError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    key = args.key.encode("utf-8") if args.key else secrets.token_bytes(32)
    for hit in run(
        a, b, blind=args.blind, key=key, blocking=not args.no_blocking, threshold=args.threshold
    ):
        print(json.dumps(hit, ensure_ascii=False))
    return 0
