"""Blind hit/no-hit comparison of persons: Bloom-filter linkage keys of name q-grams.

Each authority's names are turned into *cryptographic linkage keys* (CLKs, Schnell et al.
2009): the skeleton tokens of a name (``names.py``) are cut into padded bigrams, and each bigram
sets ``HASHES`` bits of a ``BITS``-bit filter at positions chosen by two HMAC-SHA256 functions
under the network's key (double hashing). Only these filters, and keyed hashes of the birth
year and nationality, are compared across authorities; the Dice coefficient of two filters
estimates the Dice coefficient of the two names' bigram sets.

``crosscheck`` is the one matching rule, run in batches on numpy arrays: the app's
cross-checks and ``cicnet crosscheck-names`` both call it (``compare`` is the batch on one
pair), blind (on the filters) or, for measurement only, in the clear (on exact bigram bit
rows). The score is the name's Dice coefficient plus what agreeing birth years and
nationalities add (docs/decisions/0141). With blocking, only pairs that share a keyed blocking
key (a token skeleton) are compared.

Django-free (docs/decisions/0140, 0141).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from cicnet.coordination.names import name_variants

# The encoding scheme: bumped whenever a change of the name rules, the bits or the keys makes
# earlier encodings incomparable with new ones; a data migration re-encodes stored persons and
# situations (coordination/0006; crosscheck.reencode_stale). 1: decision 0140; 2: 0141.
SCHEME = 2
BITS = 1024
# Bits per bigram. 20 (0140) set ~200 of the 1,024 bits for a two-token name, and chance
# overlaps of that many bits raised blind scores above clear ones by up to 0.04 of precision
# for short Arabic skeletons; 12 keeps blind within 0.03 of clear (docs/decisions/0141).
HASHES = 12
# A candidate hit needs at least this score (tuned on the training part of
# bench/data/name_variants, docs/coordination.md); at or above STRONG, with the same birth year
# at both sides, it is a strong hit.
THRESHOLD = 0.85
STRONG = 0.92
# What agreeing attributes add to the name score (docs/decisions/0141): a birth year both sides
# know and share is strong evidence; nationality little, either way.
YEAR_WEIGHT = 0.10
NATIONALITY_WEIGHT = 0.03
NATIONALITY_CONFLICT = 0.05
# In the clear, each possible bigram of the skeleton alphabet ("_" and a-z) has its own bit, so
# the Dice coefficient of two bit rows is exactly that of the two bigram sets.
_ALPHABET = "_abcdefghijklmnopqrstuvwxyz"
_EXACT_BITS = 768  # 27 * 27 = 729 bigrams, rounded up to whole 64-bit words


def bigrams(tokens: Sequence[str]) -> frozenset[str]:
    """Padded bigrams of each token (order-free: "Hamad Mohammed" = "Mohammed Hamad")."""
    grams: set[str] = set()
    for token in tokens:
        padded = f"_{token}_"
        grams.update(padded[i : i + 2] for i in range(len(padded) - 1))
    return frozenset(grams)


def _keys(key: bytes) -> tuple[bytes, bytes, bytes]:
    return (
        hmac.new(key, b"clk-1", hashlib.sha256).digest(),
        hmac.new(key, b"clk-2", hashlib.sha256).digest(),
        hmac.new(key, b"attr", hashlib.sha256).digest(),
    )


@lru_cache(maxsize=65536)
def _gram_bits(gram: str, key: bytes) -> int:
    """The ``HASHES`` bits one bigram sets under ``key`` (bigrams are few: cached)."""
    k1, k2, _ = _keys(key)
    data = gram.encode("utf-8")
    h1 = int.from_bytes(hmac.new(k1, data, hashlib.sha256).digest()[:8], "big")
    h2 = int.from_bytes(hmac.new(k2, data, hashlib.sha256).digest()[:8], "big") | 1
    bits = 0
    for i in range(HASHES):
        bits |= 1 << ((h1 + i * h2) % BITS)
    return bits


def clk(grams: Iterable[str], key: bytes) -> int:
    """The Bloom filter of ``grams`` under ``key``, as an int of ``BITS`` bits."""
    bits = 0
    for gram in grams:
        bits |= _gram_bits(gram, key)
    return bits


def _exact_bits(grams: Iterable[str]) -> int:
    """The clear bigram set as a row of ``_EXACT_BITS`` bits, one bit per possible bigram."""
    bits = 0
    for gram in grams:
        bits |= 1 << (_ALPHABET.index(gram[0]) * 27 + _ALPHABET.index(gram[1]))
    return bits


def attribute_key(kind: str, value: str, key: bytes) -> str:
    """A keyed hash of an exact attribute (birth year, nationality): equal or not, nothing else."""
    _, _, k3 = _keys(key)
    digest = hmac.new(k3, f"{kind}:{value.strip().upper()}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode("ascii")


def block_keys(tokens: Sequence[str], key: bytes) -> frozenset[str]:
    """Keyed blocking keys: one per token skeleton of two letters or more (two persons are
    compared when they share any such skeleton)."""
    _, _, k3 = _keys(key)
    return frozenset(
        base64.urlsafe_b64encode(
            hmac.new(k3, f"blk:{t}".encode(), hashlib.sha256).digest()[:9]
        ).decode("ascii")
        for t in set(tokens)
        if len(t) >= 2
    )


@dataclass(frozen=True)
class Encoded:
    """What leaves an authority about one person: nothing readable."""

    clks: tuple[int, ...]
    birth_year: str = ""
    nationality: str = ""
    blocks: frozenset[str] = field(default_factory=frozenset)
    # Keyed hashes of the year before and the year after: a year one off at the other side
    # is no conflict (registers err by one), though no agreement either.
    birth_year_near: tuple[str, ...] = ()
    # Filters from this index on are shortened names (first and last token, ``token_variants``).
    short_from: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "scheme": SCHEME,
            "clks": [base64.b64encode(c.to_bytes(BITS // 8, "big")).decode() for c in self.clks],
            "short_from": len(self.clks) if self.short_from is None else self.short_from,
            "birth_year": self.birth_year,
            "birth_year_near": list(self.birth_year_near),
            "nationality": self.nationality,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Encoded:
        raw = data.get("clks")
        clks = tuple(
            int.from_bytes(base64.b64decode(str(c)), "big")
            for c in (raw if isinstance(raw, list) else [])
        )
        near = data.get("birth_year_near")
        short_from = data.get("short_from")
        return cls(
            clks=clks,
            short_from=short_from if isinstance(short_from, int) else None,
            birth_year=str(data.get("birth_year") or ""),
            nationality=str(data.get("nationality") or ""),
            birth_year_near=tuple(str(x) for x in near) if isinstance(near, list) else (),
        )


@dataclass(frozen=True)
class Clear:
    """The same person in the clear (bigram sets): used only to measure what blinding costs."""

    grams: tuple[frozenset[str], ...]
    birth_year: str = ""
    nationality: str = ""
    blocks: frozenset[str] = field(default_factory=frozenset)
    birth_year_near: tuple[str, ...] = ()
    short_from: int | None = None


def token_variants(names: Sequence[str]) -> tuple[list[list[str]], int]:
    """The token lists compared for a person, and where the shortened ones start: each name as
    written and, after them, for a name of three or more tokens, its first and last token alone
    (registers keep or drop a father's or middle name: "Raghib Nabhan Saad" is "Raghib Saad"
    elsewhere). Two shortened forms are never compared with each other: where both registers
    give a middle name, it must agree ("Salim Nadhir Kasim" is not "Salim Talat Kasim")."""
    full: list[list[str]] = []
    short: list[list[str]] = []
    for name in names:
        for tokens in name_variants(name):
            if not tokens:
                continue
            full.append(tokens)
            if len(tokens) >= 3:
                short.append([tokens[0], tokens[-1]])
    return [*full, *short], len(full)


def encode_person(
    names: Sequence[str], birth_year: int | None, nationality: str, key: bytes
) -> Encoded:
    token_lists, short_from = token_variants(names)
    return Encoded(
        clks=tuple(clk(bigrams(t), key) for t in token_lists),
        short_from=short_from,
        birth_year=attribute_key("by", str(birth_year), key) if birth_year else "",
        nationality=attribute_key("nat", nationality, key) if nationality else "",
        blocks=frozenset().union(*(block_keys(t, key) for t in token_lists)),
        birth_year_near=tuple(
            attribute_key("by", str(birth_year + d), key) for d in (-1, 1) if birth_year
        ),
    )


def clear_person(
    names: Sequence[str], birth_year: int | None, nationality: str, key: bytes = b""
) -> Clear:
    token_lists, short_from = token_variants(names)
    return Clear(
        grams=tuple(bigrams(t) for t in token_lists),
        short_from=short_from,
        birth_year=str(birth_year) if birth_year else "",
        nationality=nationality.strip().upper(),
        blocks=frozenset().union(*(block_keys(t, key) for t in token_lists)),
        birth_year_near=tuple(str(birth_year + d) for d in (-1, 1) if birth_year),
    )


@dataclass(frozen=True)
class Match:
    """The outcome of comparing two persons."""

    score: float
    matched: tuple[str, ...]  # "name", "birth year", "nationality"

    @property
    def band(self) -> str:
        """Strong: the score reaches ``STRONG`` and both sides know the same birth year. A hit on
        the name alone stays possible however close the names: namesakes and names that differ
        only in unwritten vowels look the same (docs/coordination.md, "Limits")."""
        return "strong" if self.score >= STRONG and "birth year" in self.matched else "possible"


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
class _Side:
    """One side's persons as arrays: their name filters (one row per name variant, as uint64
    words), each row's popcount, where each person's rows start, and attribute codes."""

    rows: npt.NDArray[np.uint64]
    ones: npt.NDArray[np.int64]
    short: npt.NDArray[np.bool_]  # per row: a shortened name
    start: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    year: npt.NDArray[np.int64]
    near: npt.NDArray[np.int64]  # (persons, 2): codes of the year before and after, or 0
    nationality: npt.NDArray[np.int64]


def _bits_of(person: Encoded | Clear) -> list[bytes]:
    if isinstance(person, Encoded):
        return [c.to_bytes(BITS // 8, "little") for c in person.clks]
    return [_exact_bits(g).to_bytes(_EXACT_BITS // 8, "little") for g in person.grams]


def _side(persons: Sequence[Encoded | Clear], codes: dict[str, int]) -> _Side:
    width = (BITS if not persons or isinstance(persons[0], Encoded) else _EXACT_BITS) // 8
    blobs: list[bytes] = []
    short: list[bool] = []
    count = np.zeros(len(persons), dtype=np.int64)
    year = np.zeros(len(persons), dtype=np.int64)
    nat = np.zeros(len(persons), dtype=np.int64)
    near = np.zeros((len(persons), 2), dtype=np.int64)
    for i, p in enumerate(persons):
        bits = _bits_of(p)
        blobs.extend(bits)
        count[i] = len(bits)
        cut = len(bits) if p.short_from is None else p.short_from
        short.extend(k >= cut for k in range(len(bits)))
        # Equal keyed hashes get equal codes; 0 is "not known".
        year[i] = codes.setdefault("y" + p.birth_year, len(codes) + 1) if p.birth_year else 0
        nat[i] = codes.setdefault("n" + p.nationality, len(codes) + 1) if p.nationality else 0
        for k, h in enumerate(p.birth_year_near[:2]):
            near[i, k] = codes.setdefault("y" + h, len(codes) + 1)
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint64).reshape(-1, width // 8)
    return _Side(
        rows=raw,
        ones=np.bitwise_count(raw).sum(axis=1, dtype=np.int64),
        short=np.asarray(short, dtype=np.bool_),
        start=np.cumsum(count) - count,
        count=count,
        year=year,
        near=near,
        nationality=nat,
    )


def _name_scores(
    lside: _Side, rside: _Side, li: npt.NDArray[np.int64], rj: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """The best Dice coefficient over the name variants of each pair (li[k], rj[k])."""
    cl, cr = lside.count[li], rside.count[rj]
    per = cl * cr
    out = np.zeros(len(li), dtype=np.float64)
    has = per > 0
    if not has.any():
        return out
    total = int(per.sum())
    pair = np.repeat(np.arange(len(li)), per)
    k = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
    cr_rep = cr[pair]
    lv = lside.start[li][pair] + k // np.maximum(cr_rep, 1)
    rv = rside.start[rj][pair] + k % np.maximum(cr_rep, 1)
    common = np.bitwise_count(lside.rows[lv] & rside.rows[rv]).sum(axis=1, dtype=np.int64)
    denom = lside.ones[lv] + rside.ones[rv]
    both_short = lside.short[lv] & rside.short[rv]
    dice = np.where((denom > 0) & ~both_short, 2.0 * common / np.maximum(denom, 1), 0.0)
    # Each pair's rows are contiguous: the best of them by one reduceat.
    first = (np.cumsum(per) - per)[has]
    out[has] = np.maximum.reduceat(dice, first)
    return out


def crosscheck(
    left: Sequence[Encoded | Clear],
    right: Sequence[Encoded | Clear],
    *,
    blocking: bool = True,
    threshold: float = THRESHOLD,
    chunk: int = 400_000,
) -> list[tuple[int, int, Match]]:
    """Every candidate hit between two sets, strongest first: the one matching rule.

    A pair's score is the best Dice coefficient of their name variants, plus ``YEAR_WEIGHT``
    when both know the birth year and it agrees, plus ``NATIONALITY_WEIGHT`` when both know the
    nationality and it agrees, minus ``NATIONALITY_CONFLICT`` when both know it and it differs
    (people hold several nationalities and registers record them differently, so a difference
    weighs little); capped at 1. A hit needs ``threshold`` and no conflicting birth year. The
    comparison runs on arrays, ``chunk`` candidate pairs at a time. Birth years one apart are
    neither agreement nor conflict (a register's error)."""
    if not left or not right:
        return []
    if any(isinstance(p, Encoded) != isinstance(left[0], Encoded) for p in [*left, *right]):
        raise TypeError("compare encodings with encodings, clear with clear")
    codes: dict[str, int] = {}
    lside, rside = _side(left, codes), _side(right, codes)
    if blocking:
        all_i, all_j = _candidate_array(left, right)
    else:
        all_i = np.repeat(np.arange(len(left), dtype=np.int64), len(right))
        all_j = np.tile(np.arange(len(right), dtype=np.int64), len(left))
    hits: list[tuple[int, int, Match]] = []
    for lo in range(0, len(all_i), chunk):
        li, rj = all_i[lo : lo + chunk], all_j[lo : lo + chunk]
        name = _name_scores(lside, rside, li, rj)
        ya, yb = lside.year[li], rside.year[rj]
        na, nb = lside.nationality[li], rside.nationality[rj]
        year_agrees = (ya > 0) & (ya == yb)
        nat_agrees = (na > 0) & (na == nb)
        nat_differs = (na > 0) & (nb > 0) & (na != nb)
        score = np.minimum(
            1.0,
            name
            + YEAR_WEIGHT * year_agrees
            + NATIONALITY_WEIGHT * nat_agrees
            - NATIONALITY_CONFLICT * nat_differs,
        )
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
            match = Match(score=round(float(score[k]), 4), matched=tuple(matched))
            hits.append((int(li[k]), int(rj[k]), match))
    hits.sort(key=lambda h: (-h[2].score, h[0], h[1]))
    return hits
