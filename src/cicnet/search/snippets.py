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
from functools import lru_cache

from cicnet.search.analysis import DEFAULT_LANGUAGE, query_stems, stem_word
from cicnet.search.query import Phrase, Term, _fold

FRAGMENT_CHARS = 260
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=4096)
def _tokens_pattern(tokens: tuple[str, ...]) -> re.Pattern[str]:
    """Where any of ``tokens`` stands as a whole token (a run of ``_TOKEN``'s characters)."""
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.UNICODE)


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
    # Every plain word of the query at once: its exact token, or any of its stems (cached per
    # token), so a long query costs one pass over the text.
    exact = {leaf.word for leaf in leaves if isinstance(leaf, Term) and not leaf.prefix}
    stems = {
        s
        for leaf in leaves
        if isinstance(leaf, Term) and not leaf.prefix and not leaf.exact
        for s in query_stems(leaf.word, languages)
    }
    prefixes = tuple(leaf.word for leaf in leaves if isinstance(leaf, Term) and leaf.prefix)
    if not any(isinstance(leaf, Phrase) for leaf in leaves):
        spans = _word_spans(text, exact, stems, prefixes, language)
        if spans is not None:
            return spans
    return _token_spans(text, leaves, exact, stems, prefixes, language)


def _matches(
    word: str, exact: set[str], stems: set[str], prefixes: tuple[str, ...], language: str
) -> bool:
    return bool(
        word in exact
        or (prefixes and word.startswith(prefixes))
        or (stems and stem_word(language, word) in stems)
    )


# More distinct tokens matched than this (a short prefix) are marked token by token: one
# expression of that many alternatives costs more to compile than the loop.
MAX_PATTERN_TOKENS = 32


def _word_spans(
    text: str, exact: set[str], stems: set[str], prefixes: tuple[str, ...], language: str
) -> list[tuple[int, int]] | None:
    """The spans of a query of words only: each distinct token of ``text`` is folded and
    compared once, then the tokens that matched are found where they stand as whole tokens.
    The same spans as ``_token_spans``, which folds every token where it stands (tests); None
    when more than ``MAX_PATTERN_TOKENS`` distinct tokens matched."""
    matched = {
        raw
        for raw in set(_TOKEN.findall(text))
        if _matches(_fold(raw), exact, stems, prefixes, language)
    }
    if not matched:
        return []
    if len(matched) > MAX_PATTERN_TOKENS:
        return None
    return [(m.start(), m.end()) for m in _tokens_pattern(tuple(sorted(matched))).finditer(text)]


def _token_spans(
    text: str,
    leaves: list[Term | Phrase],
    exact: set[str],
    stems: set[str],
    prefixes: tuple[str, ...],
    language: str,
) -> list[tuple[int, int]]:
    """The spans of words and phrases, token by token."""
    toks = [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text)]
    words = [t[2] for t in toks]
    spans: list[tuple[int, int]] = []
    if exact or stems or prefixes:
        spans.extend((s, e) for s, e, w in toks if _matches(w, exact, stems, prefixes, language))
    for leaf in leaves:
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
