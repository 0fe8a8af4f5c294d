"""The citation graph as a server-rendered SVG (no JavaScript): three columns — decisions the
proceedings cite, the proceedings (oldest at the top), decisions citing them — with an arrow
per citation. Every label is escaped; nodes link to the decisions' pages."""

from __future__ import annotations

from html import escape

from cicnet.citations.selectors import Graph
from cicnet.jurisprudence.models import Decision

WIDTH = 900
COLUMN_X = (20, 330, 640)
BOX_W, BOX_H, GAP = 240, 44, 14


def _label(d: Decision) -> tuple[str, str]:
    title = d.title if len(d.title) <= 34 else d.title[:33] + "…"
    year = d.decision_date.year if d.decision_date else ""
    return title, f"{d.country} · {d.court[:22]} · {year}".strip(" ·")


def render(graph: Graph) -> str:
    columns = (graph.cited, graph.proceedings, graph.citing)
    height = max(1, *(len(c) for c in columns)) * (BOX_H + GAP) + 60
    pos: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    heads = ("Cited by these proceedings", "Proceedings", "Citing these proceedings")
    for col, (x, nodes) in enumerate(zip(COLUMN_X, columns, strict=True)):
        parts.append(
            f'<text x="{x}" y="18" class="col-head" font-weight="bold">{escape(heads[col])}</text>'
        )
        for i, d in enumerate(nodes):
            y = 32 + i * (BOX_H + GAP)
            pos[d.uid] = (x, y)
            title, sub = _label(d)
            centre = ' stroke-width="3"' if d.pk == graph.centre.pk else ""
            parts.append(
                f'<a href="/decisions/{escape(d.uid)}/" data-uid="{escape(d.uid)}">'
                f"<title>{escape(d.title)}</title>"
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                f'fill="#ffffff" stroke="#1d4e89"{centre}/>'
                f'<text x="{x + 8}" y="{y + 18}" fill="#10243e">{escape(title)}</text>'
                f'<text x="{x + 8}" y="{y + 36}" fill="#444" font-size="11">{escape(sub)}</text>'
                "</a>"
            )
    lines = []
    for citing, cited in graph.edges:
        if citing not in pos or cited not in pos:
            continue
        (x1, y1), (x2, y2) = pos[citing], pos[cited]
        if x1 == x2:  # within one column: a curve on the right-hand side
            sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H // 2, x2 + BOX_W, y2 + BOX_H // 2
            path = f"M{sx},{sy} C{sx + 40},{sy} {ex + 40},{ey} {ex + 4},{ey}"
        elif x1 > x2:
            path = f"M{x1},{y1 + BOX_H // 2} L{x2 + BOX_W + 4},{y2 + BOX_H // 2}"
        else:
            path = f"M{x1 + BOX_W},{y1 + BOX_H // 2} L{x2 - 4},{y2 + BOX_H // 2}"
        lines.append(
            f'<path d="{path}" fill="none" stroke="#7a869a" marker-end="url(#arrow)">'
            f"<title>{escape(citing)} cites {escape(cited)}</title></path>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="graph-title" font-family="sans-serif" '
        f'font-size="13" data-testid="citation-graph">'
        f'<title id="graph-title">Citation graph: {len(graph.edges)} citations between '
        f"{sum(len(c) for c in columns)} decisions</title>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#7a869a"/></marker></defs>' + "".join(lines) + "".join(parts) + "</svg>"
    )
