"""A gazetteer of given names across naming traditions: one signal among several for persons.

The names come from the ``gender-guesser`` package's data file (``nam_dict.txt``, Jörg Michael,
GNU Free Documentation License 1.2+; docs/decisions/0101-given-name-gazetteer.md): some 45,000
given names with their frequency in 55 countries, Arabic/Persian, Turkish, Kurdish and Albanian
(Kosovo), Slavic, Caucasian, Spanish, Dutch, German and Nordic among them. It is read from the
installed package, never downloaded, once per process.

``given_name(word)`` says whether a capitalised word is a known given name. The rules use it for
"Given Surname" sequences that neither a title nor the model marks ("Zelimkhan Umarov",
"Ayşe Kaya"): a given name is strong evidence that the capitalised word after it is a surname.
Given names that are also ordinary words of the corpus languages (spaCy's stop words of English,
French, German, Dutch and Spanish — "The", "His" are given names in the file —, "Will",
"Grace", "Christian", "Justice", month names) are left out, so "Christian Democratic Union" is
no person.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .rules import MONTHS, states

# Given names that are more often something else in judgments: words, demonyms, religions,
# places, parts of institutions' names. Compared in lower case.
AMBIGUOUS = frozenset(
    """christian roman islam justice court grace will may june april august summer winter
    major general king queen prince princess bishop chance hope faith joy charity honor honour
    dean page mark bill art frank rose lily iris violet daisy ruby pearl crystal amber jade
    sterling baker cook hunter mason miller smith taylor carter porter parker fisher walker
    young long little love rich sunny star sky ocean river lake forest stone rock
    van von de del della der den la le du da di ter ben bin ibn abu al el
    european union republic national federal state states party front army police
    north south east west central new old saint sainte san santa st
    monday tuesday wednesday thursday friday saturday sunday
    article section protocol rule chamber commission council office mister miss
    sir madam lord lady dame don dona herr frau judge german sami martial royal marks
    even""".split()
)


class GazetteerMissing(RuntimeError):
    """The package that ships the names is not installed."""


def _given_names() -> frozenset[str]:
    try:
        data = resources.files("gender_guesser").joinpath("data", "nam_dict.txt")
    except ModuleNotFoundError as exc:
        raise GazetteerMissing(
            "the given-name gazetteer needs the package 'gender-guesser'; run `make setup` "
            "(it installs requirements/models.txt)"
        ) from exc
    names: set[str] = set()
    with data.open("r", encoding="utf-8", errors="replace") as lines:
        for line in lines:
            # "M  Name      <frequencies>": a gender code, the name from column 3 to 29; lines
            # of "=" give equivalent spellings, "#" comments
            if line.startswith(("#", "=")) or len(line) < 30:
                continue
            name = line[3:29].strip().replace("+", "-")
            if len(name) >= 3 and " " not in name and name[0].isupper():
                names.add(name.lower())
    return frozenset(names)


# The given names of the file that are stop words of spaCy 3.8 for English, French, German,
# Dutch or Spanish ("The", "His", "Que"), less a few that are mostly names ("Uwe", "Mia").
# Listed here: importing spaCy's French stop words would cost seconds of tokenizer set-up.
STOP_WORDS = frozenset(
    """alle allen alli ander andere anders ante are asi aun aura bajo bas bei ben bent bien bin
    can cela claro con dado dan darin dat davon davor deja del des dias dien done door drin due
    durante día eine einer elke elle elles else enkel era eran esa ese esta este even five gab
    gar hacer han hat hay haya hele here his hoe hou hue hui hun jene just kam kan kon lado lang
    les made mais mal man may mein meine men mien miens mille min mine mio mir mon nada nine nur
    one per pero que qui saber sait salvo sean segunda segundo sei seid seit sido sie sien siete
    sin solo son tage take tal tan tat tercero than the tien tiene toe ton ultimo una uno van
    wen wil will you""".split()
)


@cache
def given_names() -> frozenset[str]:
    """The given names in lower case, without the ambiguous ones."""
    months = {m.lower() for pattern in MONTHS.values() for m in pattern.split("|")}
    return _given_names() - AMBIGUOUS - STOP_WORDS - months - states()


def given_name(word: str) -> bool:
    """Whether ``word`` (any case) is a known given name that is not also an ordinary word."""
    return word.lower() in given_names()
