"""Convert the real catalogue of national decisions (``data/decisions.csv``) into ingestion format.

Every value comes from a column of the CSV (see ``data/CASES-NOTICE.md`` for the conventions);
nothing is invented. The mapping is documented in ``docs/decisions/0050-demo-data-mapping.md``:

- ``crimes``: the ids that ``rome_statute_articles`` stands for (``crimes_for_rome_reference``;
  references that are not crimes, such as ``25(3)(e)``, are skipped), plus ``terrorism.*`` when
  terrorism offences were charged cumulatively, plus ``other`` when ``crimes_charged`` names an
  ordinary offence (murder, bodily harm, weapons offences …);
- ``proceedings``: the connected components of ``related_decisions``;
- vocabulary values (instance, outcome, jurisdiction basis) mapped to the YAML vocabularies' ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cicnet.demo.records import DemoRecord
from cicnet.law import ecli
from cicnet.law.crimes import crime, crimes_for_rome_reference, specific_crimes_for_reference

# Catalogue decisions put into the curation queue, so the Secretariat's workflow can be seen.
# Chosen because the notice flags their sourcing as thin (see CASES-NOTICE.md).
CURATION_QUEUE: dict[str, str] = {
    "nl-hof-denhaag-abu-khuder-2023": "review",  # relies on court metadata + automated summary
    "at-lg-innsbruck-syria-2017": "review",  # sources disagree on the law applied
    "hr-vsrh-glavas-2010": "draft",  # one NGO trial monitor is the only source
}

_JURISDICTION_BASES = {
    "universal": "universal",
    "active personality": "active_personality",
    "passive personality": "passive_personality",
    "territorial": "territorial",
    "unknown": "unknown",
    "": "unknown",
}
_OUTCOMES = {
    "convicted": "convicted",
    "partially convicted": "partially_convicted",
    "acquitted": "acquitted",
    "other": "other",
    "": "unknown",
}
_INSTANCES = {"first_instance", "appeal", "cassation", "other"}
_DECISION_TYPES = {
    "first_instance": "judgment",
    "appeal": "appeal_judgment",
    "cassation": "appeal_judgment",
    "other": "decision",
}
_TERRORISM_CONCURRENT = {"yes": True, "no": False, "unknown": None, "": None}

# Names the public record gives a national case: (case name, other names), only where a source
# cited in the row's ``sources`` column uses it; the source is given beside each.
CASE_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    # uni-marburg.de "Urteil im Al-Khatib-Verfahren vor dem OLG Koblenz"; EJIL:Talk! (magilex)
    # "remembering the al-Khatib Syrian torture case".
    "de-olg-koblenz-anwar-r-2022": ("Al-Khatib trial", ("Al-Khatib case",)),
}
_APPLICANTS = re.compile(r"\s*\((?:applicants?)\)\s*$")

# Labels that say the defendant is not named: the decision gets no defendant label.
_UNNAMED = re.compile(r"^\((?:name )?not (?:named|published)[^)]*\)$")

# Ordinary (national-law) offences named in ``crimes_charged``. A segment that itself names a core
# crime ("war crimes: murder …") is a description of that core crime, not an ordinary offence.
_ORDINARY = re.compile(
    r"\b(murder|homicide|bodily harm|weapons? offences|arms trade|arms embargo|trafficking|"
    r"endangering|duty of care|criminal organisation|criminal association|kidnapping|"
    r"false imprisonment|acts of barbarity|sexual coercion|sexual abuse|conspiracy to)\b",
    re.IGNORECASE,
)
_BARE_ORDINARY = re.compile(
    r"(?:attempted |aiding (?:and abetting )?)?(?:dangerous )?(?:murder|bodily harm|"
    r"sexual coercion|sexual abuse of prisoners|extortionate kidnapping)",
    re.IGNORECASE,
)
_CORE = re.compile(
    r"genocide|against humanity|war crime|war offence|laws of war|laws and customs of war|"
    r"international law|humanitarian law|grave breach",
    re.IGNORECASE,
)
_TERROR_MEMBERSHIP = re.compile(r"terrorist organi[sz]ation", re.IGNORECASE)
_TERROR_OFFENCE = re.compile(r"terrorist (offence|crimes?)|preparatory acts", re.IGNORECASE)


class CatalogueError(ValueError):
    """A catalogue row that cannot be converted; the message names the row and the column."""


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as the source stated it."""

    value: str  # YYYY, YYYY-MM or YYYY-MM-DD, as in the CSV
    precision: str  # "year", "month" or "day"

    def display(self) -> str:
        if self.precision == "year":
            return self.value
        if self.precision == "month":
            return dt.date.fromisoformat(self.value + "-01").strftime("%B %Y")
        d = dt.date.fromisoformat(self.value)
        return f"{d.day} {d:%B %Y}"


def parse_partial_date(value: str, *, where: str) -> PartialDate | None:
    """``2022-01-13`` / ``2014-05`` / ``2022`` → a PartialDate; empty → None."""
    value = value.strip()
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}", value):
            return PartialDate(value, "year")
        if re.fullmatch(r"\d{4}-\d{2}", value):
            dt.date.fromisoformat(value + "-01")
            return PartialDate(value, "month")
        dt.date.fromisoformat(value)
        return PartialDate(value, "day")
    except ValueError as exc:
        raise CatalogueError(
            f"{where}: decision_date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
        ) from exc


def clean_ecli(value: str) -> str:
    """The ECLI without notes in parentheses, or '' when it is not a well-formed ECLI."""
    try:
        return ecli.clean_ecli(re.sub(r"\s*\(.*?\)\s*", " ", value))
    except ecli.EcliError:
        return ""


def split_list(value: str, sep: str = ";") -> list[str]:
    return [part.strip() for part in value.split(sep) if part.strip()]


# Words in ``crimes_charged`` that name a crime of a family, beyond the crime's own label words.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "murder": ("murder", "killing", "killings", "homicide", "execution"),
    "killing": ("killing", "killings", "murder"),
    "cruel treatment": ("cruel treatment", "inhuman"),
    "causing serious bodily or mental harm": ("serious harm", "serious bodily", "mental harm"),
}


def _crime_phrase(crime_id: str) -> str:
    """'War crime of cruel treatment' → 'cruel treatment'; 'Genocide by killing' → 'killing'."""
    found = crime(crime_id)
    label = found.label if found else crime_id
    parts = re.split(r"\b(?:of|by)\b", label, maxsplit=1)
    return parts[1].strip().lower() if len(parts) == 2 else label.lower()


def narrow_to_charged(ids: list[str], charged: str) -> list[str]:
    """Of the crimes a broad reference covers (``7(1)(g)`` → rape, sexual slavery …), keep those
    ``crimes_charged`` names; ``[]`` when it names none of them."""
    if len(ids) <= 1:
        return ids
    text = charged.lower()
    kept = [
        cid
        for cid in ids
        if any(
            re.search(rf"\b{re.escape(term)}", text)
            for term in _SYNONYMS.get(_crime_phrase(cid), (_crime_phrase(cid),))
        )
    ]
    return kept


def crimes_for_row(row: dict[str, str]) -> list[str]:
    """Crime ids for one row: Rome Statute references, terrorism, ordinary offences."""
    ids: list[str] = []
    charged = row["crimes_charged"]
    for ref in split_list(row["rome_statute_articles"]):
        # [] for references that are not crimes, such as 25(3)(e) (incitement to genocide).
        # A broad reference ("6", "7(1)(g)") records the crimes crimes_charged names, else its
        # generic entry ("genocide, act not specified").
        narrowed = narrow_to_charged(specific_crimes_for_reference(ref), charged)
        ids.extend(narrowed or crimes_for_rome_reference(ref))
    if row["terrorism_concurrent"].strip() == "yes":
        if _TERROR_MEMBERSHIP.search(charged):
            ids.append("terrorism.membership")
        if _TERROR_OFFENCE.search(charged):
            ids.append("terrorism.offence")
        if not (_TERROR_MEMBERSHIP.search(charged) or _TERROR_OFFENCE.search(charged)):
            # The row says terrorism was charged cumulatively but names no offence (e.g. a
            # re-sentencing); the notice says these charges were membership or leadership of a
            # terrorist organisation.
            ids.append("terrorism.membership")
    if names_ordinary_offence(charged):
        ids.append("other")
    return list(dict.fromkeys(ids))


def names_ordinary_offence(charged: str) -> bool:
    """Whether ``crimes_charged`` names an ordinary offence besides the core crimes.

    Segments are read in order. A segment naming a core crime ends with a colon when it
    introduces a list ("crimes against humanity: killing; torture; …"); inside such a list only a
    bare offence name ("murder (27 cases)", "dangerous bodily harm") is read as an ordinary
    offence, since "murder of prisoners" there describes the core crime.
    """
    in_core_list = False
    for segment in split_list(charged):
        bare = re.sub(r"\(.*?\)", "", segment).strip()
        if _CORE.search(bare):
            in_core_list = ":" in bare
            continue
        if "terror" in bare.lower():
            in_core_list = False
            continue
        if not _ORDINARY.search(bare):
            continue
        if in_core_list and not _BARE_ORDINARY.fullmatch(bare):
            continue
        return True
    return False


def _without_parentheses(value: str) -> str:
    return re.sub(r"\s*\(.*?\)", "", value).strip()


def defendant_label(row: dict[str, str]) -> str:
    """The defendant as the sources publish it; '' when they do not name one."""
    label = row["defendant_label"].strip()
    return "" if _UNNAMED.match(label) else label


def title_for_row(row: dict[str, str], date: PartialDate | None) -> str:
    """E.g. 'Anwar R. — Higher Regional Court of Koblenz, 13 January 2022'."""
    who = _without_parentheses(defendant_label(row)) or row["case_number"].strip()
    court = _without_parentheses(row["court"])
    where_when = ", ".join(x for x in [court, date.display() if date else ""] if x)
    return f"{who} — {where_when}" if who else where_when


def ecthr_case_name(row: dict[str, str]) -> str:
    """'Surname v. State' for an ECtHR row, the way the Court names its cases (as the TAB
    loader does): each applicant's name without the given name, joined by 'and', and the
    respondent State's name as the Court writes it; '' when the row names no applicant."""
    from cicnet.demo.tab import STATES

    states = {alpha2: name for alpha2, name in STATES.values()}
    state = states.get(row["country"].strip())
    applicants = split_list(_APPLICANTS.sub("", row["defendant_label"]))
    surnames = [" ".join(a.split()[1:]) if len(a.split()) > 1 else a for a in applicants]
    surnames = [s[:1].upper() + s[1:] for s in surnames if s]
    if not state or not surnames:
        return ""
    return f"{' and '.join(surnames)} v. {state}"


def is_ecthr(row: dict[str, str]) -> bool:
    return row["court"].startswith("European Court of Human Rights")


def proceedings_keys(rows: Iterable[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Map each row id that has related decisions to (proceedings key, proceedings title).

    Decisions linked through ``related_decisions`` (in either direction, transitively) form one
    proceedings; its key is the uid of its earliest decision with a ``proc-`` prefix, its title
    the defendant labels of its decisions.
    """
    rows = list(rows)
    by_id = {r["id"]: r for r in rows}
    parent = {r["id"]: r["id"] for r in rows}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        for other in split_list(r["related_decisions"]):
            if other in parent:
                a, b = find(r["id"]), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    components: dict[str, list[str]] = {}
    for rid in parent:
        components.setdefault(find(rid), []).append(rid)
    out: dict[str, tuple[str, str]] = {}
    for members in components.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (by_id[m]["decision_date"] or "9999", m))
        key = f"proc-{members[0]}"[:120]
        labels = [_without_parentheses(defendant_label(by_id[m])) for m in members]
        title = "; ".join(dict.fromkeys(x for x in labels if x))[:300] or key
        for m in members:
            out[m] = (key, title)
    return out


def row_to_record(row: dict[str, str], *, proceedings: tuple[str, str] | None) -> DemoRecord:
    """Convert one CSV row into an ingestion record (raises CatalogueError naming the column)."""
    uid = row["id"].strip()
    where = f"decisions.csv row {uid or '?'}"
    if not re.fullmatch(r"[a-z0-9-]{1,120}", uid):
        raise CatalogueError(f"{where}: id {uid!r} is not a slug")
    instance = row["instance"].strip()
    if instance not in _INSTANCES:
        raise CatalogueError(f"{where}: instance {instance!r} is not one of {sorted(_INSTANCES)}")
    for column, table in (
        ("jurisdiction_basis", _JURISDICTION_BASES),
        ("outcome", _OUTCOMES),
        ("terrorism_concurrent", _TERRORISM_CONCURRENT),
    ):
        if row[column].strip() not in table:
            raise CatalogueError(f"{where}: {column} {row[column]!r} is not one of {sorted(table)}")
    date = parse_partial_date(row["decision_date"], where=where)
    ecthr = is_ecthr(row)
    name, other_names = CASE_NAMES.get(uid, (ecthr_case_name(row) if ecthr else "", ()))
    meta: dict[str, object] = {
        "uid": uid,
        "title": title_for_row(row, date),
        "country": row["country"].strip(),
        "court": row["court"].strip(),
        "court_original": row["court_original"].strip(),
        "city": row["city"].strip(),
        "decision_date": date.value if date else "",
        "case_number": row["case_number"].strip(),
        "ecli": clean_ecli(row["ecli"]),
        "instance": "other" if ecthr else instance,
        "decision_type": "ecthr_judgment" if ecthr else _DECISION_TYPES[instance],
        "case_name": name,
        "also_known_as": list(other_names),
        "defendant": defendant_label(row),
        "situation": row["situation"].strip(),
        "crimes": crimes_for_row(row),
        "provisions": split_list(row["national_provisions"]),
        "terrorism_concurrent": _TERRORISM_CONCURRENT[row["terrorism_concurrent"].strip()],
        "jurisdiction_basis": _JURISDICTION_BASES[row["jurisdiction_basis"].strip()],
        "outcome": _OUTCOMES[row["outcome"].strip()],
        "sentence": row["sentence"].strip(),
        "keywords": [f"defendant nationality: {row['defendant_nationality'].strip()}"]
        if row["defendant_nationality"].strip()
        else [],
        "summary": row["summary"].strip(),
        "source_urls": split_list(row["sources"], sep=" "),
        "confidence": row["confidence"].strip(),
        "access": "public",
        "state": CURATION_QUEUE.get(uid, "published"),
        # Real decisions from public sources: no "demo" flag, which marks fictional records.
    }
    if proceedings:
        meta["proceedings"] = proceedings[0]
        meta["proceedings_title"] = proceedings[1]
    return DemoRecord(name=uid, metadata=meta)


@cache
def catalogue_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``data/decisions.csv`` in file order."""
    text = resources.files("cicnet.demo").joinpath("data", "decisions.csv").read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def catalogue_records(limit: int | None = None) -> Iterator[DemoRecord]:
    """The catalogue as ingestion records (the first ``limit`` rows when given); proceedings are
    computed over the whole catalogue so a limited load still carries the right keys."""
    rows = catalogue_rows()
    links = proceedings_keys(rows)
    for row in rows[:limit] if limit is not None else rows:
        yield row_to_record(row, proceedings=links.get(row["id"]))
