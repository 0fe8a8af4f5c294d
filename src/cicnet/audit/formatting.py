"""How an audit entry's details read on the audit log page: one formatter for every kind.

``AuditEntry.changes`` is JSON of any shape: ``field → [old, new]`` for updates, and for other
actions whatever the action records (lists of item ids, a recipient, nested objects). Every
value becomes one line of text here, so no template ever looks into the JSON itself (a key
named ``items`` once met the template's ``.items`` and turned the page into a 500).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cicnet.human_format import human_date, looks_iso

MAX_VALUE_CHARS = 300  # a long list of item ids is cut, with a note of how much was left out


@dataclass(frozen=True)
class Detail:
    key: str
    text: str


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and looks_iso(value):
        return human_date(value, seconds=True)  # snapshots store times as ISO 8601
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) if value else "(none)"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _cut(text: str) -> str:
    if len(text) <= MAX_VALUE_CHARS:
        return text
    return f"{text[:MAX_VALUE_CHARS]}… ({len(text) - MAX_VALUE_CHARS} more characters)"


def audit_details(changes: Any) -> list[Detail]:
    """The entry's details as (key, text) lines. An update (every value an ``[old, new]``
    pair) reads ``old → new``; any other entry shows each value as it is."""
    if not isinstance(changes, dict):
        return [Detail("details", _cut(_value(changes)))] if changes not in (None, "") else []
    is_update = bool(changes) and all(_is_pair(v) for v in changes.values())
    out = []
    for key in sorted(changes, key=str):
        value = changes[key]
        text = f"{_value(value[0])} → {_value(value[1])}" if is_update else _value(value)
        out.append(Detail(str(key), _cut(text)))
    return out


def _is_pair(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and not any(isinstance(v, list | dict) for v in value)
    )
