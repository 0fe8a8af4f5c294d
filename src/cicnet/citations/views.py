"""The citation graph page of a decision (``/decisions/<uid>/citations/``). The reader's
"Cites" and "Cited by" sections come from the same selectors (jurisprudence/views.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from cicnet.access.context import request_actor
from cicnet.citations import graph_svg, selectors
from cicnet.jurisprudence.selectors import decision_get


@require_GET
def decision_citations(request: HttpRequest, uid: str) -> HttpResponse:
    actor = request_actor(request)
    decision = decision_get(actor=actor, uid=uid, with_texts=False)
    if decision is None:
        raise Http404("No such decision.")
    graph = selectors.citation_graph(actor=actor, decision=decision)
    context = {
        "decision": decision,
        "graph": graph,
        # Built from escaped parts only (graph_svg.render escapes every label).
        "svg": mark_safe(graph_svg.render(graph)),  # noqa: S308 - escaped in graph_svg
        "citations": selectors.citations_of(actor=actor, decision=decision),
        "cited_by": selectors.cited_by(actor=actor, decision=decision),
    }
    return render(request, "citations/graph.html", context)
