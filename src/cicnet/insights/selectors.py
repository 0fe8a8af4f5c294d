"""Statistics of the jurisprudence and of a network. Every count is taken over
``policy.decisions_visible(actor, …)`` in the database (one grouped query per table), so a
chart, table, CSV or API answer never counts a decision the actor may not read. Network figures
are for the network's Secretariat and administrators (``policy.can_view_network_statistics``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
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


def _visible(actor: policy.Actor) -> QuerySet[Decision]:
    return policy.decisions_visible(actor, Decision.objects.all())


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


def statistics_table(*, actor: policy.Actor, dimension: str) -> Table:
    """Counts of the decisions ``actor`` may read along ``dimension`` (see DIMENSIONS)."""
    if dimension not in DIMENSIONS:
        raise StatisticsError(dimension)
    visible = _visible(actor)
    total = visible.count()
    counts: list[tuple[str, int]]
    if dimension == "year":
        years = (
            visible.annotate(y=ExtractYear("decision_date"))
            .values("y")
            .annotate(n=Count("pk"))
            .order_by("y")
        )
        counts = [(str(r["y"]) if r["y"] else "", r["n"]) for r in years]
    elif dimension == "crime_group":
        groups = (
            DecisionCrime.objects.filter(decision__in=visible.values("pk"))
            .annotate(group=_group_case())
            .values("group")
            .annotate(n=Count("decision_id", distinct=True))
            .order_by("group")
        )
        counts = [(r["group"], r["n"]) for r in groups]
        with_crime = (
            DecisionCrime.objects.filter(decision__in=visible.values("pk"))
            .values("decision_id")
            .distinct()
            .count()
        )
        if total - with_crime:
            counts.append(("", total - with_crime))
    elif dimension == "terrorism":
        names = {True: "yes", False: "no", None: "unknown"}
        counts = [
            (names[r["terrorism_concurrent"]], r["n"])
            for r in visible.values("terrorism_concurrent").annotate(n=Count("pk"))
        ]
    else:
        counts = [
            (str(r[dimension] or ""), r["n"])
            for r in visible.values(dimension).annotate(n=Count("pk")).order_by(dimension)
        ]
    merged: dict[str, int] = defaultdict(int)
    for value, n in counts:
        merged[value] += n
    ordered = sorted(merged.items(), key=lambda kv: (kv[0] == "", -kv[1], kv[0]))
    if dimension == "year":
        ordered = sorted(merged.items(), key=lambda kv: (kv[0] == "", kv[0]))
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
    visible = _visible(actor)
    rows = (
        visible.annotate(y=ExtractYear("decision_date"))
        .values("country", "y")
        .annotate(n=Count("pk"))
        .order_by("country", "y")
    )
    cells: dict[tuple[str, int], int] = {}
    undated: dict[str, int] = defaultdict(int)
    for r in rows:
        code = r["country"] or ""
        if r["y"]:
            cells[(code, int(r["y"]))] = r["n"]
        else:
            undated[code] += r["n"]
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
