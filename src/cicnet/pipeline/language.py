"""Language detection with lingua (docs/decisions/0121), restricted to the corpus languages.

lingua ships its n-gram models inside the wheel: nothing is downloaded. Restricting the
detector to the languages the networks' judgments are written in makes short legal sentences
reliable (a quotation of three lines in a French judgment is told apart from the French around
it). ``CORPUS_LANGUAGES`` is that list; a language outside it is never detected.

``detect(text)`` answers the best language and lingua's confidence in it; ``same_language``
treats the codes that name one written standard as the same (Norwegian ``no``/``nb``/``nn``;
Bosnian, Croatian and Serbian in Latin script, which lingua cannot tell apart reliably).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

# ISO 639-1 codes of the languages judgments on core international crimes come in: the EU
# Member States' languages of the Genocide Network's members and observers, the languages of
# the situations (Arabic, Ukrainian, Russian) and English.
CORPUS_LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "nl", "sv", "fi", "es", "it", "pt", "da", "nb", "pl", "cs", "sk", "sl",
    "hr", "bs", "sr", "lt", "lv", "et", "hu", "ro", "bg", "el", "uk", "ru", "ar",
)  # fmt: skip
_GROUPS = ({"no", "nb", "nn"}, {"hr", "bs", "sr", "sh"})
_WORD = re.compile(r"[^\W\d_]+")
# Enough text for lingua's verdict on a whole text; a judgment's first pages name its language.
_SAMPLE_CHARS = 20_000


@dataclass(frozen=True)
class Detected:
    """The most likely language (ISO 639-1) and lingua's confidence in it (0-1)."""

    language: str
    confidence: float


@cache
def _detector() -> LanguageDetector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in CORPUS_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def detect(text: str) -> Detected | None:
    """The language of ``text``, or ``None`` when it has no letters to judge by."""
    sample = text[:_SAMPLE_CHARS]
    if not _WORD.search(sample):
        return None
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None
    best = values[0]
    return Detected(best.language.iso_code_639_1.name.lower(), float(best.value))


def same_language(a: str, b: str) -> bool:
    """Whether two ISO 639-1 codes name the same written language for our purposes."""
    if a == b:
        return True
    return any(a in group and b in group for group in _GROUPS)


def language_name(code: str) -> str:
    """'de' -> 'German' (the code itself when pycountry does not know it)."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    return str(found.name) if found is not None else code
