"""JSON API for search and decisions (mounted under /api/v1/ by config/api.py).

Endpoints validate their parameters, call one selector or service with the request's actor
(resolved by the auth chain in accounts/api_auth.py) and serialise. Errors a caller can fix
(``QueryError`` from the search service or the listing) become 400 with
``{"detail", "parameter"}`` through the handlers in config/api.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from ninja import Path as PathParam
from ninja import Query, Router
from ninja.responses import NinjaJSONEncoder, Status

from cicnet.accounts.api_auth import client_address, request_api_actor
from cicnet.jurisprudence import exports
from cicnet.jurisprudence.export_slots import export_slot_acquire
from cicnet.jurisprudence.listing import DecisionFilters, decision_list
from cicnet.jurisprudence.schemas import (
    MAX_UID_LENGTH,
    DecisionListOut,
    DecisionListQuery,
    DecisionOut,
    ErrorOut,
    SearchOut,
    SearchQuery,
    SimilarOut,
)
from cicnet.jurisprudence.selectors import decision_get
from cicnet.search.params import params_from_querydict
from cicnet.search.services import (
    Similar,
    search_decisions,
    similar_decisions,
    similar_for_paragraph,
)
from cicnet.search.types import SearchParams

router = Router(tags=["jurisprudence"])

_ERRORS: dict[int, Any] = {
    400: ErrorOut,  # a parameter the caller can fix; `parameter` names it
    401: ErrorOut,  # an Authorization header that cannot be used
    429: ErrorOut,  # anonymous rate limit; see Retry-After
}

_AUTH_NOTE = (
    " Anonymous callers see published public-tier decisions and are throttled; members "
    "(`Authorization: Bearer <token>`) also see the network tier; the Secretariat sees all."
)


_ENCODER = NinjaJSONEncoder()


def _shaped(data: dict[str, Any]) -> HttpResponse:
    """A 200 answer of data this module shaped itself from the service's typed results, written
    as JSON without pydantic re-validating it (django-ninja returns an ``HttpResponse`` as it is;
    the ``response=`` schema still documents it in OpenAPI). Validating a search page cost ~450
    validator calls per request (issue 13); tests/api/test_schemathesis.py and
    tests/api/test_shaped_responses.py check real answers against the schema instead.

    Written by orjson (docs/decisions/0192): a search page's 40 kB took 0.3 ms with the standard
    library. Dates and times still go through django-ninja's encoder, so they read as before."""
    return HttpResponse(
        orjson.dumps(data, default=_ENCODER.default, option=orjson.OPT_PASSTHROUGH_DATETIME),
        content_type="application/json; charset=utf-8",
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _search_params(request: HttpRequest, *, with_facets: bool = True) -> SearchParams:
    """The one parser the HTML search page uses too (``QueryError`` names a bad parameter).
    ``query`` (the typed schema) has already rejected values of the wrong type; this adds the
    vocabulary checks and normalisation (``country=de`` → ``DE``)."""
    return replace(params_from_querydict(request.GET), with_facets=with_facets)


@router.get(
    "/search",
    response={200: SearchOut, **_ERRORS},
    summary="Full-text search with facets",
    description=(
        "Searches paragraphs of every decision the caller may see and rolls hits up to "
        "decisions, with highlighted snippets linking to paragraph anchors and facet counts "
        "over the visible matching decisions. Same parameters as the HTML search page." + _AUTH_NOTE
    ),
)
def search(request: HttpRequest, query: Query[SearchQuery]) -> HttpResponse:
    actor = request_api_actor(request)
    page = search_decisions(actor=actor, params=_search_params(request))
    base = _base_url(request)
    return _shaped(
        {
            "count": page.count,
            "page": page.page,
            "page_size": page.page_size,
            "mode": page.mode,
            "meaning_only": page.meaning_only,
            "results": [
                {
                    "id": hit.uid,
                    "title": hit.title,
                    "court": hit.court,
                    "country": hit.country,
                    "decision_date": hit.decision_date,
                    "date_display": hit.date_display,
                    "case_name": hit.case_name,
                    "snippets": [
                        {
                            "language": s.language,
                            "paragraph": s.paragraph,
                            "html": s.html,
                            "url": f"{base}{hit.url}#{s.anchor}",
                            "source": s.source,
                        }
                        for s in hit.snippets
                    ],
                    "url": f"{base}{hit.url}",
                    "matched": list(hit.matched),
                    "languages": list(hit.languages),
                    "embedded": hit.embedded,
                }
                for hit in page.hits
            ],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in page.facets.items()
            },
        }
    )


def _export_client(request: HttpRequest, actor: Any) -> str:
    """Whose export slots a request counts against: the account, else the client address."""
    return f"user:{actor.user_id}" if actor.user_id is not None else client_address(request)


def _export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    actor = request_api_actor(request)
    params = _search_params(request, with_facets=False)
    max_rows = exports.export_max_rows(actor=actor)
    slot = export_slot_acquire(client=_export_client(request, actor))  # or ExportBusy: 429
    try:
        # The first batch runs now, so a malformed query is a 400 rather than a broken download.
        first = exports.first_export_page(actor=actor, params=params)
        decisions = exports.search_export_decisions(
            actor=actor, params=params, first_page=first, max_rows=max_rows
        )
        response = exports.export_response(
            decisions,
            fmt=fmt,
            filename="cicnet-search",
            base_url=_base_url(request),
            on_close=slot.release,
        )
    except BaseException:
        slot.release()
        raise
    response["X-Export-Row-Limit"] = str(max_rows)
    return response


_EXPORT_NOTE = (
    " Every matching decision the caller may see, in result order, up to the server's row limit "
    "(CICNET_EXPORT_MAX_ROWS_ANONYMOUS, default 1000, for anonymous callers; "
    "CICNET_EXPORT_MAX_ROWS, default 10000, with a token; sent in X-Export-Row-Limit); "
    "`page` and `page_size` are ignored. Streamed as an attachment. At most "
    "CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT (default 2) exports per client and "
    "CICNET_EXPORT_MAX_CONCURRENT (default 4) in all run at once; beyond that 429 with "
    "Retry-After."
)


@router.get(
    "/search/export.csv",
    response={200: None, **_ERRORS},
    summary="Export a search result set as CSV",
    description="Same parameters as /search. One row per decision, lists joined with '; '."
    + _EXPORT_NOTE
    + _AUTH_NOTE,
    openapi_extra={
        "responses": {
            200: {
                "description": "CSV with a header row (columns: "
                + ", ".join(exports.EXPORT_COLUMNS)
                + ").",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def search_export_csv(request: HttpRequest, query: Query[SearchQuery]) -> StreamingHttpResponse:
    return _export(request, "csv")


@router.get(
    "/search/export.jsonl",
    response={200: None, **_ERRORS},
    summary="Export a search result set as JSON Lines",
    description="Same parameters as /search. One JSON object per line with the CSV's columns "
    "as keys (lists as arrays)." + _EXPORT_NOTE + _AUTH_NOTE,
    openapi_extra={
        "responses": {
            200: {
                "description": "One JSON object per line.",
                "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
            }
        }
    },
)
def search_export_jsonl(request: HttpRequest, query: Query[SearchQuery]) -> StreamingHttpResponse:
    return _export(request, "jsonl")


def _next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params: QueryDict = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@router.get(
    "/decisions",
    response={200: DecisionListOut, **_ERRORS},
    summary="List decisions (filters, cursor pagination)",
    description=(
        "Decisions the caller may see, ordered by (decision_date, id), `limit` at a time. "
        "Follow `next` until it is null; the cursor is opaque and stable while decisions are "
        "added. `state` and `access` filters are for the Secretariat." + _AUTH_NOTE
    ),
)
def decisions(request: HttpRequest, query: Query[DecisionListQuery]) -> HttpResponse:
    actor = request_api_actor(request)
    filters = DecisionFilters(
        country=tuple(query.country),
        court=tuple(query.court),
        instance=tuple(query.instance),
        outcome=tuple(query.outcome),
        crime=tuple(query.crime),
        year_from=query.year_from,
        year_to=query.year_to,
        state=tuple(query.state),
        access=tuple(query.access),
    )
    page = decision_list(
        actor=actor, filters=filters, order=query.order, cursor=query.cursor, limit=query.limit
    )
    base = _base_url(request)
    return _shaped(
        {
            "count": page.count,
            "next": _next_url(request, page.next_cursor),
            "results": [exports.decision_summary(d, base_url=base) for d in page.decisions],
        }
    )


@router.get(
    "/decisions/{id}",
    response={200: DecisionOut, 404: ErrorOut, **_ERRORS},
    summary="One decision with its texts and paragraphs",
    description=(
        "Full metadata (crimes with their Rome Statute article, cited provisions with the "
        "matched national provision, other visible decisions of the same proceedings), every "
        "text with its provenance and numbered paragraphs. A decision that does not exist and "
        "one the caller may not see both answer 404 with the same body." + _AUTH_NOTE
    ),
)
def decision_detail(
    request: HttpRequest,
    id: str = PathParam(  # type: ignore[type-arg]  # ninja's Path() is a function typed as the class
        ...,
        max_length=MAX_UID_LENGTH,
        description="Decision id (uid), e.g. de-olg-koblenz-anwar-r-2022.",
    ),
) -> Any:
    actor = request_api_actor(request)
    decision = decision_get(actor=actor, uid=id)
    if decision is None:
        return Status(404, {"detail": f"No decision with id {id!r}.", "parameter": "id"})
    return Status(200, exports.decision_as_dict(decision, actor=actor, base_url=_base_url(request)))


def _similar_out(similar: Similar, base: str) -> dict[str, Any]:
    return {
        "embedded": similar.embedded,
        "model": similar.model,
        "results": [
            {
                "id": item.uid,
                "title": item.title,
                "court": item.court,
                "country": item.country,
                "decision_date": item.decision_date,
                "date_display": item.date_display,
                "score": item.score,
                "language": item.language or None,
                "paragraph": item.paragraph if item.language else None,
                "excerpt_html": item.excerpt_html or None,
                "url": f"{base}{item.url}",
            }
            for item in similar.items
        ],
    }


_SIMILAR_NOTE = (
    " Results are decisions the caller may see, in any language; a decision not embedded yet "
    "answers `embedded: false` with no results." + _AUTH_NOTE
)


@router.get(
    "/decisions/{id}/similar",
    response={200: SimilarOut, 404: ErrorOut, **_ERRORS},
    summary="Decisions similar in meaning to one decision",
    description="Other decisions closest in meaning (mean of their paragraph vectors)."
    + _SIMILAR_NOTE,
)
def decision_similar(
    request: HttpRequest,
    id: str = PathParam(  # type: ignore[type-arg]  # ninja's Path() is a function typed as the class
        ..., max_length=MAX_UID_LENGTH, description="Decision id (uid)."
    ),
    limit: int = Query(10, ge=1, le=50, description="How many (1-50)."),  # type: ignore[type-arg]
) -> Any:
    actor = request_api_actor(request)
    if decision_get(actor=actor, uid=id) is None:
        return Status(404, {"detail": f"No decision with id {id!r}.", "parameter": "id"})
    return _shaped(
        _similar_out(similar_decisions(actor=actor, uid=id, limit=limit), _base_url(request))
    )


@router.get(
    "/paragraphs/{decision_id}/{lang}/{number}/similar",
    response={200: SimilarOut, 404: ErrorOut, **_ERRORS},
    summary="Paragraphs similar in meaning to one paragraph, across languages",
    description="Paragraphs of other decisions closest in meaning to this one, one per "
    "decision, in any language." + _SIMILAR_NOTE,
)
def paragraph_similar(
    request: HttpRequest,
    decision_id: str = PathParam(  # type: ignore[type-arg]
        ..., max_length=MAX_UID_LENGTH, description="Decision id (uid)."
    ),
    lang: str = PathParam(  # type: ignore[type-arg]
        ..., max_length=16, description="Language of the text (ISO 639-1), e.g. fr."
    ),
    number: int = PathParam(  # type: ignore[type-arg]
        ..., ge=0, le=1_000_000, description="Paragraph number in that text."
    ),
    limit: int = Query(10, ge=1, le=50, description="How many (1-50)."),  # type: ignore[type-arg]
) -> Any:
    actor = request_api_actor(request)
    decision = decision_get(actor=actor, uid=decision_id)
    if decision is None:
        return Status(
            404, {"detail": f"No decision with id {decision_id!r}.", "parameter": "decision_id"}
        )
    reason, similar = similar_for_paragraph(
        actor=actor, decision=decision, language=lang, number=number, limit=limit
    )
    if reason == "missing":
        return Status(
            404,
            {
                "detail": f"Decision {decision_id!r} has no paragraph {number} in {lang!r}.",
                "parameter": "number",
            },
        )
    if similar is None:  # off, or a heading / withheld paragraph: never embedded
        similar = Similar(embedded=False, items=(), model="off" if reason == "off" else "")
    return _shaped(_similar_out(similar, _base_url(request)))
