"""Highlighted snippets, the same for every backend.

The backend picks the best-matching paragraphs; this module cuts a fragment around the matches
and marks them. The text is HTML-escaped and only ``<mark>``/``</mark>`` is added, so templates
and API clients can insert ``Snippet.html`` as it is. Tokens are compared the way both backends
index them (``query.tokens``), so a phrase, a prefix or an accent-folded word is marked exactly
where it matched.
"""

from __future__ import annotations

import html
import re

from cicnet.search.analysis import DEFAULT_LANGUAGE, query_stems, stem_word
from cicnet.search.query import Phrase, Term, _fold

FRAGMENT_CHARS = 260
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def match_spans(
    text: str,
    leaves: list[Term | Phrase],
    *,
    language: str = DEFAULT_LANGUAGE,
    languages: tuple[str, ...] = (),
) -> list[tuple[int, int]]:
    """Character spans of ``text`` that match any of ``leaves``, sorted and merged. A word
    matches any of its forms: a token whose stem in ``language`` (the text's) is one of the
    word's stems in ``languages`` (those searched; search/analysis.py)."""
    toks = [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text)]
    words = [t[2] for t in toks]
    spans: list[tuple[int, int]] = []
    # Every plain word of the query at once: its exact token, or any of its stems (one stem
    # per token of the text, cached), so a long query costs one pass over the text.
    exact = {leaf.word for leaf in leaves if isinstance(leaf, Term) and not leaf.prefix}
    stems = {
        s
        for leaf in leaves
        if isinstance(leaf, Term) and not leaf.prefix and not leaf.exact
        for s in query_stems(leaf.word, languages)
    }
    prefixes = tuple(leaf.word for leaf in leaves if isinstance(leaf, Term) and leaf.prefix)
    if exact or stems or prefixes:
        for s, e, w in toks:
            if (
                w in exact
                or (prefixes and w.startswith(prefixes))
                or (stems and stem_word(language, w) in stems)
            ):
                spans.append((s, e))
    for leaf in leaves:
        if isinstance(leaf, Term):
            continue
        if isinstance(leaf, Phrase):
            n = len(leaf.words)
            first = leaf.words[0]
            for i, w in enumerate(words):
                if w == first and tuple(words[i : i + n]) == leaf.words:
                    spans.append((toks[i][0], toks[i + n - 1][1]))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def highlight(
    text: str,
    leaves: list[Term | Phrase],
    *,
    max_chars: int = FRAGMENT_CHARS,
    language: str = DEFAULT_LANGUAGE,
    languages: tuple[str, ...] = (),
) -> str:
    """An escaped fragment of ``text`` around its densest run of matches, matches in <mark>.

    Returns "" when nothing in ``text`` matches.
    """
    spans = match_spans(text, leaves, language=language, languages=languages)
    if not spans:
        return ""
    start, end = 0, len(text)
    if len(text) > max_chars:
        # The window starting at a match that covers the most matches.
        best_i, best_n = 0, 0
        for i, (s, _e) in enumerate(spans):
            n = sum(1 for s2, e2 in spans[i:] if e2 <= s + max_chars)
            if n > best_n:
                best_i, best_n = i, n
        anchor = spans[best_i][0]
        start = max(0, anchor - max_chars // 4)
        end = min(len(text), start + max_chars)
        start = max(0, min(start, end - max_chars))
        # Cut at word boundaries.
        if start > 0:
            sp = text.find(" ", start, anchor)
            start = sp + 1 if sp >= 0 else start
        if end < len(text):
            sp = text.rfind(" ", spans[best_i][1], end)
            end = sp if sp > 0 else end
    out: list[str] = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out).strip()
