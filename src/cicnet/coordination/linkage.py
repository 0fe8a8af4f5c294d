"""Blind hit/no-hit comparison of persons: Bloom-filter linkage keys of name q-grams.

Each authority's names are turned into *cryptographic linkage keys* (CLKs, Schnell et al.
2009): the skeleton tokens of a name (``names.py``) are cut into padded bigrams, and each bigram
sets ``HASHES`` bits of a ``BITS``-bit filter at positions chosen by two HMAC-SHA256 functions
under the network's key (double hashing). Only these filters, and keyed hashes of the birth
year and nationality, are compared across authorities; the Dice coefficient of two filters
estimates the Dice coefficient of the two names' bigram sets.

``compare`` is the one matching rule: the app's cross-checks and ``cicnet crosscheck-names``
both call it, blind (on the filters) or, for measurement only, in the clear (on the bigram
sets). ``candidate_pairs`` cuts the work on large sets with keyed blocking keys (pairs of token
skeletons) and ``crosscheck`` ties it together.

Django-free (docs/decisions/0140).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cicnet.coordination.names import name_tokens

BITS = 1024
HASHES = 20
# A candidate hit needs at least this Dice score of the names (tuned on the training part of
# bench/data/name_variants, docs/coordination.md); at or above STRONG it is a strong hit.
THRESHOLD = 0.85
STRONG = 0.92


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


def clk(grams: Iterable[str], key: bytes) -> int:
    """The Bloom filter of ``grams`` under ``key``, as an int of ``BITS`` bits."""
    k1, k2, _ = _keys(key)
    bits = 0
    for gram in grams:
        data = gram.encode("utf-8")
        h1 = int.from_bytes(hmac.new(k1, data, hashlib.sha256).digest()[:8], "big")
        h2 = int.from_bytes(hmac.new(k2, data, hashlib.sha256).digest()[:8], "big") | 1
        for i in range(HASHES):
            bits |= 1 << ((h1 + i * h2) % BITS)
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

    def to_json(self) -> dict[str, object]:
        return {
            "clks": [base64.b64encode(c.to_bytes(BITS // 8, "big")).decode() for c in self.clks],
            "birth_year": self.birth_year,
            "nationality": self.nationality,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Encoded:
        raw = data.get("clks")
        clks = tuple(
            int.from_bytes(base64.b64decode(str(c)), "big")
            for c in (raw if isinstance(raw, list) else [])
        )
        return cls(
            clks=clks,
            birth_year=str(data.get("birth_year") or ""),
            nationality=str(data.get("nationality") or ""),
        )


@dataclass(frozen=True)
class Clear:
    """The same person in the clear (bigram sets): used only to measure what blinding costs."""

    grams: tuple[frozenset[str], ...]
    birth_year: str = ""
    nationality: str = ""
    blocks: frozenset[str] = field(default_factory=frozenset)


def token_variants(names: Sequence[str]) -> list[list[str]]:
    """The token lists compared for a person: each name as written and, for a name of three or
    more tokens, its first and last token alone (registers keep or drop a father's or middle
    name: "Raghib Nabhan Saad" is "Raghib Saad" elsewhere)."""
    out: list[list[str]] = []
    for name in names:
        tokens = name_tokens(name)
        if not tokens:
            continue
        out.append(tokens)
        if len(tokens) >= 3:
            out.append([tokens[0], tokens[-1]])
    return out


def encode_person(
    names: Sequence[str], birth_year: int | None, nationality: str, key: bytes
) -> Encoded:
    token_lists = token_variants(names)
    return Encoded(
        clks=tuple(clk(bigrams(t), key) for t in token_lists),
        birth_year=attribute_key("by", str(birth_year), key) if birth_year else "",
        nationality=attribute_key("nat", nationality, key) if nationality else "",
        blocks=frozenset().union(*(block_keys(t, key) for t in token_lists)),
    )


def clear_person(
    names: Sequence[str], birth_year: int | None, nationality: str, key: bytes = b""
) -> Clear:
    token_lists = token_variants(names)
    return Clear(
        grams=tuple(bigrams(t) for t in token_lists),
        birth_year=str(birth_year) if birth_year else "",
        nationality=nationality.strip().upper(),
        blocks=frozenset().union(*(block_keys(t, key) for t in token_lists)),
    )


def _dice_bits(a: int, b: int) -> float:
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0


def _dice_sets(a: frozenset[str], b: frozenset[str]) -> float:
    total = len(a) + len(b)
    return 2 * len(a & b) / total if total else 0.0


@dataclass(frozen=True)
class Match:
    """The outcome of comparing two persons."""

    score: float
    matched: tuple[str, ...]  # "name", "birth year", "nationality"

    @property
    def band(self) -> str:
        return "strong" if self.score >= STRONG else "possible"


def compare(a: Encoded | Clear, b: Encoded | Clear, threshold: float = THRESHOLD) -> Match | None:
    """The one matching rule: the best Dice score over the two persons' name variants; a hit
    needs ``threshold`` and no conflicting birth year. Nationality is reported, never required
    (people hold several, and authorities record them differently)."""
    if isinstance(a, Encoded) and isinstance(b, Encoded):
        score = max((_dice_bits(x, y) for x in a.clks for y in b.clks), default=0.0)
    elif isinstance(a, Clear) and isinstance(b, Clear):
        score = max((_dice_sets(x, y) for x in a.grams for y in b.grams), default=0.0)
    else:
        raise TypeError("compare encodings with encodings, clear with clear")
    if score < threshold:
        return None
    if a.birth_year and b.birth_year and a.birth_year != b.birth_year:
        return None
    matched = ["name"]
    if a.birth_year and a.birth_year == b.birth_year:
        matched.append("birth year")
    if a.nationality and a.nationality == b.nationality:
        matched.append("nationality")
    return Match(score=round(score, 4), matched=tuple(matched))


def candidate_pairs(
    left: Sequence[Encoded | Clear], right: Sequence[Encoded | Clear]
) -> Iterable[tuple[int, int]]:
    """Index pairs that share a blocking key (each pair once)."""
    index: dict[str, list[int]] = defaultdict(list)
    for j, person in enumerate(right):
        for block in person.blocks:
            index[block].append(j)
    for i, person in enumerate(left):
        seen: set[int] = set()
        for block in person.blocks:
            for j in index.get(block, ()):
                if j not in seen:
                    seen.add(j)
                    yield i, j


def crosscheck(
    left: Sequence[Encoded | Clear],
    right: Sequence[Encoded | Clear],
    *,
    blocking: bool = True,
    threshold: float = THRESHOLD,
) -> list[tuple[int, int, Match]]:
    """Every candidate hit between two sets, strongest first."""
    pairs: Iterable[tuple[int, int]] = (
        candidate_pairs(left, right)
        if blocking
        else itertools.product(range(len(left)), range(len(right)))
    )
    hits = []
    for i, j in pairs:
        match = compare(left[i], right[j], threshold)
        if match is not None:
            hits.append((i, j, match))
    hits.sort(key=lambda h: (-h[2].score, h[0], h[1]))
    return hits
