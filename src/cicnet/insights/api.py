"""``GET /api/v1/statistics/{dimension}``: the statistics page's numbers as JSON, counted over
the decisions the caller may read (an anonymous caller: published, public tier)."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Router, Schema

from cicnet.accounts.api_auth import request_api_actor
from cicnet.errors import UserInputError
from cicnet.insights import selectors
from cicnet.jurisprudence.schemas import ErrorOut

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


_ERRORS = {
    400: ErrorOut,  # an unknown dimension; `parameter` names it
    401: ErrorOut,  # an Authorization header that cannot be used
    429: ErrorOut,  # anonymous rate limit; see Retry-After
}


@router.get(
    "/statistics/{dimension}",
    response={200: StatisticsOut, **_ERRORS},
    summary="Statistics",
)
def statistics(
    request: HttpRequest, dimension: Annotated[str, Path(max_length=40)]
) -> StatisticsOut:
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
