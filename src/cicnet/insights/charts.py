"""Server-rendered SVG charts (no JavaScript, no build step): horizontal bars for categories,
columns for years. Each chart is ``role="img"`` with a title; the page puts the same numbers in
a table beside it (the accessible form) and offers them as CSV. Labels are escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from cicnet.insights.selectors import Matrix, Row, Table

BAR_H, GAP, LABEL_W, BAR_W = 22, 6, 230, 400
COLOUR = "#1d4e89"


def bars(rows: Sequence[Row], *, title: str, chart_id: str) -> str:
    """Horizontal bars, one per row, longest first as given."""
    top = max((r.count for r in rows), default=0) or 1
    height = max(1, len(rows)) * (BAR_H + GAP) + 10
    width = LABEL_W + BAR_W + 70
    parts = []
    for i, r in enumerate(rows):
        y = 5 + i * (BAR_H + GAP)
        w = max(1, round(BAR_W * r.count / top)) if r.count else 0
        label = r.label if len(r.label) <= 34 else r.label[:33] + "…"
        parts.append(
            f'<g data-value="{escape(r.value)}" data-count="{r.count}">'
            f"<title>{escape(r.label)}: {r.count}</title>"
            f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR_H}" fill="{COLOUR}"/>'
            f'<text x="{LABEL_W + w + 6}" y="{y + 15}">{r.count}</text></g>'
        )
    return _svg(width, height, title, chart_id, "".join(parts))


def columns(rows: Sequence[Row], *, title: str, chart_id: str) -> str:
    """Vertical columns in the order given (years), labels below."""
    top = max((r.count for r in rows), default=0) or 1
    col_w = 26 if len(rows) < 30 else 14
    plot_h = 180
    width = max(300, len(rows) * (col_w + 4) + 40)
    height = plot_h + 60
    parts = []
    for i, r in enumerate(rows):
        x = 20 + i * (col_w + 4)
        h = max(1, round(plot_h * r.count / top)) if r.count else 0
        y = 10 + plot_h - h
        parts.append(
            f'<g data-value="{escape(r.value)}" data-count="{r.count}">'
            f"<title>{escape(r.label)}: {r.count}</title>"
            f'<rect x="{x}" y="{y}" width="{col_w}" height="{h}" fill="{COLOUR}"/>'
            f'<text x="{x + col_w / 2}" y="{y - 3}" text-anchor="middle" font-size="10">'
            f"{r.count}</text>"
            f'<text x="{x + col_w / 2}" y="{plot_h + 24}" text-anchor="end" font-size="10" '
            f'transform="rotate(-60 {x + col_w / 2} {plot_h + 24})">{escape(r.label)}</text></g>'
        )
    return _svg(width, height, title, chart_id, "".join(parts))


def _svg(width: int, height: int, title: str, chart_id: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" class="chart" role="img" aria-labelledby="{chart_id}-t" '
        f'font-family="sans-serif" font-size="13" data-testid="chart-{chart_id}">'
        f'<title id="{chart_id}-t">{escape(title)}</title>{body}</svg>'
    )


# --- the same numbers as tables (built here: a template loop over hundreds of cells cost more
# than the counting) ------------------------------------------------------------------------------


def table(t: Table) -> str:
    """The accessible table of one chart."""
    head = escape(t.title.removeprefix("Decisions by "))
    body = (
        "".join(
            f'<tr data-value="{escape(r.value)}"><th scope="row">{escape(r.label)}</th>'
            f'<td class="num" data-count="{r.count}">{r.count}</td></tr>'
            for r in t.rows
        )
        or '<tr><td colspan="2" class="muted">No decisions.</td></tr>'
    )
    return (
        f'<table class="stats" data-testid="table-{escape(t.dimension)}">'
        f'<caption class="visually-hidden">{escape(t.title)}</caption>'
        f'<thead><tr><th scope="col">{head}</th><th scope="col" class="num">Decisions</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
    )


def matrix_table(m: Matrix) -> str:
    """Decisions by country (rows) and year (columns), undated ones in the last column."""
    if not m.countries:
        return '<p class="muted">No decisions.</p>'
    head = "".join(f'<th scope="col" class="num">{y}</th>' for y in m.years)
    rows = []
    for code, name in m.countries:
        cells = "".join(
            f'<td class="num">{n}</td>' if (n := m.cells.get((code, y), 0)) else "<td></td>"
            for y in m.years
        )
        undated = m.undated.get(code, 0)
        rows.append(
            f'<tr data-country="{escape(code)}"><th scope="row">{escape(name)}</th>{cells}'
            f'<td class="num">{undated or ""}</td></tr>'
        )
    return (
        '<div class="table-scroll"><table class="stats matrix" data-testid="table-country-year">'
        '<caption class="visually-hidden">Decisions by country (rows) and year (columns)'
        f'</caption><thead><tr><th scope="col">Country</th>{head}'
        '<th scope="col" class="num">Undated</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
