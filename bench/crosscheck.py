"""Recall and precision of the blind cross-check, blind and in the clear, per pair of scripts,
on the training part and on the held-out part of the name-variant data; and the time to
cross-check 10,000 persons against 100,000.

    .venv/bin/python bench/crosscheck.py [--pairs 500] [--small 10000] [--large 100000]

Data: bench/data/name_variants/lexicon.json (built by bench/build_name_variants.py from
Faker's name lists, aligned across scripts by rigour's name symbols; NOTICE.md beside it).
Each entry (one name in its spellings) belongs to the training or the held-out part by a hash
of its text; persons of one part are built only from that part's entries, and the matching
rule (``coordination/linkage.py``: normalisation, weights, THRESHOLD) is tuned on the training
part only. For each pair of scripts, ``--pairs`` persons appear at both authorities (spelt
differently, as below) and ``--pairs`` more at each authority alone. Every person of a data set
is a different person with a different name (given and family name): two different people of
one name are *namesakes*, measured apart (``namesakes``: different birth years, or one
unknown). 80% of records carry a birth year (5% of the shared persons with the year off by one
at one side, as registers err), 70% a nationality of the script's region (10% of the shared
persons with another nationality at one side). A hit is correct when both records are the same
person. The matching is ``cicnet crosscheck-names`` (``coordination/cli.run``), blocking on.

Prints JSON: per part and pair of scripts, recall, precision (also apart for pairs where both
sides know the birth year and where one does not, per band, and for the strong and possible
bands together, ``strong_or_possible_*``: the hits the goal is measured on, the weak ones being
names that agree only in another order where the birth years do not agree), hits, for blind
and clear, the namesakes, and the ``indistinguishable`` pairs the data make (different persons
spelt alike in Arabic or Cyrillic script) with the precision ceiling they imply; per part how
full each script's space of names is (``name_pool``), and the pairs with Arabic names on the
training names drawn down to the held-out part's counts (``train_at_held_out_density``: what its
denser names cost, measured without reading it); the threshold and weights; then the timing:
encoding, candidate pairs after blocking, hits and seconds (numpy batch comparison).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402  # with the app's imports

from cicnet.coordination import cli, linkage  # noqa: E402  # after the path is set

LEXICON = ROOT / "bench" / "data" / "name_variants" / "lexicon.json"
KEY = b"bench network key"


def part_of(entry: dict[str, object]) -> str:
    text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    return "held_out" if hashlib.sha256(text.encode()).digest()[0] % 10 < 3 else "train"


def load() -> dict[str, dict[str, dict[str, list[dict[str, object]]]]]:
    """part → script → kind (given/family) → entries."""
    data = json.loads(LEXICON.read_text("utf-8"))
    out: dict[str, dict[str, dict[str, list[dict[str, object]]]]] = {}
    for script, entries in data.items():
        for entry in entries:
            part = part_of(entry)
            out.setdefault(part, {}).setdefault(script, {}).setdefault(
                str(entry["kind"]), []
            ).append(entry)
    return out


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if unicodedata.category(c) != "Mn")


def corrupt_latin(name: str, rng: random.Random) -> str:
    """One spelling change of the kind registers make (GeCo-style, one per name at most)."""
    op = rng.random()
    if op < 0.25:
        return strip_accents(name)
    if op < 0.35:
        return name.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
    if op < 0.55 and len(name) > 3:
        i = rng.randrange(1, len(name) - 1)
        if name[i] == name[i - 1]:
            return name[:i] + name[i + 1 :]
        return name[:i] + name[i] + name[i:]
    if op < 0.65 and len(name) > 4:
        i = rng.randrange(1, len(name))
        return name[:i] + rng.choice("aeioulnrst") + name[i + 1 :]
    return name


LAST_IDENTITY: list[str] = [""]
# The given and family name of the last person in Arabic or Cyrillic script ("" for Latin
# names): two different persons of one such spelling are told apart by no comparison of names.
LAST_SCRIPT: list[str] = [""]
# Shares of records that carry a birth year and a nationality (docs/performance.md, "Case
# coordination"): a suspect in a national case file nearly always has a date or at least a year
# of birth (identity papers, registers, witness estimates); one in five is known only by name
# (early structural investigations, a nom de guerre). Nationality is recorded less often.
BIRTH_YEAR_SHARE = 0.8
NATIONALITY_SHARE = 0.7
YEAR_ERROR_SHARE = 0.05  # shared persons whose year is off by one at one side (register errors)
# Shared persons recorded with another nationality at one side (dual nationals, a stateless
# Palestinian registered as Syrian): a nationality difference cannot veto a hit.
NATIONALITY_ERROR_SHARE = 0.1
NATIONALITIES = {
    "arabic": ["SY", "SY", "SY", "IQ", "IQ", "DZ", "LY", "YE"],
    "cyrillic": ["RU", "RU", "UA", "UA", "BY"],
    "latin": ["DE", "FR", "PL", "TR", "ES", "IT", "NL", "CZ", "HU", "RO", "HR"],
}


def _identity(*entries: dict[str, object]) -> str:
    return json.dumps([sorted(map(str, e["latin"])) for e in entries], ensure_ascii=False)


def _script_spelling(script: str, *entries: dict[str, object]) -> str:
    if script == "latin":
        return ""
    return json.dumps([str(e[script]) for e in entries], ensure_ascii=False)


def family_pool(script: str, lex: dict[str, list[dict[str, object]]]) -> list[dict[str, object]]:
    """Family names of a script. Arabic family names are very often a forefather's given name
    ("al-Hamad", "Ibrahim", "Abdullah"), so for Arabic the given names serve as family names too;
    Faker's 44 Arabic family names alone would make every tenth person a namesake of another."""
    if script == "arabic":
        return [*lex["family"], *lex["given"]]
    return lex["family"]


def person_pair(
    script: str, lex: dict[str, list[dict[str, object]]], rng: random.Random
) -> tuple[list[str], list[str]]:
    """Names of one person at authority A (Latin) and at authority B (``script``)."""
    given = rng.choice(lex["given"])
    father = rng.choice(lex["given"])
    family = rng.choice(family_pool(script, lex))
    LAST_IDENTITY[0] = _identity(given, family)
    LAST_SCRIPT[0] = _script_spelling(script, given, family)
    if script == "latin":
        g, f, fam = (str(rng.choice(e["latin"])) for e in (given, father, family))
        a = f"{g} {fam}"
        b_given, b_family = corrupt_latin(g, rng), corrupt_latin(fam, rng)
        b = f"{b_family.upper()}, {b_given}" if rng.random() < 0.3 else f"{b_given} {b_family}"
        if rng.random() < 0.2:
            b = f"{b_given} {f} {b_family}"
        return [a], [b]
    key = "arabic" if script == "arabic" else "cyrillic"
    lat = [str(rng.choice(e["latin"])) for e in (given, father, family)]
    other = [str(e[key]) for e in (given, father, family)]
    if script == "arabic":
        # Arabic-script registers often give the father's name; Latin ones often drop it,
        # and add or drop the article of the family name.
        prefix = rng.choice(["", "", "Al-", "al-", "El ", "Al"])
        a_name = f"{lat[0]} {prefix}{lat[2]}" if rng.random() < 0.6 else " ".join(lat)
        b_name = " ".join(other) if rng.random() < 0.6 else f"{other[0]} {other[2]}"
        return [a_name], [b_name]
    return [f"{lat[0]} {lat[2]}"], [f"{other[0]} {other[2]}"]


def latin_latin_arabic(
    lex: dict[str, list[dict[str, object]]], rng: random.Random
) -> tuple[list[str], list[str]]:
    """One Arabic name in two Latin spellings (French-style vs English-style)."""
    given = rng.choice(lex["given"])
    family = rng.choice(family_pool("arabic", lex))
    LAST_IDENTITY[0] = _identity(given, family)
    LAST_SCRIPT[0] = _script_spelling("arabic", given, family)
    g1, g2 = (str(rng.choice(given["latin"])) for _ in range(2))
    f1, f2 = (str(rng.choice(family["latin"])) for _ in range(2))
    return [f"{g1} {f1}"], [f"{rng.choice(['', 'Al-', 'El '])}{f2} {g2}".strip()]


def dataset(
    kind: str, lex: dict[str, dict[str, list[dict[str, object]]]], n: int, seed: int
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """``n`` persons at both authorities and ``n`` more at each alone, all distinct people with
    distinct names (given and family name): two different persons who bear one name are
    namesakes, measured apart by ``namesakes``."""
    rng = random.Random(seed)
    script = {"latin_latin": "latin", "arabic_latin": "arabic", "cyrillic_latin": "cyrillic"}.get(
        kind, "arabic"
    )
    used: set[str] = set()

    def names() -> tuple[list[str], list[str]]:
        for _ in range(10_000):
            if kind == "latin_latin_arabic_names":
                pair = latin_latin_arabic(lex["arabic"], rng)
            else:
                pair = person_pair(script, lex[script], rng)
            if LAST_IDENTITY[0] not in used:
                used.add(LAST_IDENTITY[0])
                return pair
        raise SystemExit(f"{kind}: too few distinct names for {3 * n} persons; lower --pairs")

    def extras(rec: dict[str, object], year: int, nat: str) -> dict[str, object]:
        if rng.random() < BIRTH_YEAR_SHARE:
            rec["birth_year"] = year
        if rng.random() < NATIONALITY_SHARE:
            rec["nationality"] = nat
        return rec

    def nationality() -> str:
        return rng.choice(NATIONALITIES[script])

    a: list[dict[str, object]] = []
    b: list[dict[str, object]] = []
    for i in range(n):
        na, nb = names()
        same, spelt = LAST_IDENTITY[0], LAST_SCRIPT[0]
        year, nat = rng.randint(1950, 1995), nationality()
        b_year = year + 1 if rng.random() < YEAR_ERROR_SHARE else year
        b_nat = nationality() if rng.random() < NATIONALITY_ERROR_SHARE else nat
        a.append(extras({"id": f"p{i}", "names": na, "_name": same, "_script": spelt}, year, nat))
        b.append(
            extras({"id": f"p{i}", "names": nb, "_name": same, "_script": spelt}, b_year, b_nat)
        )
    for i in range(n):  # persons known to one authority only
        na, _ = names()
        rec = {"id": f"a{i}", "names": na, "_name": LAST_IDENTITY[0], "_script": LAST_SCRIPT[0]}
        a.append(extras(rec, rng.randint(1950, 1995), nationality()))
        _, nb = names()
        rec = {"id": f"b{i}", "names": nb, "_name": LAST_IDENTITY[0], "_script": LAST_SCRIPT[0]}
        b.append(extras(rec, rng.randint(1950, 1995), nationality()))
    return a, b


def namesakes(
    kind: str, lex: dict[str, dict[str, list[dict[str, object]]]], n: int, seed: int
) -> dict[str, object]:
    """``n`` pairs of *different* persons who bear the same given and family name (spelt as
    in ``dataset``), one at each authority: how many the cross-check calls a hit when both
    sides know (different) birth years, and when one side does not know it. No comparison of
    names can tell such persons apart; only the birth year can."""
    rng = random.Random(seed)
    script = {"latin_latin": "latin", "arabic_latin": "arabic", "cyrillic_latin": "cyrillic"}[kind]
    a: list[dict[str, object]] = []
    b: list[dict[str, object]] = []
    for i in range(n):
        na, nb = person_pair(script, lex[script], rng)
        year = rng.randint(1950, 1993)
        other = year + rng.choice([-1, 1]) * rng.randint(2, 15)
        a.append({"id": f"y{i}", "names": na, "birth_year": year})
        b.append({"id": f"y{i}", "names": nb, "birth_year": other})
        a.append({"id": f"u{i}", "names": na, "birth_year": year})
        b.append({"id": f"u{i}", "names": nb})
    hits = {(h["a"], h["b"]) for h in cli.run(a, b, blind=True, key=KEY)}
    return {
        "pairs": n,
        "hits_when_birth_years_differ": sum(1 for i in range(n) if (f"y{i}", f"y{i}") in hits),
        "hits_when_one_year_is_unknown": sum(1 for i in range(n) if (f"u{i}", f"u{i}") in hits),
    }


def score(
    hits: list[dict[str, object]],
    n: int,
    a: list[dict[str, object]],
    b: list[dict[str, object]],
) -> dict[str, float | int]:
    """Recall and precision by person; and precision leaving out the wrong hits between two
    different persons who bear the same given and family name (the same lexicon entries), whom
    no comparison of names can tell apart: there only the birth year can, when both know it."""
    name_a = {r["id"]: r["_name"] for r in a}
    name_b = {r["id"]: r["_name"] for r in b}
    correct = sum(1 for h in hits if h["a"] == h["b"])
    year_a = {r["id"]: r.get("birth_year") for r in a}
    year_b = {r["id"]: r.get("birth_year") for r in b}
    known = [h for h in hits if year_a[h["a"]] and year_b[h["b"]]]
    known_correct = sum(1 for h in known if h["a"] == h["b"])
    unknown_correct = correct - known_correct
    unknown = len(hits) - len(known)
    strong = [h for h in hits if h.get("band") == "strong"]
    strong_correct = sum(1 for h in strong if h["a"] == h["b"])
    shown = [h for h in hits if h.get("band") in ("strong", "possible")]
    shown_correct = sum(1 for h in shown if h["a"] == h["b"])
    bands = {}
    for band in linkage.BANDS:
        of_band = [h for h in hits if h.get("band") == band]
        right = sum(1 for h in of_band if h["a"] == h["b"])
        bands[band] = {
            "hits": len(of_band),
            "correct": right,
            "precision": round(right / len(of_band), 4) if of_band else 1.0,
        }
    namesakes = sum(1 for h in hits if h["a"] != h["b"] and name_a[h["a"]] == name_b[h["b"]])
    distinct = len(hits) - namesakes
    return {
        "recall": round(correct / n, 4),
        "precision": round(correct / len(hits), 4) if hits else 1.0,
        "precision_excluding_namesakes": round(correct / distinct, 4) if distinct else 1.0,
        "namesake_hits": namesakes,
        "precision_when_both_know_the_birth_year": (
            round(known_correct / len(known), 4) if known else 1.0
        ),
        "precision_when_a_birth_year_is_unknown": (
            round(unknown_correct / unknown, 4) if unknown else 1.0
        ),
        "hits_when_a_birth_year_is_unknown": unknown,
        "strong_hits": len(strong),
        "strong_recall": round(strong_correct / n, 4),
        "strong_precision": round(strong_correct / len(strong), 4) if strong else 1.0,
        "strong_or_possible_recall": round(shown_correct / n, 4),
        "strong_or_possible_precision": round(shown_correct / len(shown), 4) if shown else 1.0,
        "bands": bands,
        "hits": len(hits),
        "correct": correct,
    }


def indistinguishable(
    n: int, a: list[dict[str, object]], b: list[dict[str, object]]
) -> dict[str, object]:
    """Pairs of *different* persons, one at each authority, whose given and family names are
    spelt alike in Arabic (or Cyrillic) script although the bench drew them from different
    lexicon entries (Faker lists one name as a given and as a family name, with other Latin
    spellings: "قاسم" is "Kasim, Qaasim, Qasim" and "Kasim, Qaasim"), and whose birth years do
    not conflict (one unknown, or at most one apart). The Arabic-script side of such a pair is
    the same as that of the true partner, so a rule that finds every true pair finds these too:
    ``precision_ceiling`` = n / (n + pairs). A father's name may still tell some apart where both
    registers give it, so the ceiling is a little low. Also counted: the same two names in
    swapped roles ("Karim Najib" / "Najib Karim"), which only a mark of the order can tell apart.
    """

    def conflict(x: dict[str, object], y: dict[str, object]) -> bool:
        ya, yb = x.get("birth_year"), y.get("birth_year")
        return isinstance(ya, int) and isinstance(yb, int) and abs(ya - yb) > 1

    by_spelling: dict[str, list[dict[str, object]]] = {}
    for r in b:
        if r["_script"]:
            by_spelling.setdefault(str(r["_script"]), []).append(r)
    same = swapped = 0
    for r in a:
        if not r["_script"]:
            continue
        spelt = json.loads(str(r["_script"]))
        for other in by_spelling.get(str(r["_script"]), []):
            same += other["id"] != r["id"] and not conflict(r, other)
        turned = json.dumps(spelt[::-1], ensure_ascii=False)
        if turned != r["_script"]:
            for other in by_spelling.get(turned, []):
                swapped += other["id"] != r["id"] and not conflict(r, other)
    return {
        "same_spelling_pairs": same,
        "precision_ceiling": round(n / (n + same), 4),
        "same_names_in_swapped_roles_pairs": swapped,
    }


def name_pool(lex: dict[str, dict[str, list[dict[str, object]]]], n: int) -> dict[str, object]:
    """How full each script's space of (given, family) names is: the bench draws 3n distinct
    ones per data set; the fuller the space, the more often two persons' names differ by one
    name or by similar names (docs/decisions/0180)."""
    out: dict[str, object] = {}
    for script in ("arabic", "cyrillic", "latin"):
        given = len(lex[script]["given"])
        family = len(family_pool(script, lex[script]))
        out[script] = {
            "given": given,
            "family": family,
            "distinct_names": given * family,
            "share_drawn": round(3 * n / (given * family), 3),
        }
    return out


def training_at_held_out_density(
    lex: dict[str, dict[str, dict[str, list[dict[str, object]]]]], n: int, seeds: int = 3
) -> dict[str, object]:
    """The pairs with Arabic names on the training part's names, drawn down to as many given
    and family names as the held-out part has (three random draws): what the held-out part's
    smaller pool of names costs, measured without reading it (docs/decisions/0180)."""
    sizes = {k: len(v) for k, v in lex["held_out"]["arabic"].items()}
    out: dict[str, object] = {"arabic_names_kept": sizes}
    for seed, kind in ((1, "latin_latin_arabic_names"), (2, "arabic_latin")):
        runs = []
        for draw in range(1, seeds + 1):
            rng = random.Random(draw)
            train = dict(lex["train"])
            train["arabic"] = {
                k: rng.sample(v, sizes[k]) for k, v in lex["train"]["arabic"].items()
            }
            a, b = dataset(kind, train, n, seed)
            got = score(cli.run(a, b, blind=True, key=KEY), n, a, b)
            runs.append([got["strong_or_possible_recall"], got["strong_or_possible_precision"]])
        out[kind] = {"strong_or_possible_recall_precision": runs}
    return out


def quality(n: int) -> dict[str, object]:
    lex = load()
    out: dict[str, object] = {}
    for part in ("train", "held_out"):
        rows: dict[str, object] = {}
        for seed, kind in enumerate(
            ("latin_latin", "latin_latin_arabic_names", "arabic_latin", "cyrillic_latin")
        ):
            a, b = dataset(kind, lex[part], n, seed + (0 if part == "train" else 100))
            blind = score(cli.run(a, b, blind=True, key=KEY), n, a, b)
            clear = score(cli.run(a, b, blind=False, key=KEY), n, a, b)
            unblocked = score(cli.run(a, b, blind=True, key=KEY, blocking=False), n, a, b)
            low = cli.run(a, b, blind=True, key=KEY, threshold=0.7)
            curve = {
                str(t): {
                    k: v
                    for k, v in score(
                        [h for h in low if float(str(h["score"])) >= t - 1e-9], n, a, b
                    ).items()
                    if k in ("recall", "precision")
                }
                for t in (0.75, 0.8, 0.85, 0.9, 0.95)
            }
            rows[kind] = {
                "blind_by_threshold": curve,
                "blind": blind,
                "clear": clear,
                "blind_without_blocking": unblocked,
                "indistinguishable": indistinguishable(n, a, b),
                "persons_per_side": len(a),
                "shared_persons": n,
            }
            if kind in ("latin_latin", "arabic_latin", "cyrillic_latin"):
                rows[kind]["namesakes"] = namesakes(
                    kind, lex[part], n // 5, seed + (50 if part == "train" else 150)
                )
        rows["name_pool"] = name_pool(lex[part], n)
        out[part] = rows
    out["train_at_held_out_density"] = training_at_held_out_density(lex, n)
    return out


def timing(small: int, large: int) -> dict[str, object]:
    lex = load()
    merged: dict[str, dict[str, list[dict[str, object]]]] = {}
    for part in lex.values():
        for script, kinds in part.items():
            for k, entries in kinds.items():
                merged.setdefault(script, {}).setdefault(k, []).extend(entries)
    rng = random.Random(7)

    def people(count: int, prefix: str) -> list[dict[str, object]]:
        out = []
        for i in range(count):
            script = rng.choice(["latin", "latin", "arabic", "cyrillic"])
            na, nb = person_pair(script, merged[script], rng)
            out.append(
                {
                    "id": f"{prefix}{i}",
                    "names": na if rng.random() < 0.5 else nb,
                    "birth_year": rng.randint(1950, 1995),
                }
            )
        return out

    a, b = people(small, "a"), people(large, "b")
    t0 = time.perf_counter()
    left = cli.prepare(a, blind=True, key=KEY)
    right = cli.prepare(b, blind=True, key=KEY)
    t1 = time.perf_counter()
    pairs = linkage.count_candidates(left, right)
    t2 = time.perf_counter()
    hits = linkage.crosscheck(left, right, blocking=True)
    t3 = time.perf_counter()
    return {
        "persons": [small, large],
        "all_pairs": small * large,
        "candidate_pairs_after_blocking": pairs,
        "hits": len(hits),
        "encode_seconds": round(t1 - t0, 2),
        "blocking_seconds": round(t2 - t1, 2),
        "crosscheck_seconds_incl_blocking": round(t3 - t2, 2),
        "crosscheck_seconds_incl_encoding": round(t3 - t2 + t1 - t0, 2),
        "numpy": np.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--small", type=int, default=10000)
    parser.add_argument("--large", type=int, default=100000)
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    result: dict[str, object] = {
        "threshold": linkage.THRESHOLD,
        "scheme": linkage.SCHEME,
        "weights": {
            "swapped_order": -linkage.SWAP_PENALTY,
            "contradicted_long_vowels": -linkage.VOWEL_WEIGHT,
            "contradicted_latin_vowels_after_the_first": -linkage.LATIN_VOWEL_WEIGHT,
            "birth_year_agrees": linkage.YEAR_WEIGHT,
            "nationality_agrees": linkage.NATIONALITY_WEIGHT,
            "nationality_differs": -linkage.NATIONALITY_CONFLICT,
        },
        "shares": {
            "birth_year": BIRTH_YEAR_SHARE,
            "nationality": NATIONALITY_SHARE,
            "year_off_by_one": YEAR_ERROR_SHARE,
            "other_nationality": NATIONALITY_ERROR_SHARE,
        },
        "bits": linkage.BITS,
        "hashes": linkage.HASHES,
        "quality": quality(args.pairs),
    }
    if not args.skip_timing:
        result["timing"] = timing(args.small, args.large)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
