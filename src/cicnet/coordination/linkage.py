"""Blind hit/no-hit comparison of persons: the one matching rule on their encodings.

The encodings (``encoding.py``: Bloom filters of name bigrams, placed bigrams and vowel marks
under the network's key, keyed hashes of birth year and nationality) are all that is compared;
the Dice coefficient of two filters estimates the Dice coefficient of the two names' bigram
sets. ``crosscheck`` is the one matching rule, run in batches on numpy arrays: the app's
cross-checks and ``cicnet crosscheck-names`` both call it (``compare`` is the batch on one
pair), blind (on the filters) or, for measurement only, in the clear (on exact bit rows). The
score is the name's score (its Dice coefficient, less for another order of given and family
name, for contradicted Arabic long vowels and, between two names in Latin letters, for
contradicted Latin vowels, docs/decisions/0165, 0180, 0181) plus what agreeing birth
years and nationalities add (docs/decisions/0141). With blocking, only pairs that share a
keyed blocking key (a token skeleton) are compared.

Django-free (docs/decisions/0140, 0141, 0165, 0180, 0181).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cicnet.coordination.encoding import (
    BITS,
    HASHES,
    SCHEME,
    VOWEL_BITS,
    VOWEL_HASHES,
    Clear,
    Encoded,
    attribute_key,
    bigrams,
    clear_person,
    clk,
    encode_person,
    placed_bigrams,
    token_variants,
)

# The encoding's names, as the app, the command and the bench have always called them here.
__all__ = [
    "BANDS",
    "BITS",
    "HASHES",
    "LATIN_VOWELS_FORGIVEN",
    "LATIN_VOWEL_WEIGHT",
    "NATIONALITY_CONFLICT",
    "NATIONALITY_WEIGHT",
    "SCHEME",
    "STRONG",
    "SWAP_PENALTY",
    "THRESHOLD",
    "VOWEL_BITS",
    "VOWEL_WEIGHT",
    "YEAR_WEIGHT",
    "Clear",
    "Encoded",
    "Match",
    "attribute_key",
    "bigrams",
    "candidate_pairs",
    "clear_person",
    "clk",
    "compare",
    "count_candidates",
    "crosscheck",
    "encode_person",
    "placed_bigrams",
    "token_variants",
]

# A candidate hit needs at least this score (tuned on the training part of
# bench/data/name_variants, docs/coordination.md); at or above STRONG, with the same birth year
# at both sides, it is a strong hit.
THRESHOLD = 0.85
STRONG = 0.92
# What a name loses (docs/decisions/0165, 0180, chosen on the training part): when it agrees
# only in another order of its tokens ("Najib Karim" / "Karim Najib"), and, between a name in
# Arabic script and another, for each Arabic long vowel the other contradicts in the same token
# ("Kamil" for "كمال"): where the skeletons agree, one such vowel makes another name.
SWAP_PENALTY = 0.10
VOWEL_WEIGHT = 0.20
# Between two names in Latin letters (docs/decisions/0181): the vowels of each that the other's
# cannot stand for, counted both ways; the first is forgiven (a typing error, a spelling the
# vowel classes do not know), each further one costs LATIN_VOWEL_WEIGHT.
LATIN_VOWEL_WEIGHT = 0.20
LATIN_VOWELS_FORGIVEN = 1
# What agreeing attributes add to the name score (docs/decisions/0141): a birth year both sides
# know and share is strong evidence; nationality little, either way.
YEAR_WEIGHT = 0.10
NATIONALITY_WEIGHT = 0.03
NATIONALITY_CONFLICT = 0.05
# Name variants whose bigram Dice is below this are not compared further (their score is the
# Dice less SWAP_PENALTY): far below any threshold the app or the bench uses (0.7 at least).
_NEAR = 0.5


BANDS = ("strong", "possible", "weak")


@dataclass(frozen=True)
class Match:
    """The outcome of comparing two persons.

    ``band``: *strong* when the score reaches ``STRONG`` and both sides know the same birth
    year; *weak* when the birth years do not agree (one unknown, or one apart) and the names
    agree only in another order of given and family name (the score reaches the threshold only
    with the order set aside: two persons who bear the same two names in swapped roles look
    so); *possible* otherwise. A hit on the name alone stays possible at best however close the
    names: namesakes and names that differ only in unwritten vowels look the same
    (docs/coordination.md, "Limits")."""

    score: float
    matched: tuple[str, ...]  # "name", "birth year", "nationality"
    band: str = "possible"


def compare(a: Encoded | Clear, b: Encoded | Clear, threshold: float = THRESHOLD) -> Match | None:
    """The one matching rule for one pair (the batch rule of ``crosscheck`` on a pair)."""
    if isinstance(a, Encoded) != isinstance(b, Encoded):
        raise TypeError("compare encodings with encodings, clear with clear")
    hits = crosscheck([a], [b], blocking=False, threshold=threshold)
    return hits[0][2] if hits else None


def candidate_pairs(
    left: Sequence[Encoded | Clear], right: Sequence[Encoded | Clear]
) -> Iterable[tuple[int, int]]:
    """Index pairs that share a blocking key (each pair once), in left order."""
    pairs = _candidate_array(left, right)
    return zip(pairs[0].tolist(), pairs[1].tolist(), strict=True)


def count_candidates(left: Sequence[Encoded | Clear], right: Sequence[Encoded | Clear]) -> int:
    """How many pairs blocking leaves to compare."""
    return len(_candidate_array(left, right)[0])


def _candidate_array(
    left: Sequence[Encoded | Clear], right: Sequence[Encoded | Clear]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Blocking in arrays: for every blocking key, every left person that has it against every
    right person that has it; a pair that shares several keys is kept once."""
    ids: dict[str, int] = {}
    r_block, r_person = [], []
    for j, person in enumerate(right):
        for block in person.blocks:
            r_block.append(ids.setdefault(block, len(ids)))
            r_person.append(j)
    l_block, l_person = [], []
    for i, person in enumerate(left):
        for block in person.blocks:
            k = ids.get(block)
            if k is not None:
                l_block.append(k)
                l_person.append(i)
    empty = np.zeros(0, dtype=np.int64)
    if not l_block:
        return empty, empty
    rb, rp = np.asarray(r_block, dtype=np.int64), np.asarray(r_person, dtype=np.int64)
    order = np.argsort(rb, kind="stable")
    rb, rp = rb[order], rp[order]
    counts = np.bincount(rb, minlength=len(ids))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    lb, lp = np.asarray(l_block, dtype=np.int64), np.asarray(l_person, dtype=np.int64)
    n = counts[lb]
    total = int(n.sum())
    left_idx = np.repeat(lp, n)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(n) - n, n)
    right_idx = rp[np.repeat(starts[lb], n) + offsets]
    # Sort and drop repeats (np.unique hashes, which is several times slower on millions).
    key = np.sort(left_idx * max(len(right), 1) + right_idx)
    if len(key):
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    return key // max(len(right), 1), key % max(len(right), 1)


@dataclass
class _Filters:
    """One kind of filter of one side, one row per name variant (as uint64 words), with each
    row's popcount."""

    rows: npt.NDArray[np.uint64]
    ones: npt.NDArray[np.int64]


@dataclass
class _Side:
    """One side's persons as arrays: their name filters (bigrams, placed bigrams, vowel marks;
    one row per name variant), where each person's rows start, and attribute codes."""

    grams: _Filters
    placed: _Filters
    vowels: _Filters
    placed_vowels: _Filters
    # Latin vowels (scheme 5): as written and widened, by token place and untagged.
    latin: _Filters
    latin_wide: _Filters
    latin_free: _Filters
    latin_free_wide: _Filters
    per_mark: int  # bits one vowel mark sets (VOWEL_HASHES; 1 in the clear)
    has_more: npt.NDArray[np.bool_]  # per row: placed and vowel filters known (scheme 3)
    long_only: npt.NDArray[np.bool_]  # per row: written in Arabic script
    short: npt.NDArray[np.bool_]  # per row: a shortened name
    start: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    year: npt.NDArray[np.int64]
    near: npt.NDArray[np.int64]  # (persons, 2): codes of the year before and after, or 0
    nationality: npt.NDArray[np.int64]


def _filters(values: list[int], width: int) -> _Filters:
    blob = b"".join(v.to_bytes(width // 8, "little") for v in values)
    raw = np.frombuffer(blob, dtype=np.uint64).reshape(-1, width // 64)
    return _Filters(rows=raw, ones=np.bitwise_count(raw).sum(axis=1, dtype=np.int64))


class _Vocabulary:
    """In the clear, each distinct gram of both sides gets its own bit, so the Dice coefficient
    of two bit rows is exactly that of the two sets."""

    def __init__(self, sets: Iterable[frozenset[str]]) -> None:
        self.index: dict[str, int] = {}
        for grams in sets:
            for gram in grams:
                self.index.setdefault(gram, len(self.index))
        self.width = max(64, -(-len(self.index) // 64) * 64)

    def bits(self, grams: frozenset[str]) -> int:
        out = 0
        for gram in grams:
            out |= 1 << self.index[gram]
        return out


def _side(
    persons: Sequence[Encoded | Clear],
    codes: dict[str, int],
    vocabularies: tuple[_Vocabulary, ...] | None,
) -> _Side:
    grams: list[int] = []
    placed: list[int] = []
    vowels: list[int] = []
    placed_vowels: list[int] = []
    latin: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
    has_more: list[bool] = []
    long_only: list[bool] = []
    short: list[bool] = []
    count = np.zeros(len(persons), dtype=np.int64)
    year = np.zeros(len(persons), dtype=np.int64)
    nat = np.zeros(len(persons), dtype=np.int64)
    near = np.zeros((len(persons), 2), dtype=np.int64)
    for i, p in enumerate(persons):
        if isinstance(p, Encoded):
            grams.extend(p.clks)
            n = len(p.clks)
            more = len(p.placed) == n
            placed.extend(p.placed if more else [0] * n)
            vowels.extend(p.vowels if more else [0] * n)
            tagged = more and len(p.placed_vowels) == n
            placed_vowels.extend(p.placed_vowels if tagged else p.vowels if more else [0] * n)
            long_only.extend(p.long_only if more else [False] * n)
            rows = (p.latin, p.latin_wide, p.latin_free, p.latin_free_wide)
            for out, got in zip(latin, rows, strict=True):
                out.extend(got if len(got) == n else [0] * n)
        else:
            assert vocabularies is not None
            grams.extend(vocabularies[0].bits(g) for g in p.grams)
            n = len(p.grams)
            more = len(p.placed) == n
            placed.extend([vocabularies[1].bits(g) for g in p.placed] if more else [0] * n)
            vowels.extend([vocabularies[2].bits(g) for g in p.vowels] if more else [0] * n)
            tagged = more and len(p.placed_vowels) == n
            placed_vowels.extend(
                [vocabularies[3].bits(g) for g in p.placed_vowels] if tagged else [0] * n
            )
            long_only.extend(p.long_only if more else [False] * n)
            sets = (p.latin, p.latin_wide, p.latin_free, p.latin_free_wide)
            for k, (out, of) in enumerate(zip(latin, sets, strict=True)):
                vocabulary = vocabularies[4 + k // 2]
                out.extend([vocabulary.bits(g) for g in of] if len(of) == n else [0] * n)
        has_more.extend([more] * n)
        count[i] = n
        cut = n if p.short_from is None else p.short_from
        short.extend(k >= cut for k in range(n))
        # Equal keyed hashes get equal codes; 0 is "not known".
        year[i] = codes.setdefault("y" + p.birth_year, len(codes) + 1) if p.birth_year else 0
        nat[i] = codes.setdefault("n" + p.nationality, len(codes) + 1) if p.nationality else 0
        for k, h in enumerate(p.birth_year_near[:2]):
            near[i, k] = codes.setdefault("y" + h, len(codes) + 1)
    widths = (
        (BITS, BITS, VOWEL_BITS, VOWEL_BITS, VOWEL_BITS, VOWEL_BITS)
        if vocabularies is None
        else tuple(v.width for v in vocabularies)
    )
    return _Side(
        grams=_filters(grams, widths[0]),
        placed=_filters(placed, widths[1]),
        vowels=_filters(vowels, widths[2]),
        placed_vowels=_filters(placed_vowels, widths[3]),
        latin=_filters(latin[0], widths[4]),
        latin_wide=_filters(latin[1], widths[4]),
        latin_free=_filters(latin[2], widths[5]),
        latin_free_wide=_filters(latin[3], widths[5]),
        per_mark=VOWEL_HASHES if vocabularies is None else 1,
        has_more=np.asarray(has_more, dtype=np.bool_),
        long_only=np.asarray(long_only, dtype=np.bool_),
        short=np.asarray(short, dtype=np.bool_),
        start=np.cumsum(count) - count,
        count=count,
        year=year,
        near=near,
        nationality=nat,
    )


def _common(
    a: _Filters, b: _Filters, lv: npt.NDArray[np.int64], rv: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    common: npt.NDArray[np.int64] = np.bitwise_count(a.rows[lv] & b.rows[rv]).sum(
        axis=1, dtype=np.int64
    )
    return common


def _dice(
    a: _Filters, b: _Filters, lv: npt.NDArray[np.int64], rv: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    denom = a.ones[lv] + b.ones[rv]
    result: npt.NDArray[np.float64] = np.where(
        denom > 0, 2.0 * _common(a, b, lv, rv) / np.maximum(denom, 1), 0.0
    )
    return result


def _vowel_loss(
    lside: _Side,
    rside: _Side,
    ln: npt.NDArray[np.int64],
    rn: npt.NDArray[np.int64],
    *,
    placed: bool,
) -> npt.NDArray[np.float64]:
    """What a name loses for the Arabic long vowels the other side contradicts:
    ``VOWEL_WEIGHT`` per mark (docs/decisions/0180). Counted, not a share of the marks: a
    contradicted vowel in one token is not made up for by agreeing vowels in the others
    ("Kamil Ali" / "كمال علي")."""
    a = lside.placed_vowels if placed else lside.vowels
    b = rside.placed_vowels if placed else rside.vowels
    la, ra = lside.long_only[ln], rside.long_only[rn]
    # The marks of the side in Arabic script (of the smaller set where both are) that the
    # other lacks: its set bits not in common, ``per_mark`` bits a mark. A Bloom filter has no
    # false negatives, so a bit missing means a mark missing; other marks' bits may cover
    # some of a missing mark's by chance, so the count rounds up.
    ones = np.where(
        la & ~ra, a.ones[ln], np.where(ra & ~la, b.ones[rn], np.minimum(a.ones[ln], b.ones[rn]))
    )
    missing = np.ceil(np.maximum(ones - _common(a, b, ln, rn), 0) / lside.per_mark)
    result: npt.NDArray[np.float64] = np.where(la | ra, VOWEL_WEIGHT * missing, 0.0)
    return result


def _latin_loss(
    lside: _Side,
    rside: _Side,
    ln: npt.NDArray[np.int64],
    rn: npt.NDArray[np.int64],
    *,
    placed: bool,
) -> npt.NDArray[np.float64]:
    """What a name loses for the Latin vowels the other Latin spelling contradicts
    (docs/decisions/0181): the vowels of each side that none of the other's widened vowels
    (``names.latin_vowel_slots``) may stand for, both ways, less ``LATIN_VOWELS_FORGIVEN``,
    ``LATIN_VOWEL_WEIGHT`` each. Only where both names are in Latin letters (a name in other
    letters has empty Latin filters)."""
    if placed:
        a, aw, b, bw = lside.latin, lside.latin_wide, rside.latin, rside.latin_wide
    else:
        a, aw = lside.latin_free, lside.latin_free_wide
        b, bw = rside.latin_free, rside.latin_free_wide
    both = (a.ones[ln] > 0) & (b.ones[rn] > 0)
    # As in ``_vowel_loss``: a bit missing is a vowel missing; chance overlaps may hide part
    # of one, so the count rounds up.
    miss_a = np.ceil(np.maximum(a.ones[ln] - _common(a, bw, ln, rn), 0) / lside.per_mark)
    miss_b = np.ceil(np.maximum(b.ones[rn] - _common(aw, b, ln, rn), 0) / lside.per_mark)
    counted = np.maximum(miss_a + miss_b - LATIN_VOWELS_FORGIVEN, 0)
    result: npt.NDArray[np.float64] = np.where(both, LATIN_VOWEL_WEIGHT * counted, 0.0)
    return result


def _name_scores(
    lside: _Side, rside: _Side, li: npt.NDArray[np.int64], rj: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """For each pair (li[k], rj[k]), the best name score over their name variants, and the
    best where the order of given and family name must agree (docs/decisions/0165): the Dice
    coefficient of the placed bigrams, or of the bigrams less ``SWAP_PENALTY``, whichever is
    higher; less ``VOWEL_WEIGHT`` for each Arabic long vowel the other contradicts, where one
    variant is in Arabic script (``_vowel_loss``: in the given order, marks tagged with their
    token's place; in another, untagged)."""
    cl, cr = lside.count[li], rside.count[rj]
    per = cl * cr
    out = np.zeros(len(li), dtype=np.float64)
    out_ordered = np.zeros(len(li), dtype=np.float64)
    has = per > 0
    if not has.any():
        return out, out_ordered
    total = int(per.sum())
    pair = np.repeat(np.arange(len(li)), per)
    k = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
    cr_rep = cr[pair]
    lv = lside.start[li][pair] + k // np.maximum(cr_rep, 1)
    rv = rside.start[rj][pair] + k % np.maximum(cr_rep, 1)
    free = _dice(lside.grams, rside.grams, lv, rv)
    more = lside.has_more[lv] & rside.has_more[rv]
    # Most blocked pairs share one token and little else: their placed and vowel filters are
    # compared only where the bigrams come near a hit (below, no name reaches a threshold).
    near = np.flatnonzero(more & (free >= _NEAR))
    ordered = free.copy()
    ordered[more] = 0.0
    loss = np.zeros(total, dtype=np.float64)
    loss_ordered = np.zeros(total, dtype=np.float64)
    if len(near):
        ln, rn = lv[near], rv[near]
        ordered[near] = _dice(lside.placed, rside.placed, ln, rn)
        loss[near] = _vowel_loss(lside, rside, ln, rn, placed=False) + _latin_loss(
            lside, rside, ln, rn, placed=False
        )
        loss_ordered[near] = _vowel_loss(lside, rside, ln, rn, placed=True) + _latin_loss(
            lside, rside, ln, rn, placed=True
        )
    both_short = lside.short[lv] & rside.short[rv]
    name = np.where(both_short, 0.0, np.maximum(ordered - loss_ordered, free - SWAP_PENALTY - loss))
    name_ordered = np.where(both_short, 0.0, ordered - loss_ordered)
    # Each pair's rows are contiguous: the best of them by one reduceat.
    first = (np.cumsum(per) - per)[has]
    out[has] = np.maximum.reduceat(name, first)
    out_ordered[has] = np.maximum.reduceat(name_ordered, first)
    return out, out_ordered


def crosscheck(
    left: Sequence[Encoded | Clear],
    right: Sequence[Encoded | Clear],
    *,
    blocking: bool = True,
    threshold: float = THRESHOLD,
    chunk: int = 400_000,
) -> list[tuple[int, int, Match]]:
    """Every candidate hit between two sets, strongest first: the one matching rule.

    A pair's score is the best name score of their name variants (``_name_scores``: the Dice
    coefficient of their filters, less for another order or contradicted long vowels), plus
    ``YEAR_WEIGHT``
    when both know the birth year and it agrees, plus ``NATIONALITY_WEIGHT`` when both know the
    nationality and it agrees, minus ``NATIONALITY_CONFLICT`` when both know it and it differs
    (people hold several nationalities and registers record them differently, so a difference
    weighs little); capped at 1. A hit needs ``threshold`` and no conflicting birth year. The
    comparison runs on arrays, ``chunk`` candidate pairs at a time. Birth years one apart are
    neither agreement nor conflict (a register's error). Each hit carries its band
    (``Match``)."""
    if not left or not right:
        return []
    if any(isinstance(p, Encoded) != isinstance(left[0], Encoded) for p in [*left, *right]):
        raise TypeError("compare encodings with encodings, clear with clear")
    codes: dict[str, int] = {}
    vocabularies = None
    if not isinstance(left[0], Encoded):
        clear = [p for p in [*left, *right] if isinstance(p, Clear)]
        vocabularies = (
            _Vocabulary(g for p in clear for g in p.grams),
            _Vocabulary(g for p in clear for g in p.placed),
            _Vocabulary(g for p in clear for g in p.vowels),
            _Vocabulary(g for p in clear for g in p.placed_vowels),
            _Vocabulary(s for p in clear for rows in (p.latin, p.latin_wide) for s in rows),
            _Vocabulary(
                s for p in clear for rows in (p.latin_free, p.latin_free_wide) for s in rows
            ),
        )
    lside, rside = _side(left, codes, vocabularies), _side(right, codes, vocabularies)
    if blocking:
        all_i, all_j = _candidate_array(left, right)
    else:
        all_i = np.repeat(np.arange(len(left), dtype=np.int64), len(right))
        all_j = np.tile(np.arange(len(right), dtype=np.int64), len(left))
    hits: list[tuple[int, int, Match]] = []
    for lo in range(0, len(all_i), chunk):
        li, rj = all_i[lo : lo + chunk], all_j[lo : lo + chunk]
        name, name_ordered = _name_scores(lside, rside, li, rj)
        ya, yb = lside.year[li], rside.year[rj]
        na, nb = lside.nationality[li], rside.nationality[rj]
        year_agrees = (ya > 0) & (ya == yb)
        nat_agrees = (na > 0) & (na == nb)
        nat_differs = (na > 0) & (nb > 0) & (na != nb)
        extra = (
            YEAR_WEIGHT * year_agrees
            + NATIONALITY_WEIGHT * nat_agrees
            - NATIONALITY_CONFLICT * nat_differs
        )
        score = np.minimum(1.0, name + extra)
        in_order = np.minimum(1.0, name_ordered + extra) >= threshold - 1e-9
        near_a, near_b = lside.near[li], rside.near[rj]
        year_near = ((near_a == yb[:, None]) | (near_b == ya[:, None])).any(axis=1)
        year_conflict = (ya > 0) & (yb > 0) & (ya != yb) & ~year_near
        ok = (score >= threshold - 1e-9) & ~year_conflict
        for k in np.flatnonzero(ok).tolist():
            matched = ["name"]
            if year_agrees[k]:
                matched.append("birth year")
            if nat_agrees[k]:
                matched.append("nationality")
            if score[k] >= STRONG and year_agrees[k]:
                band = "strong"
            elif year_agrees[k] or in_order[k]:
                band = "possible"
            else:
                band = "weak"
            match = Match(score=round(float(score[k]), 4), matched=tuple(matched), band=band)
            hits.append((int(li[k]), int(rj[k]), match))
    hits.sort(key=lambda h: (-h[2].score, h[0], h[1]))
    return hits
