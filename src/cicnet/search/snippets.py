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


class _Matcher:
    """The plain words of one query, all at once: a token matches when it is a word's exact
    token, starts with a prefix, or has one of a word's stems (in the languages searched). What
    each token of a text's language did is remembered, up to ``KNOWN`` tokens: the same words
    recur across a page's paragraphs and from one search to the next."""

    KNOWN = 5_000

    def __init__(self, leaves: tuple[Term | Phrase, ...], languages: tuple[str, ...]) -> None:
        self.exact = {leaf.word for leaf in leaves if isinstance(leaf, Term) and not leaf.prefix}
        self.stems = {
            s
            for leaf in leaves
            if isinstance(leaf, Term) and not leaf.prefix and not leaf.exact
            for s in query_stems(leaf.word, languages)
        }
        self.prefixes = tuple(
            leaf.word for leaf in leaves if isinstance(leaf, Term) and leaf.prefix
        )
        self.phrases = any(isinstance(leaf, Phrase) for leaf in leaves)
        self._known: dict[tuple[str, str], bool] = {}

    def matched(self, raw_tokens: set[str], language: str) -> set[str]:
        """Those of ``raw_tokens`` (as they stand in a text of ``language``) that match."""
        known = self._known
        out = set()
        for raw in raw_tokens:
            hit = known.get((language, raw))
            if hit is None:
                hit = _matches(_fold(raw), self.exact, self.stems, self.prefixes, language)
                if len(known) < self.KNOWN:
                    known[(language, raw)] = hit
            if hit:
                out.add(raw)
        return out


@lru_cache(maxsize=64)
def _matcher(leaves: tuple[Term | Phrase, ...], languages: tuple[str, ...]) -> _Matcher:
    return _Matcher(leaves, languages)


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
    matcher = _matcher(tuple(leaves), languages)
    if not matcher.phrases:
        spans = _word_spans(text, matcher, language)
        if spans is not None:
            return spans
    return _token_spans(text, leaves, matcher.exact, matcher.stems, matcher.prefixes, language)


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


def _word_spans(text: str, matcher: _Matcher, language: str) -> list[tuple[int, int]] | None:
    """The spans of a query of words only: each distinct token of ``text`` is compared once
    (``_Matcher``), then the tokens that matched are found where they stand as whole tokens.
    The same spans as ``_token_spans``, which folds every token where it stands (tests); None
    when more than ``MAX_PATTERN_TOKENS`` distinct tokens matched."""
    matched = matcher.matched(set(_TOKEN.findall(text)), language)
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
