"""Statistics of the jurisprudence and of a network. Every count is a sum of counts grouped by
tier and publication state that ``policy.tier_and_state_visible`` (the rule of
``decisions_visible``) admits for the actor, so a chart, table, CSV or API answer never counts a
decision the actor may not read. Network figures
are for the network's Secretariat and administrators (``policy.can_view_network_statistics``).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractYear

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision, DecisionCrime
from cicnet.law.crimes import crimes
from cicnet.network.models import Document, Meeting, Network, SessionParticipant
from cicnet.search.labels import facet_label
from cicnet.vocabularies import vocabulary

# Dimension id -> (title, what it counts). The order is the page's.
DIMENSIONS: dict[str, tuple[str, str]] = {
    "year": ("Decisions by year", "Decisions by the year they were given (undated ones apart)."),
    "country": ("Decisions by country", "Decisions by the State of the court."),
    "crime_group": (
        "Decisions by crime category",
        "Decisions charging at least one crime of the category (charged or derived from a cited "
        "national provision); a decision with crimes in two categories counts in both.",
    ),
    "outcome": ("Decisions by outcome", "Outcome of the decision (vocabulary: outcomes)."),
    "instance": ("Decisions by instance", "First instance, appeal, cassation, other."),
    "jurisdiction_basis": (
        "Decisions by jurisdiction basis",
        "Universal jurisdiction, active or passive personality, territoriality.",
    ),
    "situation": ("Decisions by situation", "Where the crimes were committed, as recorded."),
    "terrorism": (
        "Terrorism charged cumulatively",
        "Decisions where terrorism offences were charged alongside core crimes.",
    ),
}
NOT_RECORDED = "not recorded"


class StatisticsError(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Table:
    dimension: str
    title: str
    description: str
    rows: tuple[Row, ...]
    total: int  # visible decisions (a decision may be in several rows of crime_group)


def _label(dimension: str, value: str) -> str:
    if value == "":
        return NOT_RECORDED
    if dimension == "jurisdiction_basis":
        return vocabulary("jurisprudence", "jurisdiction_bases").label(value)
    if dimension in ("country", "outcome", "instance", "crime_group"):
        return facet_label(dimension, value)
    if dimension == "terrorism":
        return {"yes": "Yes", "no": "No", "unknown": "Not recorded"}.get(value, value)
    return value


# --- counts grouped by tier and state, shared by every reader -------------------------------------
#
# Counting over ``decisions_visible(actor)`` directly costs one scan of the collection per
# table and reader (about a second for a page at 20,000 decisions). The counts are therefore
# grouped once by (tier, publication state, value) for every reader, kept in the shared cache
# under a fingerprint of the collection, and each reader's numbers are the sum of the groups
# ``policy.tier_and_state_visible`` admits for them: the same rule as ``decisions_visible``,
# so the numbers are the same (tests/insights) and a hidden decision is never counted.

Grouped = dict[str, list[tuple[str, str, str, int]]]  # dimension -> (tier, state, value, n)
CACHE_SECONDS = 24 * 3600


def _fingerprint() -> str:
    """Changes whenever a decision is added, removed or saved (a change of its crimes saves it:
    ingestion and curation both do). Three index lookups, no scan: the page must stay fast at
    100,000 decisions."""
    decisions = Decision.objects.order_by()
    count = decisions.count()
    newest = decisions.aggregate(last=Max("updated_at"))["last"]
    top = decisions.aggregate(top=Max("pk"))["top"]
    return f"{count}:{newest}:{top}"


_PLAIN = ("country", "outcome", "instance", "jurisdiction_basis", "situation")


def _compute() -> Grouped:
    """One pass over the decisions' metadata and one over their crimes, counted here: a scan
    per table (and SQLite's date functions, which run in Python) cost several times more."""
    names = {True: "yes", False: "no", None: "unknown"}
    counters: dict[str, Counter[tuple[str, str, str]]] = {
        d: Counter() for d in ("year", *_PLAIN, "terrorism", "_country_year")
    }
    tier_state: dict[int, tuple[str, str]] = {}
    rows = Decision.objects.order_by().values_list(
        "pk", "access", "state", "decision_date", "terrorism_concurrent", *_PLAIN
    )
    for pk, access, state, date, terrorism, *plain in rows.iterator(chunk_size=5000):
        tier_state[pk] = (access, state)
        year = str(date.year) if date else ""
        counters["year"][(access, state, year)] += 1
        counters["terrorism"][(access, state, names[terrorism])] += 1
        for dimension, value in zip(_PLAIN, plain, strict=True):
            counters[dimension][(access, state, str(value or ""))] += 1
        counters["_country_year"][(access, state, f"{plain[0] or ''}|{year}")] += 1
    group_of = {crime_id: entry.group for crime_id, entry in crimes().items()}
    groups: dict[int, set[str]] = defaultdict(set)
    crime_rows = DecisionCrime.objects.order_by().values_list("decision_id", "crime_id")
    for decision_id, crime_id in crime_rows.iterator(chunk_size=10000):
        groups[decision_id].add(group_of.get(crime_id, "other"))
    crime_counter: Counter[tuple[str, str, str]] = Counter()
    with_crime: Counter[tuple[str, str, str]] = Counter()
    for decision_id, found in groups.items():
        if decision_id not in tier_state:  # removed between the two reads
            continue
        access, state = tier_state[decision_id]
        with_crime[(access, state, "")] += 1
        for group in found:
            crime_counter[(access, state, group)] += 1
    counters["crime_group"] = crime_counter
    counters["_with_crime"] = with_crime
    return {
        dimension: [(a, st, v, n) for (a, st, v), n in counter.items()]
        for dimension, counter in counters.items()
    }


_last: dict[str, Grouped] = {}  # this process's copy of the newest grouping, by cache key


def _grouped() -> Grouped:
    key = "insights:v1:" + hashlib.sha256(_fingerprint().encode()).hexdigest()[:32]
    if key in _last:
        return _last[key]
    found = cache.get(key)
    if found is None:
        found = _compute()
        cache.set(key, found, CACHE_SECONDS)
    _last.clear()
    _last[key] = cast(Grouped, found)
    return _last[key]


def _visible_counts(actor: policy.Actor, rows: list[tuple[str, str, str, int]]) -> dict[str, int]:
    admitted: dict[tuple[str, str], bool] = {}
    counts: dict[str, int] = defaultdict(int)
    for access, state, value, n in rows:
        ok = admitted.get((access, state))
        if ok is None:
            ok = admitted[(access, state)] = policy.tier_and_state_visible(
                actor, access=access, state=state
            )
        if ok:
            counts[value] += n
    return counts


def statistics_table(*, actor: policy.Actor, dimension: str) -> Table:
    """Counts of the decisions ``actor`` may read along ``dimension`` (see DIMENSIONS)."""
    if dimension not in DIMENSIONS:
        raise StatisticsError(dimension)
    return _table(actor, dimension, _grouped())


def statistics_overview(*, actor: policy.Actor) -> tuple[list[Table], Matrix]:
    """Every table of DIMENSIONS and the country-by-year matrix, from one read of the grouped
    counts (the statistics page)."""
    grouped = _grouped()
    tables = [_table(actor, dimension, grouped) for dimension in DIMENSIONS]
    return tables, _matrix(actor, grouped)


def _table(actor: policy.Actor, dimension: str, grouped: Grouped) -> Table:
    total = sum(_visible_counts(actor, grouped["year"]).values())
    merged = _visible_counts(actor, grouped[dimension])
    if dimension == "crime_group":
        without = total - sum(_visible_counts(actor, grouped["_with_crime"]).values())
        if without:
            merged[""] = without
    merged = {v: n for v, n in merged.items() if n}
    if dimension == "year":
        ordered = sorted(merged.items(), key=lambda kv: (kv[0] == "", kv[0]))
    else:
        ordered = sorted(merged.items(), key=lambda kv: (kv[0] == "", -kv[1], kv[0]))
    title, description = DIMENSIONS[dimension]
    return Table(
        dimension=dimension,
        title=title,
        description=description,
        rows=tuple(Row(v, _label(dimension, v), n) for v, n in ordered),
        total=total,
    )


@dataclass(frozen=True)
class Matrix:
    """Decisions by country (rows) and year (columns)."""

    countries: tuple[tuple[str, str], ...]  # (code, name)
    years: tuple[int, ...]
    cells: dict[tuple[str, int], int]
    undated: dict[str, int]
    total: int


def country_year_matrix(*, actor: policy.Actor) -> Matrix:
    return _matrix(actor, _grouped())


def _matrix(actor: policy.Actor, grouped: Grouped) -> Matrix:
    counts = _visible_counts(actor, grouped["_country_year"])
    cells: dict[tuple[str, int], int] = {}
    undated: dict[str, int] = defaultdict(int)
    for key, n in counts.items():
        if not n:
            continue
        code, _, year = key.partition("|")
        if year:
            cells[(code, int(year))] = n
        else:
            undated[code] += n
    codes = sorted({c for c, _ in cells} | set(undated))
    years = tuple(sorted({y for _, y in cells}))
    return Matrix(
        countries=tuple((c, _label("country", c)) for c in codes),
        years=years,
        cells=cells,
        undated=dict(undated),
        total=sum(cells.values()) + sum(undated.values()),
    )


# --- network statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkStatistics:
    network: Network
    meetings_by_year: tuple[Row, ...]
    attendance: tuple[Row, ...]  # invited / attended / absent / not recorded
    documents_by_kind: tuple[Row, ...]
    documents_by_classification: tuple[Row, ...]
    meetings_total: int
    documents_total: int


def network_statistics(*, actor: policy.Actor, network: Network) -> NetworkStatistics | None:
    """Meetings, attendance and documents of ``network``; ``None`` unless the actor is its
    Secretariat or an administrator (callers answer 404)."""
    if not policy.can_view_network_statistics(actor, network.pk):
        return None
    # An administrator's figures leave out invitees-only meetings (the policy's rule).
    meetings = policy.network_meetings_counted(actor, network.pk, Meeting.objects.all())
    by_year = (
        meetings.annotate(y=ExtractYear("start_date")).values("y").annotate(n=Count("pk"))
    ).order_by("y")
    participants = SessionParticipant.objects.filter(session__meeting__in=meetings.values("pk"))
    att = participants.aggregate(
        n_invited=Count("pk"),
        n_attended=Count("pk", filter=Q(attended=True)),
        n_absent=Count("pk", filter=Q(attended=False)),
        n_unknown=Count("pk", filter=Q(attended__isnull=True)),
    )
    documents = Document.objects.filter(network=network).filter(
        Q(meeting__isnull=True) | Q(meeting__in=meetings.values("pk"))
    )
    kinds = documents.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    classes = documents.values("classification").annotate(n=Count("pk")).order_by("-n")
    return NetworkStatistics(
        network=network,
        meetings_by_year=tuple(Row(str(r["y"]), str(r["y"]), r["n"]) for r in by_year),
        attendance=(
            Row("invited", "Invitations to sessions", att["n_invited"]),
            Row("attended", "Attended", att["n_attended"]),
            Row("absent", "Did not attend", att["n_absent"]),
            Row("unknown", "Attendance not recorded", att["n_unknown"]),
        ),
        documents_by_kind=tuple(Row(r["kind"], r["kind"], r["n"]) for r in kinds),
        documents_by_classification=tuple(
            Row(r["classification"], r["classification"], r["n"]) for r in classes
        ),
        meetings_total=meetings.count(),
        documents_total=documents.count(),
    )
