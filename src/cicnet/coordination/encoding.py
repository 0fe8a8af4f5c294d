"""What leaves an authority about a person: Bloom-filter linkage keys of name q-grams.

Each authority's names are turned into *cryptographic linkage keys* (CLKs, Schnell et al.
2009): the skeleton tokens of a name (``names.py``) are cut into padded bigrams, and each bigram
sets ``HASHES`` bits of a ``BITS``-bit filter at positions chosen by two HMAC-SHA256 functions
under the network's key (double hashing). Birth year and nationality become keyed hashes.

Each name variant has two more filters (docs/decisions/0165): one of the same bigrams tagged
with their token's place (given name first, family name last, middle), so that "Karim Najib"
and "Najib Karim" differ, and a small one of the vowel marks (``names.vowel_marks``), so that a
Latin "Kamil" contradicts the long "a" of an Arabic-script "كمال"; since scheme 4 a second one
of the marks tagged with their token's place, so that a long vowel of one name is not matched
by another name's (docs/decisions/0180). Whether a variant was written in Arabic script (marks
of long vowels only) travels with it. Since scheme 5, four more of a name in Latin letters: its
Latin vowels as written and widened to the vowels they may stand for, by token place and not
(``names.latin_vowel_slots``, docs/decisions/0181); their bits are zero for other scripts.
``Clear`` is the same person in the clear, to measure what blinding costs. ``linkage.py``
compares them.

Django-free (docs/decisions/0140, 0141, 0165, 0180, 0181).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from cicnet.coordination.names import TokenForm, name_variants_forms, written_in_arabic

# The encoding scheme: bumped whenever a change of the name rules, the bits or the keys makes
# earlier encodings incomparable with new ones; a data migration re-encodes stored persons and
# situations (coordination/0006, 0007; crosscheck.reencode_stale). 1: decision 0140; 2: 0141;
# 3: 0165 (soft "c", zah, name order, vowel marks); 4: 0180 (vowel marks by token place; an
# article before each of two names is no mark of the order); 5: 0181 (Latin vowels).
SCHEME = 5
BITS = 1024
# Bits per bigram. 20 (0140) set ~200 of the 1,024 bits for a two-token name, and chance
# overlaps of that many bits raised blind scores above clear ones by up to 0.04 of precision
# for short Arabic skeletons; 12 keeps blind within 0.03 of clear (docs/decisions/0141).
HASHES = 12
# Vowel marks: a filter of their own, smaller (a name has a handful of marks).
VOWEL_BITS = 256
VOWEL_HASHES = 4


def bigrams(tokens: Sequence[str]) -> frozenset[str]:
    """Padded bigrams of each token (order-free: "Hamad Mohammed" = "Mohammed Hamad")."""
    grams: set[str] = set()
    for token in tokens:
        padded = f"_{token}_"
        grams.update(padded[i : i + 2] for i in range(len(padded) - 1))
    return frozenset(grams)


def placed_bigrams(tokens: Sequence[str]) -> frozenset[str]:
    """The bigrams tagged with their token's place: "<" the first (given) name, ">" the last
    (family) name, "=" a middle one; a one-token name is "<"."""
    grams: set[str] = set()
    for k, token in enumerate(tokens):
        tag = "<" if k == 0 else (">" if k == len(tokens) - 1 else "=")
        grams.update(tag + g for g in bigrams([token]))
    return frozenset(grams)


@lru_cache(maxsize=64)
def _keys(key: bytes) -> tuple[bytes, bytes, bytes]:
    return (
        hmac.new(key, b"clk-1", hashlib.sha256).digest(),
        hmac.new(key, b"clk-2", hashlib.sha256).digest(),
        hmac.new(key, b"attr", hashlib.sha256).digest(),
    )


@lru_cache(maxsize=65536)
def _gram_bits(gram: str, key: bytes, width: int = BITS, hashes: int = HASHES) -> int:
    """The ``hashes`` bits one gram sets under ``key`` in a filter of ``width`` bits (grams
    are few: cached)."""
    k1, k2, _ = _keys(key)
    data = gram.encode("utf-8")
    h1 = int.from_bytes(hmac.new(k1, data, hashlib.sha256).digest()[:8], "big")
    h2 = int.from_bytes(hmac.new(k2, data, hashlib.sha256).digest()[:8], "big") | 1
    bits = 0
    for i in range(hashes):
        bits |= 1 << ((h1 + i * h2) % width)
    return bits


def clk(grams: Iterable[str], key: bytes, width: int = BITS, hashes: int = HASHES) -> int:
    """The Bloom filter of ``grams`` under ``key``, as an int of ``width`` bits."""
    bits = 0
    for gram in grams:
        bits |= _gram_bits(gram, key, width, hashes)
    return bits


def placed_marks(forms: Sequence[frozenset[str]]) -> frozenset[str]:
    """The vowel marks of a name's tokens tagged with their token's place, as in
    ``placed_bigrams``: a long vowel of the family name is not matched by the given name's."""
    out: set[str] = set()
    for k, marks in enumerate(forms):
        tag = "<" if k == 0 else (">" if k == len(forms) - 1 else "=")
        out.update(tag + m for m in marks)
    return frozenset(out)


def _vowel_clk(marks: Iterable[str], key: bytes) -> int:
    return clk((f"v:{m}" for m in marks), key, VOWEL_BITS, VOWEL_HASHES)


def attribute_key(kind: str, value: str, key: bytes) -> str:
    """A keyed hash of an exact attribute (birth year, nationality): equal or not, nothing else."""
    _, _, k3 = _keys(key)
    digest = hmac.new(k3, f"{kind}:{value.strip().upper()}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode("ascii")


def block_keys(tokens: Sequence[str], key: bytes) -> frozenset[str]:
    """Keyed blocking keys: one per token skeleton of two letters or more (two persons are
    compared when they share any such skeleton)."""
    return frozenset(_block_key(t, key) for t in set(tokens) if len(t) >= 2)


@lru_cache(maxsize=65536)
def _block_key(token: str, key: bytes) -> str:
    _, _, k3 = _keys(key)
    digest = hmac.new(k3, f"blk:{token}".encode(), hashlib.sha256).digest()[:9]
    return base64.urlsafe_b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class Encoded:
    """What leaves an authority about one person: nothing readable. Per name variant: the
    filter of its bigrams (``clks``), of its placed bigrams (``placed``), of its vowel marks
    (``vowels``; tagged with their token's place, ``placed_vowels``) and whether it was written
    in Arabic script (``long_only``). Encodings of scheme 2 have ``clks`` only: then order and
    vowels are not compared; those of scheme 3 lack ``placed_vowels``."""

    clks: tuple[int, ...]
    placed: tuple[int, ...] = ()
    vowels: tuple[int, ...] = ()
    long_only: tuple[bool, ...] = ()
    birth_year: str = ""
    nationality: str = ""
    blocks: frozenset[str] = field(default_factory=frozenset)
    # Per name variant, the filter of its vowel marks tagged with their token's place (scheme 4;
    # empty before: then the untagged marks stand in).
    placed_vowels: tuple[int, ...] = ()
    # Keyed hashes of the year before and the year after: a year one off at the other side
    # is no conflict (registers err by one), though no agreement either.
    birth_year_near: tuple[str, ...] = ()
    # Filters from this index on are shortened names (first and last token, ``token_variants``).
    short_from: int | None = None
    # Per name variant (scheme 5; empty before), filters of its Latin vowels
    # (``names.latin_vowel_slots``): as written and widened, tagged with their token's place
    # (``latin``, ``latin_wide``) and untagged (``latin_free``, ``latin_free_wide``). All bits
    # zero for a name not in Latin letters.
    latin: tuple[int, ...] = ()
    latin_wide: tuple[int, ...] = ()
    latin_free: tuple[int, ...] = ()
    latin_free_wide: tuple[int, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "scheme": SCHEME,
            "clks": [base64.b64encode(c.to_bytes(BITS // 8, "big")).decode() for c in self.clks],
            "placed": [
                base64.b64encode(c.to_bytes(BITS // 8, "big")).decode() for c in self.placed
            ],
            "vowels": [
                base64.b64encode(c.to_bytes(VOWEL_BITS // 8, "big")).decode() for c in self.vowels
            ],
            "placed_vowels": [
                base64.b64encode(c.to_bytes(VOWEL_BITS // 8, "big")).decode()
                for c in self.placed_vowels
            ],
            **{
                name: [base64.b64encode(c.to_bytes(VOWEL_BITS // 8, "big")).decode() for c in rows]
                for name, rows in (
                    ("latin", self.latin),
                    ("latin_wide", self.latin_wide),
                    ("latin_free", self.latin_free),
                    ("latin_free_wide", self.latin_free_wide),
                )
            },
            "long_only": [int(x) for x in self.long_only],
            "short_from": len(self.clks) if self.short_from is None else self.short_from,
            "birth_year": self.birth_year,
            "birth_year_near": list(self.birth_year_near),
            "nationality": self.nationality,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Encoded:
        def ints(name: str) -> tuple[int, ...]:
            raw = data.get(name)
            return tuple(
                int.from_bytes(base64.b64decode(str(c)), "big")
                for c in (raw if isinstance(raw, list) else [])
            )

        clks, placed, vowels = ints("clks"), ints("placed"), ints("vowels")
        raw_long = data.get("long_only")
        long_only = tuple(bool(x) for x in raw_long) if isinstance(raw_long, list) else ()
        placed_vowels = ints("placed_vowels")
        if not (len(placed) == len(vowels) == len(long_only) == len(clks)):
            placed, vowels, long_only = (), (), ()  # scheme 2, or damaged: names only
        if len(placed_vowels) != len(vowels):
            placed_vowels = ()  # scheme 3: the untagged marks stand in
        latin = tuple(ints(n) for n in ("latin", "latin_wide", "latin_free", "latin_free_wide"))
        if any(len(rows) != len(clks) for rows in latin):
            latin = ((), (), (), ())  # before scheme 5: Latin vowels not compared
        near = data.get("birth_year_near")
        short_from = data.get("short_from")
        return cls(
            clks=clks,
            placed=placed,
            vowels=vowels,
            long_only=long_only,
            placed_vowels=placed_vowels,
            latin=latin[0],
            latin_wide=latin[1],
            latin_free=latin[2],
            latin_free_wide=latin[3],
            short_from=short_from if isinstance(short_from, int) else None,
            birth_year=str(data.get("birth_year") or ""),
            nationality=str(data.get("nationality") or ""),
            birth_year_near=tuple(str(x) for x in near) if isinstance(near, list) else (),
        )


@dataclass(frozen=True)
class Clear:
    """The same person in the clear (bigram sets): used only to measure what blinding costs."""

    grams: tuple[frozenset[str], ...]
    placed: tuple[frozenset[str], ...] = ()
    vowels: tuple[frozenset[str], ...] = ()
    long_only: tuple[bool, ...] = ()
    birth_year: str = ""
    nationality: str = ""
    blocks: frozenset[str] = field(default_factory=frozenset)
    birth_year_near: tuple[str, ...] = ()
    short_from: int | None = None
    placed_vowels: tuple[frozenset[str], ...] = ()
    latin: tuple[frozenset[str], ...] = ()
    latin_wide: tuple[frozenset[str], ...] = ()
    latin_free: tuple[frozenset[str], ...] = ()
    latin_free_wide: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Variant:
    """One form of a person's name as compared: skeletons in order (given name first), the
    vowel marks of each token, and whether it was written in Arabic script."""

    tokens: tuple[str, ...]
    token_marks: tuple[frozenset[str], ...]
    long_only: bool
    # Per token, its Latin vowels as written and widened (``names.latin_vowel_slots``).
    token_latin: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()

    @property
    def marks(self) -> frozenset[str]:
        """The vowel marks of all its tokens, untagged."""
        return frozenset().union(*self.token_marks)

    @property
    def placed_marks(self) -> frozenset[str]:
        return placed_marks(self.token_marks)

    def latin(self, *, wide: bool, placed: bool) -> frozenset[str]:
        """Its Latin vowels (widened or not), tagged with their token's place or not."""
        forms = [t[1] if wide else t[0] for t in self.token_latin]
        if placed:
            return placed_marks(forms)
        return frozenset().union(*forms)


def _variant(forms: Sequence[TokenForm], arabic: bool) -> Variant:
    return Variant(
        tokens=tuple(f.skeleton for f in forms),
        token_marks=tuple(f.marks for f in forms),
        long_only=arabic,
        token_latin=tuple(f.latin for f in forms),
    )


def name_forms_of(names: Sequence[str]) -> tuple[list[Variant], int]:
    """The forms compared for a person, and where the shortened ones start: each name as
    written and, after them, for a name of three or more tokens, its first and last token alone
    (registers keep or drop a father's or middle name: "Raghib Nabhan Saad" is "Raghib Saad"
    elsewhere). Two shortened forms are never compared with each other: where both registers
    give a middle name, it must agree ("Salim Nadhir Kasim" is not "Salim Talat Kasim")."""
    full: list[Variant] = []
    short: list[Variant] = []
    for name in names:
        arabic = written_in_arabic(name)
        for forms in name_variants_forms(name):
            if not forms:
                continue
            full.append(_variant(forms, arabic))
            if len(forms) >= 3:
                short.append(_variant([forms[0], forms[-1]], arabic))
    return [*full, *short], len(full)


def token_variants(names: Sequence[str]) -> tuple[list[list[str]], int]:
    """The token lists of ``name_forms_of`` (skeletons only)."""
    forms, short_from = name_forms_of(names)
    return [list(v.tokens) for v in forms], short_from


def encode_person(
    names: Sequence[str], birth_year: int | None, nationality: str, key: bytes
) -> Encoded:
    forms, short_from = name_forms_of(names)
    token_lists = [v.tokens for v in forms]
    return Encoded(
        clks=tuple(clk(bigrams(v.tokens), key) for v in forms),
        placed=tuple(clk(placed_bigrams(v.tokens), key) for v in forms),
        vowels=tuple(_vowel_clk(v.marks, key) for v in forms),
        placed_vowels=tuple(_vowel_clk(v.placed_marks, key) for v in forms),
        latin=tuple(_vowel_clk(v.latin(wide=False, placed=True), key) for v in forms),
        latin_wide=tuple(_vowel_clk(v.latin(wide=True, placed=True), key) for v in forms),
        latin_free=tuple(_vowel_clk(v.latin(wide=False, placed=False), key) for v in forms),
        latin_free_wide=tuple(_vowel_clk(v.latin(wide=True, placed=False), key) for v in forms),
        long_only=tuple(v.long_only for v in forms),
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
    forms, short_from = name_forms_of(names)
    token_lists = [v.tokens for v in forms]
    return Clear(
        grams=tuple(bigrams(v.tokens) for v in forms),
        placed=tuple(placed_bigrams(v.tokens) for v in forms),
        vowels=tuple(v.marks for v in forms),
        placed_vowels=tuple(v.placed_marks for v in forms),
        latin=tuple(v.latin(wide=False, placed=True) for v in forms),
        latin_wide=tuple(v.latin(wide=True, placed=True) for v in forms),
        latin_free=tuple(v.latin(wide=False, placed=False) for v in forms),
        latin_free_wide=tuple(v.latin(wide=True, placed=False) for v in forms),
        long_only=tuple(v.long_only for v in forms),
        short_from=short_from,
        birth_year=str(birth_year) if birth_year else "",
        nationality=nationality.strip().upper(),
        blocks=frozenset().union(*(block_keys(t, key) for t in token_lists)),
        birth_year_near=tuple(str(birth_year + d) for d in (-1, 1) if birth_year),
    )
