"""Build bench/data/name_variants/lexicon.json, the name-variant data of bench/crosscheck.py.

Run once, by hand, in a throw-away environment with ``faker`` and ``rigour`` installed (neither
is needed to run the bench; the output is committed):

    python -m venv /tmp/nv && /tmp/nv/bin/pip install faker rigour
    /tmp/nv/bin/python bench/build_name_variants.py > bench/data/name_variants/lexicon.json

Sources (bench/data/name_variants/NOTICE.md):
- Arabic-script names: Faker's ``ar_AA``, ``ar_DZ``, ``ar_SA``, ``ar_PS`` person providers;
  Latin spellings of the same names: Faker's ``fr_DZ`` (French-style, Algerian) and ``en_PK``
  (English-style) providers. A Latin and an Arabic-script token are taken as one name when they
  share a person-name symbol of ``rigour`` (its Wikidata-derived cross-script name aliases) and
  are each other's best match by the overlap of their symbol sets. The alignment is rigour's,
  not our normaliser's, so the bench does not grade its own homework; its errors make the
  measured recall lower, not higher.
- Cyrillic names: Faker's ``ru_RU`` and ``uk_UA`` providers; their Latin spellings follow three
  published romanisation conventions written out below (English BGN/PCGN, French, German
  Duden), none of them the ``anyascii`` table the app uses.
- Latin names: Faker's European providers (de_DE, fr_FR, pl_PL, tr_TR, es_ES, it_IT, nl_NL,
  cs_CZ, hu_HU, ro_RO, hr_HR).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections import defaultdict

from rigour.names import NameTypeTag, SymbolCategory, analyze_names


def _provider(locale: str) -> object:
    return importlib.import_module(f"faker.providers.person.{locale}").Provider


def _names(locale: str, attrs: tuple[str, ...]) -> set[str]:
    p = _provider(locale)
    out: set[str] = set()
    for attr in attrs:
        values = getattr(p, attr, ())
        out.update(values.keys() if isinstance(values, dict) else values)
    return {v for v in out if v and " " not in v.strip()}


GIVEN = ("first_names_male", "first_names_female", "first_names")
FAMILY = ("last_names", "last_names_male")


def _symbols(token: str) -> frozenset[str]:
    out: set[str] = set()
    for name in analyze_names(NameTypeTag.PER, [token]):
        out |= {str(s.id) for s in name.symbols if s.category == SymbolCategory.NAME}
    return frozenset(out)


def arabic_groups() -> list[dict[str, object]]:
    groups = []
    for kind, attrs in (("given", GIVEN), ("family", FAMILY)):
        arabic = set()
        for loc in ("ar_AA", "ar_DZ", "ar_SA", "ar_PS"):
            arabic |= _names(loc, attrs)
        latin = _names("fr_DZ", attrs) | _names("en_PK", attrs)
        ar_sym = {a: _symbols(a) for a in sorted(arabic)}
        ar_sym = {a: s for a, s in ar_sym.items() if s}
        best_for_latin: dict[str, str] = {}
        for lat in sorted(latin):
            s = _symbols(lat)
            if not s:
                continue
            scored = [(len(s & sa) / len(s | sa), a) for a, sa in ar_sym.items() if s & sa]
            if scored:
                scored.sort(key=lambda x: (-x[0], x[1]))
                if len(scored) == 1 or scored[0][0] > scored[1][0]:
                    best_for_latin[lat] = scored[0][1]
        by_arabic: dict[str, list[str]] = defaultdict(list)
        for lat, a in best_for_latin.items():
            by_arabic[a].append(lat)
        for a, lats in sorted(by_arabic.items()):
            groups.append({"kind": kind, "arabic": a, "latin": sorted(lats)})
    return groups


# Cyrillic → Latin, three conventions; multi-letter keys first where it matters.
_EN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "ye",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
}
_FR = {
    **_EN,
    "ж": "j",
    "й": "i",
    "у": "ou",
    "х": "kh",
    "ч": "tch",
    "ш": "ch",
    "щ": "chtch",
    "ю": "iou",
    "я": "ia",
    "ё": "io",
    "ы": "y",
    "ц": "ts",
    "е": "e",
    "є": "ie",
    "ї": "ii",
}
_DE = {
    **_EN,
    "в": "w",
    "ж": "sch",
    "з": "s",
    "й": "j",
    "х": "ch",
    "ц": "z",
    "ч": "tsch",
    "ш": "sch",
    "щ": "schtsch",
    "ю": "ju",
    "я": "ja",
    "ё": "jo",
    "є": "je",
    "ї": "ji",
    "с": "s",
    "е": "e",
}


def _romanise(word: str, table: dict[str, str]) -> str:
    out = "".join(table.get(ch, table.get(ch.lower(), ch)) for ch in word.lower())
    return out[:1].upper() + out[1:]


def cyrillic_groups() -> list[dict[str, object]]:
    groups = []
    for kind, attrs in (("given", GIVEN), ("family", FAMILY)):
        names = _names("ru_RU", attrs) | _names("uk_UA", attrs)
        for n in sorted(names):
            variants = {_romanise(n, t) for t in (_EN, _FR, _DE)}
            groups.append({"kind": kind, "cyrillic": n, "latin": sorted(variants)})
    return groups


def latin_names() -> list[dict[str, object]]:
    out = []
    for kind, attrs in (("given", GIVEN), ("family", FAMILY)):
        names: set[str] = set()
        for loc in (
            "de_DE",
            "fr_FR",
            "pl_PL",
            "tr_TR",
            "es_ES",
            "it_IT",
            "nl_NL",
            "cs_CZ",
            "hu_HU",
            "ro_RO",
            "hr_HR",
        ):
            names |= _names(loc, attrs)
        out.extend({"kind": kind, "latin": [n]} for n in sorted(names))
    return out


def main() -> None:
    data = {
        "arabic": arabic_groups(),
        "cyrillic": cyrillic_groups(),
        "latin": latin_names(),
    }
    json.dump(data, sys.stdout, ensure_ascii=False, indent=0, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
