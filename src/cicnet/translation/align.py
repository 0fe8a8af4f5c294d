"""Paragraph alignment of an original with its translation (Django-free).

Two ways, chosen per pair of texts:

- **by the court's numbers**: when both texts number their paragraphs the way the court does
  (``pipeline/split.py`` finds them), paragraphs with the same number are paired with confidence
  1.0; a stretch where the numbers differ (a paragraph missing on one side) is aligned as below;
- **by length and anchors**: a Gale-Church style dynamic programme over the two lists of
  paragraphs. A group of original paragraphs is paired with a group of translation paragraphs
  (1:1, 1:n when the translator split a paragraph or the translation comes one sentence per
  line, n:1 when paragraphs were merged, 1:0 / 0:1 when one side lacks a paragraph). The cost of
  a pairing is the Gale-Church length cost (the translation's length is expected to be the
  original's times the document's own length ratio, with a variance growing with the length)
  minus a bonus for the anchors the two groups share — numbers (dates, application numbers,
  article numbers, amounts) and capitalised names — and a penalty for anchors only one side has.

The search is confined to a band around the diagonal of cumulative length, so a long judgment
(several hundred paragraphs a side) aligns in well under a second.

Each pair keeps a confidence in [0, 1]: the Gale-Church probability that the two lengths belong
together, times the share of the pair's anchors found on both sides (1.0 for pairs made by the
court's numbers). A curator reviews the pairs with the lowest confidence first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

# Gale & Church (1993): variance of the length difference per character of the original.
_VARIANCE = 6.8
# Penalty (in -log probability units) for each paragraph beyond the first on one side of a group,
# and for a paragraph left unpaired. Tuned on the training part of the ECtHR corpus only
# (bench/alignment.py keeps a held-out part).
_EXTRA_UNIT = 1.0
_UNPAIRED = 9.0
_ANCHOR_MATCH = 1.2
_ANCHOR_MISS = 0.9
_SENTENCE_DIFF = 1.5  # per sentence more on one side than on the other
# Largest group on the side that is split: a paragraph the translator cut into this many
# sentences or paragraphs at most.
MAX_GROUP = 40
_BAND = 0.08  # ± this share of the translation's total length around the diagonal
_MIN_BAND = 12  # and at least this many translation paragraphs either side

# A sentence ends at . ! ? (or a closing quote after one) followed by a space and a capital,
# unless the word before is an abbreviation or an initial ("Mr.", "no.", "L.", "Art.").
_SENTENCE_END = re.compile(
    r"(\w+)?([.!?])[\"\u201d\u00bb\u2019)]?\s+(?=[\"\u201c\u00ab(]?[A-ZÀ-ÖØ-Þ])"
)
_NUMBER = re.compile(r"\d+(?:[./-]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*", re.UNICODE)


@dataclass(frozen=True)
class Pair:
    """One aligned group: 0-based paragraph indices of the original and of the translation (in
    order; either may be empty when one side has no counterpart) and a confidence in [0, 1]."""

    original: tuple[int, ...]
    translation: tuple[int, ...]
    confidence: float

    def as_json(self) -> dict[str, object]:
        return {
            "original": list(self.original),
            "translation": list(self.translation),
            "confidence": round(self.confidence, 3),
        }


def _fold(word: str) -> str:
    """Lower case without accents: 'Nigéria' and 'Nigeria' are the same anchor."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def anchors(text: str) -> frozenset[str]:
    """The anchors of a paragraph: its numbers (digits only, so '1er' and '1st' agree on '1'
    and '60286/09' stays whole) and its capitalised words of four letters or more that do not
    open a sentence (names of people, places, courts)."""
    found: set[str] = {"#" + m.group(0) for m in _NUMBER.finditer(text)}
    previous_end = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        before = text[previous_end : m.start()]
        previous_end = m.end()
        opens_sentence = m.start() == 0 or bool(re.search(r"[.!?:]\s*[\"“«(]?\s*$", before))
        if len(word) >= 4 and word[0].isupper() and not word.isupper() and not opens_sentence:
            found.add(_fold(word)[:6])  # the first letters: 'Nigeria'/'Nigéria'/'Nigerian' agree
    return frozenset(found)


def sentences(text: str) -> int:
    """How many sentences ``text`` holds (at least 1), counted the same way in every language."""
    count = 1
    for m in _SENTENCE_END.finditer(text):
        word = m.group(1) or ""
        if m.group(2) == "." and (len(word) <= 3 and not word.isdigit()) and word[:1].isalpha():
            continue  # "Mr.", "no.", "M.", "Art.", an initial: not the end of a sentence
        count += 1
    return count


def _length_logp(len_a: int, len_b: int, ratio: float) -> float:
    """-log of the Gale-Church probability that lengths ``len_a`` and ``len_b`` correspond."""
    if len_a == 0 and len_b == 0:
        return 0.0
    mean = (len_a + len_b / ratio) / 2
    delta = (ratio * len_a - len_b) / math.sqrt(max(mean, 1.0) * _VARIANCE * ratio)
    p = math.erfc(abs(delta) / math.sqrt(2))  # two-sided tail, 2 * (1 - Φ(|δ|))
    return -math.log(max(p, 1e-12))


def _anchor_cost(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(cost, agreement): a bonus per shared anchor, a penalty per anchor on one side only;
    agreement is the share of anchors found on both sides (1.0 when neither side has one)."""
    shared = len(a & b)
    missing = len(a ^ b)
    total = shared + missing
    agreement = 1.0 if total == 0 else (shared + 0.5) / (total + 0.5)
    return -_ANCHOR_MATCH * shared + _ANCHOR_MISS * missing, agreement


class _Side:
    """Prefix sums of lengths, and anchors, of one side's paragraphs."""

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self.lengths = [len(p) for p in paragraphs]
        self.prefix = [0]
        for n in self.lengths:
            self.prefix.append(self.prefix[-1] + n)
        self.anchors = [anchors(p) for p in paragraphs]
        self.sentence_prefix = [0]
        for p in paragraphs:
            self.sentence_prefix.append(self.sentence_prefix[-1] + sentences(p))

    def sentences(self, start: int, end: int) -> int:
        return self.sentence_prefix[end] - self.sentence_prefix[start]

    def length(self, start: int, end: int) -> int:
        return self.prefix[end] - self.prefix[start]

    def anchors_of(self, start: int, end: int) -> frozenset[str]:
        if end - start == 1:
            return self.anchors[start]
        return frozenset().union(*self.anchors[start:end])


def _dp(orig: Sequence[str], trans: Sequence[str]) -> list[Pair]:
    """The Gale-Church dynamic programme over the two lists (no court numbers)."""
    n, m = len(orig), len(trans)
    if n == 0 or m == 0:
        return [Pair((i,), (), 0.0) for i in range(n)] + [Pair((), (j,), 0.0) for j in range(m)]
    a, b = _Side(orig), _Side(trans)
    ratio = max(b.prefix[-1], 1) / max(a.prefix[-1], 1)
    total_b = max(b.prefix[-1], 1)

    # Band: for original prefix i, the translation prefixes j whose cumulative length share lies
    # within ±_BAND of i's share (widened to at least _MIN_BAND paragraphs either side).
    def band(i: int) -> tuple[int, int]:
        share = a.prefix[i] / max(a.prefix[-1], 1)
        lo = bisect_left(b.prefix, (share - _BAND) * total_b)
        hi = bisect_right(b.prefix, (share + _BAND) * total_b)
        centre = min(m, max(0, round(i * m / n)))
        return max(0, min(lo, centre - _MIN_BAND)), min(m, max(hi, centre + _MIN_BAND))

    inf = math.inf
    cost: list[dict[int, float]] = [{} for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int]]] = [{} for _ in range(n + 1)]
    cost[0][0] = 0.0
    moves: list[tuple[int, int]] = [(1, 0), (0, 1)]
    moves += [(1, k) for k in range(1, MAX_GROUP + 1)]
    moves += [(k, 1) for k in range(2, MAX_GROUP + 1)]
    for i in range(n + 1):
        lo, hi = band(i)
        row = cost[i]
        if i == 0:
            lo = 0
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, best_move = inf, (0, 0)
            for di, dj in moves:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                prev = cost[pi].get(pj)
                if prev is None:
                    continue
                step = _step_cost(a, b, pi, i, pj, j, ratio)[0]
                if prev + step < best:
                    best, best_move = prev + step, (pi, pj)
            if best < inf:
                row[j] = best
                back[i][j] = best_move
    if m not in cost[n]:  # the band missed the corner: cannot happen with the widening above
        raise RuntimeError("alignment band did not reach the end of both texts")
    pairs: list[Pair] = []
    i, j = n, m
    while i > 0 or j > 0:
        pi, pj = back[i][j]
        _, confidence = _step_cost(a, b, pi, i, pj, j, ratio)
        pairs.append(Pair(tuple(range(pi, i)), tuple(range(pj, j)), confidence))
        i, j = pi, pj
    pairs.reverse()
    return pairs


def _step_cost(
    a: _Side, b: _Side, ai: int, ae: int, bi: int, be: int, ratio: float
) -> tuple[float, float]:
    """(cost, confidence) of pairing original paragraphs [ai, ae) with translation [bi, be)."""
    if ai == ae or bi == be:
        return _UNPAIRED, 0.0
    length = _length_logp(a.length(ai, ae), b.length(bi, be), ratio)
    anchor, agreement = _anchor_cost(a.anchors_of(ai, ae), b.anchors_of(bi, be))
    extra = _EXTRA_UNIT * ((ae - ai - 1) + (be - bi - 1))
    sentence_diff = _SENTENCE_DIFF * abs(a.sentences(ai, ae) - b.sentences(bi, be))
    confidence = math.exp(-length / 2) * agreement
    return length + anchor + extra + sentence_diff, min(1.0, confidence)


def align(original: Sequence[str], translation: Sequence[str]) -> list[Pair]:
    """Align two lists of paragraphs by length and anchors; pairs in order, covering every
    paragraph of both sides exactly once."""
    return _dp(original, translation)


def align_numbered(
    original: Sequence[tuple[int, str]], translation: Sequence[tuple[int, str]]
) -> list[Pair]:
    """Align two texts whose paragraphs carry numbers. Where both sides use the court's numbers,
    paragraphs with the same number pair with confidence 1.0 and the stretches between such
    matches are aligned by length and anchors; returns 0-based indices into the two lists."""
    index_b = {number: j for j, (number, _) in enumerate(translation) if number > 0}
    matches: list[tuple[int, int]] = []
    last_j = -1
    for i, (number, _) in enumerate(original):
        j = index_b.get(number) if number > 0 else None
        if j is not None and j > last_j:
            matches.append((i, j))
            last_j = j
    pairs: list[Pair] = []
    prev_i, prev_j = 0, 0
    for i, j in [*matches, (len(original), len(translation))]:
        if i > prev_i or j > prev_j:
            gap = _dp(
                [body for _, body in original[prev_i:i]],
                [body for _, body in translation[prev_j:j]],
            )
            pairs.extend(
                Pair(
                    tuple(x + prev_i for x in p.original),
                    tuple(y + prev_j for y in p.translation),
                    p.confidence,
                )
                for p in gap
            )
        if i < len(original):
            pairs.append(Pair((i,), (j,), 1.0))
        prev_i, prev_j = i + 1, j + 1
    return pairs
