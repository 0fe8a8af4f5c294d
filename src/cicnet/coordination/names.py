"""How a person's name is prepared for blind comparison: the same steps at every authority.

A name in any script is transliterated to ASCII (``anyascii``), split into tokens, stripped of
particles that spellings add or drop ("al-", "el", "ibn", "bin", the Cyrillic soft sign), and
each token is reduced to a consonant *skeleton* with the letters that transliteration
conventions disagree about merged: Arabic script writes no short vowels ("محمد" is "mhmd"),
English, French and German spell "Mohammed", "Mouhamed", "Mohammad"; Cyrillic "Х" is "kh",
"h" or "ch"; "Щ" is "shch", "chtch" or "schtsch". Both sides apply these steps, so the
skeletons of variants of one name coincide or differ by a letter, which the Bloom-filter
comparison of their q-grams (``linkage.py``) tolerates.

Django-free: ``cicnet crosscheck-names`` and the bench use it without settings.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Tokens that carry no identity: articles, filial and honorific particles.
PARTICLES = frozenset(
    {
        "al",
        "el",
        "ul",
        "ad",
        "ed",
        "ar",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "bin",
        "ben",
        "ibn",
        "bint",
        "von",
        "van",
        "der",
        "de",
        "da",
        "di",
        "du",
        "la",
        "le",
    }
)
# Arabic definite article written joined to the word ("الحمد"): anyascii would keep only "l".
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])\u0627\u0644(?=[\u0600-\u06ff]{2,})")
_ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
# Joined Latin article ("Alhamad", "Elhamed"): dropped when enough remains, on both sides alike.
_JOINED_ARTICLE = re.compile(r"^(?:al|el)(?=[a-z]{3,}$)")
# Multi-letter spellings of one sound, longest first; applied before vowels are removed.
_DIGRAPHS = (
    ("schtsch", "s"),
    ("shch", "s"),
    ("chtch", "s"),
    ("tsch", "s"),
    ("sch", "s"),
    ("tch", "s"),
    ("dzh", "g"),
    ("dj", "g"),
    ("kh", "h"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("zh", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("ck", "k"),
    ("ts", "s"),
    ("ou", "u"),
)
_LETTERS = str.maketrans(
    {
        "q": "k",
        "c": "k",
        "x": "k",
        "j": "g",
        "z": "s",
        "v": "w",
        "p": "b",
    }
)
_WEAK = re.compile(r"[aeiouyw]")
_NON_LETTERS = re.compile(r"[^a-z]+")


def _ascii_tokens(name: str) -> list[str]:
    text = unicodedata.normalize("NFKC", name)
    if _ARABIC_LETTERS.search(text):
        text = _ARABIC_ARTICLE.sub("", text)
    ascii_text = anyascii(text).lower()
    # Apostrophes (ayn, hamza, soft sign) vanish; every other non-letter separates tokens.
    ascii_text = ascii_text.replace("'", "").replace("`", "")
    return [t for t in _NON_LETTERS.split(ascii_text) if t]


def skeleton(token: str) -> str:
    """The consonant skeleton of one lower-case ASCII token."""
    token = _JOINED_ARTICLE.sub("", token)
    # A final "h" after a vowel is the Arabic ta marbuta or a spelling habit ("Hamzah").
    token = re.sub(r"(?<=[aeiou])h$", "", token)
    for digraph, sound in _DIGRAPHS:
        token = token.replace(digraph, sound)
    token = token.translate(_LETTERS)
    token = _WEAK.sub("", token)
    # Doubled letters are a spelling choice ("Hammad" / "Hamad").
    return re.sub(r"(.)\1+", r"\1", token)


def name_tokens(name: str) -> list[str]:
    """The skeletons of a name's identifying tokens, in order (empty for no usable name)."""
    out = []
    for token in _ascii_tokens(name):
        if token in PARTICLES:
            continue
        sk = skeleton(token)
        if sk:
            out.append(sk)
    return out


def has_usable_name(names: list[str]) -> bool:
    return any(name_tokens(n) for n in names)
