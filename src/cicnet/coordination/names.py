"""How a person's name is prepared for blind comparison: the same steps at every authority.

A name in any script is transliterated to ASCII (``anyascii``), split into tokens, stripped of
particles that spellings add or drop ("al-", "el", "ibn", "bin", the Cyrillic soft sign), and
each token is reduced to a consonant *skeleton* with the letters that transliteration
conventions disagree about merged: Arabic script writes no short vowels ("محمد" is "mhmd"),
English, French and German spell "Mohammed", "Mouhamed", "Mohammad"; Cyrillic "Х" is "kh",
"h" or "ch"; "Щ" is "shch", "chtch" or "schtsch". What scripts do write is kept: a token's
first and last vowel (as one "a" each; Arabic writes them with alif, ayn, ya, ta marbuta or
alif maqsura: "Amira" / "أميرة" is not "Amir"), "y" and "v"/"w" as consonants,
Arabic waw and ya read as long vowels or consonants by position. Both sides apply these steps,
so the skeletons of variants of one name coincide or differ by a letter, which the Bloom-filter
comparison of their q-grams (``linkage.py``) tolerates (docs/decisions/0141).

Beside the skeleton, each token keeps its **vowel marks** (``vowel_marks``): which vowel
(a, i, u) follows which consonant. Arabic script writes only long vowels (alif, waw, ya), so an
Arabic-script name's marks are a subset of those of its Latin spellings, and a Latin name whose
vowels contradict them is another name: "Kamil" has no "a" after "m", so it is not "كمال"
(Kamāl) but may be "كامل" (Kāmil). A name written family name first ("HAMAD, Mohamed", "AL-HAMAD
Mohamed", "Al-Hamad Mohamed") is turned given name first (``family_first``), so that the order
of given and family name can be compared (docs/decisions/0165).

A token of a name in Latin letters also keeps its **Latin vowels** (``latin_vowel_slots``):
each vowel after its consonant, by class, and widened to the classes another Latin spelling
may write for it ("Leila" / "Lila" agree, "Leila" / "Luay" do not; docs/decisions/0181).

Django-free: ``cicnet crosscheck-names`` and the bench use it without settings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

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
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")
# Letters after which waw and ya are consonants (followed by a long vowel or ta marbuta).
_ARABIC_VOWEL_LETTERS = frozenset("\u0627\u0623\u0625\u0622\u0648\u064a\u0649\u0629")
# Alif, alif maqsura and ta marbuta are vowels ("Hamza" / "Hamzah" / "حمزة"); anyascii drops
# alif and writes ta marbuta "h". Zah is "z" as in the standard romanisations (DIN 31635,
# ALA-LC "ẓ") and most Latin spellings ("Zahir", "Kazim"); anyascii writes "dh", dhal's.
_ARABIC_VOWELS = str.maketrans(
    {
        "\u0627": "a",
        "\u0623": "a",
        "\u0625": "a",
        "\u0622": "a",
        "\u0649": "a",
        "\u0629": "a",
        "\u0638": "z",
    }
)
# Joined Latin article ("Alhamad", "Elhamed"): dropped when enough remains, on both sides alike.
# Only before a consonant: "Aleksandr", "Elena", "Alina" keep their first syllable.
_CAPITAL_ARTICLE = re.compile(r"\b(Al|El)(?=[A-Z])")
_JOINED_ARTICLE = re.compile(r"^(?:al|el)(?=[b-df-hj-np-tv-z][a-z]{2,}$)")
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
        "w": "v",
        "p": "b",
    }
)
_VOWELS = re.compile(r"[aeiou]")
# "y" is a vowel unless it starts a token or comes before a vowel ("Ayman", "Yuriy" / "Yusuf").
_Y_VOWEL = re.compile(r"(?<=.)y(?![aeiou])")
# "i" before a vowel is the glide "y" ("Riad" / "Riyad" / "رياض", "Iouri" / "Yuri").
_I_GLIDE = re.compile(r"i(?=[aeou])")
_NON_LETTERS = re.compile(r"[^a-z]+")
# "c" before e, i, y is "s" in French, Spanish, English ("Yacine" / "ياسين", "Hocine", "Céline").
_SOFT_C = re.compile(r"c(?=[eiy])")
# Vowel classes of the marks: Arabic script writes alif (a), ya (i), waw (u); Latin "o" and
# "u" are both waw's "u". A Latin "e" stands for any of them ("Djamel" is Jamāl, "Adel" ʿĀdil).
_VOWEL_CLASS = {"a": "a", "i": "i", "o": "u", "u": "u"}
# "Abdul-", "Abdel-" joined to the name that follows (skeleton "abdl" + more).
_ABD = re.compile(r"^abdl(?=[a-z])")


def _arabic_long_vowels(word: str) -> str:
    """Waw and ya are long vowels ("u", "i") between consonants and consonants ("w", "y") at
    the start of a word or before a vowel letter: "يوسف" is "yusf", "مروان" "marwan"."""
    out = []
    for i, ch in enumerate(word):
        if i == 0 and ch == "\u0639":  # a first ayn is written as a vowel: "Umar", "Ali"
            out.append("a")
        elif i == 0 and ch == "\u0625":  # hamza below alif is written only for "i": "Ikram"
            out.append("i")
        elif ch in "\u0648\u064a":
            nxt = word[i + 1] if i + 1 < len(word) else ""
            consonant = i == 0 or nxt in _ARABIC_VOWEL_LETTERS
            out.append(
                ("w" if ch == "\u0648" else "y") if consonant else ("u" if ch == "\u0648" else "i")
            )
        else:
            out.append(ch)
    return "".join(out).translate(_ARABIC_VOWELS)


def _ascii_tokens(name: str) -> list[str]:
    text = unicodedata.normalize("NFKC", name)
    # "AlIkram", "ElHamad": the capital shows where a joined article ends, before a vowel too.
    text = _CAPITAL_ARTICLE.sub(r"\1 ", text)
    if _ARABIC_LETTERS.search(text):
        text = _ARABIC_ARTICLE.sub("", text)
        text = _ARABIC_WORD.sub(lambda m: _arabic_long_vowels(m.group()), text)
    ascii_text = anyascii(text).lower()
    # Apostrophes (ayn, hamza, soft sign) vanish; every other non-letter separates tokens.
    ascii_text = ascii_text.replace("'", "").replace("`", "")
    return [t for t in _NON_LETTERS.split(ascii_text) if t]


INITIAL_VOWEL = True
FINAL_VOWEL = True


def skeleton(token: str, *, w_is_vowel: bool = False, arabic: bool = False) -> str:
    """The consonant skeleton of one lower-case ASCII token. "w" is "v" ("Krylow" / "Krylov",
    "Wladimir") or, with ``w_is_vowel``, a vowel ("Anwar" / "Anouar" / "أنور"): both are
    compared (``name_variants``)."""
    token = _soft(token, w_is_vowel=w_is_vowel, arabic=arabic)
    # A final "h" after a vowel is the Arabic ta marbuta or a spelling habit ("Hamzah").
    token = re.sub(r"(?<=[aeiou])h$", "", token)
    for digraph, sound in _DIGRAPHS:
        token = token.replace(digraph, sound)
    token = _I_GLIDE.sub("y", token)
    # A token that starts with a vowel keeps one "a" for it: Arabic script writes a word's
    # first vowel (alif, ayn), so "Akram" / "أكرم" is not "Karim" / "كريم", nor "Amir" "Mira";
    # "Ye-", "Ya-" count as a vowel ("Yegor" / "Egor" / "Егор"). So does a final vowel
    # ("Amira" / "أميرة", "Salma" / "سلمى", "Petrova"), but not a French silent "e" ("Amine").
    initial = "a" if INITIAL_VOWEL and re.match(r"[aeiou]|y[aeiou]", token) else ""
    if initial and token[0] == "y":
        token = token[1:]
    final = "a" if FINAL_VOWEL and len(token) > 1 and token[-1] in "aiouy" else ""
    token = _Y_VOWEL.sub("", token.translate(_LETTERS))
    token = _VOWELS.sub("", token)
    # Doubled letters are a spelling choice ("Hammad" / "Hamad").
    core = re.sub(r"(.)\1+", r"\1", token)
    return initial + core + final if core or initial else ""


def _soft(token: str, *, w_is_vowel: bool, arabic: bool) -> str:
    # Arabic script's joined article went before transliteration; "إلياس" (Ilyas) keeps "al".
    if not arabic:
        token = _JOINED_ARTICLE.sub("", token)
    if w_is_vowel:
        token = token.replace("w", "u")
    return _SOFT_C.sub("s", token)


def vowel_marks(token: str, *, w_is_vowel: bool = False, arabic: bool = False) -> frozenset[str]:
    """The vowels of one lower-case ASCII token, each as the consonant before it and its class
    ("kamil" → {"ka", "mi"}; from Arabic script "kaml", alif only → {"ka"}). The vowels before
    the first consonant are marked "_" ("Aymen" → "_a", "_i"), except, from Arabic script, the
    first (a word's alif or ayn, written whatever its vowel); and how the token starts: "^" with
    a vowel, "^y" with "y" ("Younes" / "يونس" is not "Anis" / "أنيس"). "ee", "oo" are English
    long vowels; "e" stands for each class ("Djamel" is Jamāl, "Adel" ʿĀdil)."""
    token = _soft(token, w_is_vowel=w_is_vowel, arabic=arabic)
    token = re.sub(r"(?<=[aeiou])h$", "", token).replace("ee", "i").replace("oo", "u")
    for digraph, sound in _DIGRAPHS:
        token = token.replace(digraph, sound)
    token = _I_GLIDE.sub("y", token)
    if token.startswith("abd"):  # "Abdel", "Abdul", "عبدال": the article's vowel is no mark
        token = "abd" + re.sub(r"^[aeiou]*l?", "", token[3:])
    marks: set[str] = set()
    if token[:1] in ("y", *_VOWEL_CLASS, "e"):
        marks.add("^y" if token[0] == "y" else "^")
    token = _Y_VOWEL.sub("i", token.translate(_LETTERS))
    # Doubled consonants are a spelling choice; two vowels are not: "عامر" is "aamr" (ʿĀmir).
    token = re.sub(r"([^aeiou])\1+", r"\1", token)
    before = "_"
    for k, ch in enumerate(token):
        if ch in _VOWEL_CLASS or ch == "e":
            if k == 0 and arabic and ch != "i":  # alif, ayn: any vowel; hamza below: "i"
                continue
            marks.update(before + c for c in ("aiu" if ch == "e" else _VOWEL_CLASS[ch]))
        else:
            if ch == "y" and not arabic and k and before == token[k - 1]:
                # A glide after a consonant ("Boumediene", "Madyan"): Arabic script writes it
                # with the ya it writes for a long "i" ("بومدين"), and reads the same.
                marks.add(before + "i")
            before = ch
    return frozenset(marks)


# Latin vowel classes (docs/decisions/0181): how Latin spellings of one name may differ in a
# vowel. "o", "u", "ou", "oo" are one class ("u"); "i", "y", "ee" another ("i"); "ai", "ay",
# "ei", "ey" a third ("D", the diphthong, also spelt "i": "Leila" / "Lila"). "e" may stand for
# any (French "Djamel" / "Jamal", "Youssef" / "Yusuf", "Ragheb" / "Raghib"); "a" only for "a"
# and "e". A vowel of one spelling that no vowel of the other may stand for contradicts it.
_LATIN_MAY_BE = {
    "a": "ae",
    "e": "aeiuD",
    "i": "ieD",
    "u": "ue",
    "D": "Die",
}
_DIPHTHONG = re.compile(r"[ae][iy](?![aeiou])")
_SILENT_E = re.compile(r"(?<=[^aeiouy])e$")


def latin_vowel_slots(
    token: str, *, w_is_vowel: bool = False
) -> tuple[frozenset[str], frozenset[str]]:
    """The vowels of one lower-case ASCII token of a name in Latin letters, each as the
    consonant before it ("_" at the start) and its class ("kamal" → {"ka", "ma"}, "kamil" →
    {"ka", "mi"}), and the same with each vowel's class widened to those it may stand for
    (``_LATIN_MAY_BE``). Keyed by the consonant before, not by place: a changed or doubled
    consonant moves no other vowel. Two spellings of one name agree where each one's vowels are
    among the other's widened ones; "Leila" ({"lD", "la"}) and "Luay" ({"lu", "lD"}) do not. A
    French silent final "e" is no vowel ("Amine" / "Amin"); a glide "y" after a consonant marks
    that consonant's "i" ("Natalya" / "Nataliya"); "x" is "ks" ("Alexey" / "Aleksei")."""
    token = _soft(token, w_is_vowel=w_is_vowel, arabic=False)
    token = re.sub(r"(?<=[aeiou])h$", "", token)
    token = _SILENT_E.sub("", token).replace("ee", "i").replace("oo", "u")
    for digraph, sound in _DIGRAPHS:
        token = token.replace(digraph, sound)
    token = _I_GLIDE.sub("y", token)
    if token.startswith("abd"):  # "Abdel", "Abdul": the article's vowel is no mark
        token = "abd" + re.sub(r"^[aeiou]*l?", "", token[3:])
    token = _DIPHTHONG.sub("D", token.replace("x", "ks").translate(_LETTERS))
    token = _Y_VOWEL.sub("i", token)
    token = re.sub(r"([^aeiou])\1+", r"\1", token)
    narrow: set[str] = set()
    before = "_"
    for k, ch in enumerate(token):
        if ch in "aeiouD":
            narrow.add(before + _VOWEL_CLASS.get(ch, ch))
            continue
        if ch == "y" and k and token[k - 1] not in "aeiouD":
            narrow.add(before + "i")
        before = ch
    broad = {m[:-1] + c for m in narrow for c in _LATIN_MAY_BE[m[-1]]}
    return frozenset(narrow), frozenset(broad)


class TokenForm(NamedTuple):
    """One identifying token of a name as compared: its skeleton, its vowel marks and, in a
    name written in Latin letters, its Latin vowels (``latin_vowel_slots``: as written and
    widened; both empty otherwise)."""

    skeleton: str
    marks: frozenset[str]
    latin: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


@lru_cache(maxsize=65536)
def _token_form(token: str, w_is_vowel: bool, script: str) -> TokenForm:
    """A token's skeleton and vowel marks (tokens repeat across persons: cached). ``script``:
    "arabic", "latin" or "" (another)."""
    arabic = script == "arabic"
    return TokenForm(
        skeleton(token, w_is_vowel=w_is_vowel, arabic=arabic),
        vowel_marks(token, w_is_vowel=w_is_vowel, arabic=arabic),
        latin_vowel_slots(token, w_is_vowel=w_is_vowel)
        if script == "latin"
        else (frozenset(), frozenset()),
    )


def name_forms(name: str, *, w_is_vowel: bool = False) -> list[TokenForm]:
    """Each identifying token of a name as its skeleton and vowel marks, in order (empty for no
    usable name)."""
    script = "arabic" if written_in_arabic(name) else "latin" if written_in_latin(name) else ""
    out: list[TokenForm] = []
    last = ""
    for token in _ascii_tokens(name):
        if token in PARTICLES:
            continue
        form = _token_form(token, w_is_vowel, script)
        if not form.skeleton:
            continue
        # "Abd al-Karim", "Abdel Karim", "Abdulkarim", "عبد الكريم": one name, "abd" + name.
        if out and out[-1].skeleton in ("abd", "abdl"):
            joined = _token_form(last + token, w_is_vowel, script)
            out[-1] = TokenForm(
                "abd" + form.skeleton.removeprefix("a"), out[-1].marks | form.marks, joined.latin
            )
            continue
        out.append(form._replace(skeleton=_ABD.sub("abd", form.skeleton)))
        last = token
    return out


def name_tokens(name: str, *, w_is_vowel: bool = False) -> list[str]:
    """The skeletons of a name's identifying tokens, in order (empty for no usable name)."""
    return [form.skeleton for form in name_forms(name, w_is_vowel=w_is_vowel)]


def written_in_latin(name: str) -> bool:
    """Whether a name is in Latin letters (accented or not): then its vowels are compared as
    Latin spellings write them (``latin_vowel_slots``)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def written_in_arabic(name: str) -> bool:
    """Whether a name is in Arabic script: then its vowel marks are its long vowels only."""
    return bool(_ARABIC_LETTERS.search(name))


def family_first(name: str) -> bool:
    """Whether a name is written family name first, by the marks registers use: a comma
    ("HAMAD, Mohamed"), a first word in capitals before one that is not ("HAMAD Mohamed"), or an
    article before the first name of three words or more ("Al-Hamad Mohamed", "El Hamad
    Mohamed"; an article binds to a family name). Without such a mark the order is as written."""
    if "," in name:
        return True
    words = name.split()
    if len(words) >= 2 and len(words[0]) > 1 and words[0].isupper() and not words[1].isupper():
        return True
    parts = [p for p in re.split(r"[\s\-]+", name.strip().lower()) if p]
    return (
        len(parts) >= 3
        and parts[0] in ("al", "el")
        and not any(p in ("al", "el") for p in parts[2:])
    )


def name_variants_forms(name: str) -> list[list[TokenForm]]:
    """The forms of a name, given name first: one, or two where a "w" may be a consonant or a
    vowel (Arabic waw, English "w" in "Anwar", German "w" for Cyrillic "в")."""
    first = name_forms(name)
    second = name_forms(name, w_is_vowel=True)
    out = [first] if second == first or not second else [first, second]
    if family_first(name):
        out = [f[1:] + f[:1] for f in out]
    return out


def name_variants(name: str) -> list[list[str]]:
    """The token lists of a name (``name_variants_forms`` without the vowel marks)."""
    return [[form.skeleton for form in forms] for forms in name_variants_forms(name)]


def has_usable_name(names: list[str]) -> bool:
    return any(name_tokens(n) for n in names)
