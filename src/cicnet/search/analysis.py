"""Word forms: the stemmer of each language, the same for both backends and for highlighting.

A text is split into the tokens every part of search uses (``query.tokens``: lowercase, accents
folded, split on non-alphanumerics) and each token is reduced to its stem by the Snowball stemmer
of the text's language (tantivy's ``Filter.stemmer``; English "tortured", "torture" and
"torturing" all become "tortur"). A language without a stemmer keeps its tokens as they are.

Both backends index the stems beside the exact tokens (tantivy: the ``stem`` field; PostgreSQL:
``stem_tsv`` columns), so a word of a query matches any form of it, a ``"quoted phrase"`` or a
``prefix*`` matches the exact tokens only. A query word is stemmed for every language searched
(:func:`query_stems`), since the query does not say which language it is in. docs/decisions/0130.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache

import tantivy

from cicnet.search.query import tokens

# ISO 639-1 -> tantivy (Snowball) stemmer name.
STEMMERS: dict[str, str] = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
# The language of text that says none (summaries, metadata): the platform's working language.
DEFAULT_LANGUAGE = "en"

_local = threading.local()


def _analyzer(language: str) -> tantivy.TextAnalyzer | None:
    name = STEMMERS.get(language.split("-")[0].lower())
    if name is None:
        return None
    cache: dict[str, tantivy.TextAnalyzer] = _local.__dict__.setdefault("analyzers", {})
    analyzer = cache.get(name)
    if analyzer is None:
        # Tokens are already folded and separated by single spaces: split on whitespace only.
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
            .filter(tantivy.Filter.stemmer(name))
            .build()
        )
        cache[name] = analyzer
    return analyzer


def has_stemmer(language: str) -> bool:
    return language.split("-")[0].lower() in STEMMERS


def stem_tokens(language: str, toks: list[str]) -> list[str]:
    """The stems of ``toks`` (tokens as ``query.tokens`` makes them) in ``language``."""
    analyzer = _analyzer(language)
    if analyzer is None or not toks:
        return list(toks)
    out: list[str] = analyzer.analyze(" ".join(toks))
    if len(out) != len(toks):  # a token the whitespace split saw differently: one at a time
        return [stem_word(language, t) for t in toks]
    return out


def stem_text(language: str, text: str) -> str:
    """``text`` as a space-separated string of stems, for the stemmed index fields."""
    return " ".join(stem_tokens(language or DEFAULT_LANGUAGE, tokens(text)))


@lru_cache(maxsize=200_000)
def stem_word(language: str, token: str) -> str:
    """The stem of one token (already folded) in ``language``."""
    analyzer = _analyzer(language)
    if analyzer is None:
        return token
    out: list[str] = analyzer.analyze(token)
    return out[0] if out else token


def languages_searched(languages: Iterable[str] = ()) -> tuple[str, ...]:
    """The languages a query is analysed for: those asked for (the ``language`` filter), else
    every language with a stemmer."""
    wanted = tuple(sorted({lang for lang in languages if has_stemmer(lang)}))
    return wanted or tuple(sorted(STEMMERS))


@lru_cache(maxsize=20_000)
def query_stems(word: str, languages: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every stem of a query word (one folded token) in the languages searched, sorted."""
    return tuple(sorted({stem_word(lang, word) for lang in languages_searched(languages)}))
