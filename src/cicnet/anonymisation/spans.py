"""The ``anonymise-spans`` contract: JSON Lines of raw texts in, JSON Lines of spans out.

Reads ``{"id": ..., "text": ...}`` per line and writes ``{"id": ..., "spans": [[start, end,
kind], ...]}`` per line (character offsets into the Python string, end exclusive, sorted,
non-overlapping). No database, no network. A line that is not valid JSON, or lacks ``id`` or
``text``, gets a message naming its line number; the other lines are still answered, and the
caller (the command) exits non-zero.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from .engine import anonymise


class BadLine(ValueError):
    """An input line the contract does not accept; the message names the line number."""


def parse_line(number: int, line: str) -> tuple[Any, str]:
    """The ``(id, text)`` of one input line; ``BadLine`` naming the line number if bad."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise BadLine(f'line {number}: expected an object {{"id": ..., "text": ...}}')
    missing = [key for key in ("id", "text") if key not in record]
    if missing:
        raise BadLine(f"line {number}: missing {' and '.join(repr(k) for k in missing)}")
    if not isinstance(record["text"], str):
        raise BadLine(f"line {number}: 'text' must be a string")
    return record["id"], record["text"]


def spans_jsonl(
    lines: Iterable[str], *, out: TextIO, err: TextIO, policy: str, language: str
) -> int:
    """Answer every good line on ``out``, name every bad one on ``err``; the count of bad lines."""
    bad = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc_id, text = parse_line(number, line)
        except BadLine as exc:
            err.write(f"{exc}\n")
            bad += 1
            continue
        result = anonymise(text, policy=policy, language=language)
        spans = [span.as_triple() for span in result.spans]
        out.write(json.dumps({"id": doc_id, "spans": spans}, ensure_ascii=False) + "\n")
        out.flush()
    return bad
