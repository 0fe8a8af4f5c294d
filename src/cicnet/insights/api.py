"""``GET /api/v1/statistics/{dimension}``: the statistics page's numbers as JSON, counted over
the decisions the caller may read (an anonymous caller: published, public tier)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from cicnet.accounts.api_auth import request_api_actor
from cicnet.errors import UserInputError
from cicnet.insights import selectors

router = Router(tags=["statistics"])


class StatisticsRow(Schema):
    value: str
    label: str
    count: int


class StatisticsOut(Schema):
    dimension: str
    title: str
    total: int
    rows: list[StatisticsRow]


@router.get("/statistics/{dimension}", response=StatisticsOut, summary="Statistics")
def statistics(request: HttpRequest, dimension: str) -> StatisticsOut:
    """Decisions by ``year``, ``country``, ``crime_group``, ``outcome``, ``instance``,
    ``jurisdiction_basis``, ``situation`` or ``terrorism``."""
    if dimension not in selectors.DIMENSIONS:
        raise UserInputError(
            f"unknown dimension '{dimension}'; use one of {', '.join(selectors.DIMENSIONS)}",
            field="dimension",
        )
    table = selectors.statistics_table(actor=request_api_actor(request), dimension=dimension)
    return StatisticsOut(
        dimension=table.dimension,
        title=table.title,
        total=table.total,
        rows=[StatisticsRow(value=r.value, label=r.label, count=r.count) for r in table.rows],
    )
