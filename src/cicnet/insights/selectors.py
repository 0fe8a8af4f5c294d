"""Statistics of the jurisprudence and of a network. Every count is a sum of counts grouped by
tier and publication state that ``policy.tier_and_state_visible`` (the rule of
``decisions_visible``) admits for the actor, so a chart, table, CSV or API answer never counts a
decision the actor may not read. Network figures
are for the network's Secretariat and administrators (``policy.can_view_network_statistics``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from django.db.models import Case, CharField, Count, Max, Q, Value, When
from django.db.models.functions import ExtractYear

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision, DecisionCrime
from cicnet.law.crimes import GROUPS, crimes
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


def _group_case() -> Case:
    whens = []
    by_group: dict[str, list[str]] = defaultdict(list)
    for crime_id, entry in crimes().items():
        by_group[entry.group].append(crime_id)
    for group in GROUPS:
        if by_group.get(group):
            whens.append(When(crime_id__in=sorted(by_group[group]), then=Value(group)))
    return Case(*whens, default=Value("other"), output_field=CharField())


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


def _year_value(year: int | None) -> str:
    return str(year) if year else ""


def _compute() -> Grouped:
    out: Grouped = {}
    base = Decision.objects.all()
    keys = ("access", "state")
    rows = (
        base.annotate(y=ExtractYear("decision_date"))
        .values(*keys, "y")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out["year"] = [(r["access"], r["state"], _year_value(r["y"]), r["n"]) for r in rows]
    for dimension in ("country", "outcome", "instance", "jurisdiction_basis", "situation"):
        rows = base.values(*keys, dimension).annotate(n=Count("pk")).order_by()
        out[dimension] = [(r["access"], r["state"], str(r[dimension] or ""), r["n"]) for r in rows]
    names = {True: "yes", False: "no", None: "unknown"}
    rows = base.values(*keys, "terrorism_concurrent").annotate(n=Count("pk")).order_by()
    out["terrorism"] = [
        (r["access"], r["state"], names[r["terrorism_concurrent"]], r["n"]) for r in rows
    ]
    crime_rows = (
        DecisionCrime.objects.annotate(group=_group_case())
        .values("decision__access", "decision__state", "group")
        .annotate(n=Count("decision_id", distinct=True))
        .order_by()
    )
    out["crime_group"] = [
        (r["decision__access"], r["decision__state"], r["group"], r["n"]) for r in crime_rows
    ]
    with_crime = (
        DecisionCrime.objects.values("decision__access", "decision__state")
        .annotate(n=Count("decision_id", distinct=True))
        .order_by()
    )
    out["_with_crime"] = [
        (r["decision__access"], r["decision__state"], "", r["n"]) for r in with_crime
    ]
    cells = (
        base.annotate(y=ExtractYear("decision_date"))
        .values(*keys, "country", "y")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out["_country_year"] = [
        (r["access"], r["state"], f"{r['country'] or ''}|{_year_value(r['y'])}", r["n"])
        for r in cells
    ]
    return out


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
    meetings = Meeting.objects.filter(network=network)
    by_year = (
        meetings.annotate(y=ExtractYear("start_date")).values("y").annotate(n=Count("pk"))
    ).order_by("y")
    participants = SessionParticipant.objects.filter(session__meeting__network=network)
    att = participants.aggregate(
        n_invited=Count("pk"),
        n_attended=Count("pk", filter=Q(attended=True)),
        n_absent=Count("pk", filter=Q(attended=False)),
        n_unknown=Count("pk", filter=Q(attended__isnull=True)),
    )
    documents = Document.objects.filter(network=network)
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
