"""Masking a decision's own fields — title, case name and its other names, defendant label,
summary, keywords — with the names the anonymiser masks in its text, for every reader below the
Secretariat and for the search index (issue 10: "Karaarslan v. Turkey" stood in 109 public
titles while the text said "[applicant]", and ``q=Karaarslan`` found them).

The source is the decision's PERSON entities that keep at least one mention masked (not
rejected). A name stands in a heading as the court itself abbreviates it: each name part by its
initial, "Mr Utku Karaarslan" → "U. K.", "Karaarslan v. Turkey" → "K. v. Turkey" (the ECtHR's
and the Genocide Network's practice for anonymised case names). Matching ignores case and
accents, needs word boundaries, and takes the full name before its parts, so "KARAARSLAN",
"Karaarslan's" and "Karaarslán" are all caught.

``mask_decisions`` does it for fetched rows (one query for any number of them); nothing masked
is ever written back: ``Decision.save`` refuses a masked row.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from .models import AnonymisedEntity

MASKED_FIELDS = ("title", "case_name", "defendant", "summary")
# Forms of address and particles that are not names of their own.
_NOT_NAMES = frozenset(
    "mr mrs ms miss dr prof judge sir lady madam the of and van von der den de la le du da".split()
)
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def _fold(text: str) -> str:
    """Lowercase without accents, one character for one (positions stay valid)."""
    return "".join((unicodedata.normalize("NFD", c)[:1] or c).lower()[:1] or c for c in text)


def _parts(canonical: str) -> list[str]:
    return [
        t
        for t in _TOKEN.findall(canonical)
        if len(t) >= 2 and t[0].isupper() and t.lower().strip(".") not in _NOT_NAMES
    ]


def _initials(parts: Sequence[str]) -> str:
    return " ".join(f"{p[0].upper()}." for p in parts)


def replacements(canonicals: Iterable[str]) -> list[tuple[str, str]]:
    """(surface form, heading form) pairs, the longest surface first."""
    pairs: dict[str, str] = {}
    for canonical in canonicals:
        parts = _parts(canonical)
        if not parts:
            continue
        if len(parts) > 1:
            pairs.setdefault(" ".join(parts), _initials(parts))
        for part in parts:
            if len(part) >= 3:  # an initial or a two-letter token is no name to look for
                pairs.setdefault(part, _initials([part]))
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def mask_text(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    """``text`` with every surface form of ``pairs`` replaced by its heading form."""
    if not text or not pairs:
        return text
    folded = _fold(text)
    spans: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for surface, heading in pairs:
        pattern = re.compile(r"(?<!\w)" + re.escape(_fold(surface)) + r"(?!\w)")
        for m in pattern.finditer(folded):
            if any(taken[m.start() : m.end()]):
                continue
            spans.append((m.start(), m.end(), heading))
            for i in range(m.start(), m.end()):
                taken[i] = True
    out, cursor = [], 0
    for start, end, heading in sorted(spans):
        out += [text[cursor:start], heading]
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def masked_names(decision_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """Per decision id, the replacement pairs of its masked person names; one query."""
    ids = list(set(decision_ids))
    if not ids:
        return {}
    names: dict[int, set[str]] = defaultdict(set)
    rows = (
        AnonymisedEntity.objects.filter(anonymisation__text__decision_id__in=ids, kind="PERSON")
        .exclude(mentions__isnull=True)
        .filter(mentions__status__in=("suggested", "accepted"))
        .values_list("anonymisation__text__decision_id", "canonical")
        .distinct()
    )
    for decision_id, canonical in rows:
        names[decision_id].add(canonical)
    return {did: replacements(sorted(found)) for did, found in names.items()}


def mask_decisions(decisions: Sequence[Any]) -> None:
    """Mask the fields of these fetched Decision rows in memory (one query)."""
    if not decisions:
        return
    pairs = masked_names(d.pk for d in decisions)
    for d in decisions:
        found = pairs.get(d.pk, [])
        for name in MASKED_FIELDS:
            setattr(d, name, mask_text(getattr(d, name) or "", found))
        d.keywords = [mask_text(str(k), found) for k in (d.keywords or [])]
        d.also_known_as = [mask_text(str(k), found) for k in (d.also_known_as or [])]
        d._masked_display = True
