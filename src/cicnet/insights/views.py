"""Statistics pages: ``/statistics/`` (the jurisprudence, for every reader, counted over what the
reader may see), ``/statistics/<dimension>.csv``, ``/statistics/country-year.csv`` and
``/statistics/network/<slug>/`` (a network's meetings, attendance and documents, for its
Secretariat)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from cicnet.access.context import request_actor
from cicnet.insights import charts, selectors
from cicnet.network.selectors import network_get


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    tables, matrix = selectors.statistics_overview(actor=actor)
    sections: list[dict[str, Any]] = []
    total = tables[0].total if tables else 0
    for table in tables:
        dimension = table.dimension
        draw = charts.columns if dimension == "year" else charts.bars
        rows = table.rows if dimension == "year" else table.rows[:25]
        # charts.* escape every label they draw.
        svg = mark_safe(draw(rows, title=table.title, chart_id=dimension))  # noqa: S308
        sections.append(
            {
                "table": table,
                "svg": svg,
                "html": mark_safe(charts.table(table)),  # noqa: S308 - escaped in charts
                "truncated": len(table.rows) > len(rows),
            }
        )
    return render(
        request,
        "insights/page.html",
        {
            "sections": sections,
            "matrix": mark_safe(charts.matrix_table(matrix)),  # noqa: S308 - escaped in charts
            "total": total,
        },
    )


def _csv(name: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cicnet-statistics-{name}.csv"'
    response["Cache-Control"] = "private, no-store"  # counts depend on who asks
    return response


@require_GET
def statistics_csv(request: HttpRequest, dimension: str) -> HttpResponse:
    actor = request_actor(request)
    if dimension == "country-year":
        matrix = selectors.country_year_matrix(actor=actor)
        rows: list[list[object]] = [
            [code, name, y, matrix.cells[(code, y)]]
            for code, name in matrix.countries
            for y in matrix.years
            if (code, y) in matrix.cells
        ]
        rows += [
            [code, name, "", n]
            for code, name in matrix.countries
            if (n := matrix.undated.get(code, 0))
        ]
        return _csv(dimension, ["country", "country_name", "year", "decisions"], rows)
    if dimension not in selectors.DIMENSIONS:
        raise Http404(
            f"No statistics '{dimension}'; use one of "
            f"{', '.join(selectors.DIMENSIONS)} or country-year."
        )
    table = selectors.statistics_table(actor=actor, dimension=dimension)
    return _csv(
        dimension,
        [dimension, "label", "decisions"],
        [[r.value, r.label, r.count] for r in table.rows],
    )


@require_GET
def network_statistics_page(request: HttpRequest, slug: str) -> HttpResponse:
    actor = request_actor(request)
    network = network_get(actor=actor, slug=slug)
    stats = selectors.network_statistics(actor=actor, network=network) if network else None
    if stats is None:
        raise Http404("No such network statistics.")
    charts_ = {
        "meetings": mark_safe(  # noqa: S308 - charts escape every label
            charts.columns(stats.meetings_by_year, title="Meetings by year", chart_id="meetings")
        ),
        "attendance": mark_safe(  # noqa: S308 - charts escape every label
            charts.bars(stats.attendance, title="Session attendance", chart_id="attendance")
        ),
        "documents": mark_safe(  # noqa: S308 - charts escape every label
            charts.bars(stats.documents_by_kind, title="Documents by kind", chart_id="documents")
        ),
    }
    return render(request, "insights/network.html", {"stats": stats, "charts": charts_})
