"""The filtered, cursor-paginated listing of decisions (a selector; used by GET /api/v1/decisions).

Keyset pagination on ``(decision_date, id)``: a page is "the next ``limit`` decisions after this
position", so pages stay stable while decisions are added and deep pages cost the same as the
first. Undated decisions sort first in ascending order and last in descending order, on every
database (explicit ``nulls_first``/``nulls_last``). The cursor is opaque to clients: base64 of a
small JSON position; a tampered cursor can only move the position, never widen access, because
every query starts from ``decisions_for(actor=)``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Literal

from django.db.models import F, Q, QuerySet

from cicnet.access import policy
from cicnet.jurisprudence.models import Decision
from cicnet.jurisprudence.selectors import decisions_for
from cicnet.law.crimes import crime_ids_matching
from cicnet.search.params import MAX_YEAR, MIN_YEAR
from cicnet.search.types import QueryError
from cicnet.vocabularies import vocabulary

Order = Literal["date_asc", "date_desc"]
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class DecisionFilters:
    """Filters of the listing; values within one filter are OR-ed, filters are AND-ed."""

    country: tuple[str, ...] = ()
    court: tuple[str, ...] = ()
    instance: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    crime: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    state: tuple[str, ...] = ()  # curators only
    access: tuple[str, ...] = ()  # curators only


@dataclass(frozen=True)
class DecisionListPage:
    count: int
    decisions: list[Decision]
    next_cursor: str | None = None
    order: Order = "date_asc"


def _check_vocab(parameter: str, values: tuple[str, ...], name: str) -> None:
    vocab = vocabulary("jurisprudence", name)
    for value in values:
        if value not in vocab:
            raise QueryError(
                f"{parameter}: unknown value {value!r}; use one of {', '.join(vocab.ids())}.",
                parameter=parameter,
            )


def decisions_filtered(*, actor: policy.Actor, filters: DecisionFilters) -> QuerySet[Decision]:
    """The decisions ``actor`` may see that pass ``filters``: the one decision filter of the
    API listing, the browse page and the network's country pages. Raises ``QueryError`` naming
    the parameter for a value the caller can fix."""
    qs = decisions_for(actor=actor)
    if (filters.state or filters.access) and not policy.can_curate(actor):
        parameter = "state" if filters.state else "access"
        raise QueryError(
            f"{parameter}: only the Secretariat may filter by publication state or access tier; "
            "leave it out to list every decision you may see.",
            parameter=parameter,
        )
    for value in filters.country:
        if not _COUNTRY.match(value):
            raise QueryError(
                f"country: {value!r} is not an ISO 3166-1 alpha-2 code such as DE or FR.",
                parameter="country",
            )
    _check_vocab("instance", filters.instance, "instances")
    _check_vocab("outcome", filters.outcome, "outcomes")
    _check_vocab("state", filters.state, "publication_states")
    _check_vocab("access", filters.access, "access_tiers")
    for name in ("year_from", "year_to"):
        year = getattr(filters, name)
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise QueryError(
                f"{name}: {year} is not a year between {MIN_YEAR} and {MAX_YEAR}.", parameter=name
            )
    if (
        filters.year_from is not None
        and filters.year_to is not None
        and filters.year_from > filters.year_to
    ):
        raise QueryError("year_from: must not be after year_to.", parameter="year_from")

    if filters.country:
        qs = qs.filter(country__in=filters.country)
    if filters.court:
        # A court id (as the search facet gives it) or the English name.
        qs = qs.filter(Q(court_id__in=filters.court) | Q(court__in=filters.court))
    if filters.instance:
        qs = qs.filter(instance__in=filters.instance)
    if filters.outcome:
        qs = qs.filter(outcome__in=filters.outcome)
    if filters.state:
        qs = qs.filter(state__in=filters.state)
    if filters.access:
        qs = qs.filter(access__in=filters.access)
    if filters.crime:
        ids: list[str] = []
        for term in filters.crime:
            matched = crime_ids_matching(term)
            if not matched:
                raise QueryError(
                    f"crime: {term!r} is neither a crime id such as 7(1)(f), a Rome Statute "
                    "reference such as 8(2)(a), nor a crime group such as war_crimes.",
                    parameter="crime",
                )
            ids.extend(matched)
        qs = qs.filter(crimes__crime_id__in=ids).distinct()
    if filters.year_from is not None:
        qs = qs.filter(decision_date__gte=dt.date(filters.year_from, 1, 1))
    if filters.year_to is not None:
        qs = qs.filter(decision_date__lte=dt.date(filters.year_to, 12, 31))
    return qs


def encode_cursor(*, order: Order, decision: Decision) -> str:
    position = {
        "o": order,
        "d": decision.decision_date.isoformat() if decision.decision_date else None,
        "i": decision.pk,
    }
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, order: Order) -> tuple[dt.date | None, int]:
    """The position a cursor stands for; ``QueryError`` naming ``cursor`` when it is not one of
    ours or belongs to the other order."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
        date = dt.date.fromisoformat(position["d"]) if position["d"] is not None else None
        pk = int(position["i"])
        cursor_order = position["o"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise QueryError(
            "cursor: not a cursor from this API; use the `next` link of the previous page "
            "unchanged, or leave cursor out to start again.",
            parameter="cursor",
        ) from exc
    if cursor_order != order:
        raise QueryError(
            f"cursor: it was issued for order={cursor_order}; keep the same order while paging.",
            parameter="cursor",
        )
    return date, pk


def _after(
    qs: QuerySet[Decision], *, order: Order, date: dt.date | None, pk: int
) -> QuerySet[Decision]:
    if order == "date_asc":  # undated first, then oldest; ties by id ascending
        if date is None:
            return qs.filter(
                Q(decision_date__isnull=True, pk__gt=pk) | Q(decision_date__isnull=False)
            )
        return qs.filter(Q(decision_date__gt=date) | Q(decision_date=date, pk__gt=pk))
    # date_desc: newest first, undated last; ties by id descending
    if date is None:
        return qs.filter(decision_date__isnull=True, pk__lt=pk)
    return qs.filter(
        Q(decision_date__lt=date) | Q(decision_date=date, pk__lt=pk) | Q(decision_date__isnull=True)
    )


def decision_list(
    *,
    actor: policy.Actor,
    filters: DecisionFilters,
    order: Order = "date_asc",
    cursor: str | None = None,
    limit: int = 50,
) -> DecisionListPage:
    """One page of the decisions ``actor`` may see that match ``filters``.

    Three queries whatever the page: the count, the page, the prefetched crimes.
    Raises ``QueryError`` (with the parameter) for a bad filter value or cursor.
    """
    qs = decisions_filtered(actor=actor, filters=filters)
    count = qs.count()
    if order == "date_asc":
        ordering = [F("decision_date").asc(nulls_first=True), F("pk").asc()]
    else:
        ordering = [F("decision_date").desc(nulls_last=True), F("pk").desc()]
    page_qs = qs
    if cursor:
        date, pk = decode_cursor(cursor, order=order)
        page_qs = _after(qs, order=order, date=date, pk=pk)
    rows = list(page_qs.order_by(*ordering).prefetch_related("crimes")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(order=order, decision=rows[-1]) if more and rows else None
    return DecisionListPage(count=count, decisions=rows, next_cursor=next_cursor, order=order)


def decisions_browse(*, actor: policy.Actor, filters: DecisionFilters) -> QuerySet[Decision]:
    """The browse page's list: ``decisions_filtered``, newest first."""
    return decisions_filtered(actor=actor, filters=filters).order_by("-decision_date", "uid")
