"""Search parameters in URLs: the one parser shared by the HTML search page and the JSON API.

Query-string parameters (all optional; repeat a facet parameter to select several values, which
are ORed within a facet and ANDed across facets):

- ``q`` — the query: words, ``"exact phrases"``, ``OR``, ``-exclusion``, ``prefix*`` and the
  fields ``court:``, ``country:``, ``year:``, ``crime:``, ``provision:``;
- one parameter per facet in :data:`cicnet.search.types.FACETS` (``country=DE&country=FR``,
  ``crime=7(1)(f)``, ``terrorism=yes`` …);
- ``year_from`` / ``year_to`` — the year range (inclusive);
- ``sort`` — ``relevance`` (default), ``date_desc`` (alias ``date``) or ``date_asc``;
- ``page`` (from 1) and ``page_size`` (1 to 100, default 20);
- ``decision`` — the uid of one decision, to search within it;
- ``mode`` — ``hybrid`` (default: words and meaning, fused), ``lexical`` (exact words and their
  forms only) or ``semantic`` (meaning only, across languages);
- ``facets`` — the facets to count: ``all`` (default), ``none`` or a comma-separated list.

Unknown parameters are ignored (so tracking or htmx parameters do no harm). A bad value raises
:class:`~cicnet.search.types.QueryError` naming the parameter and saying what to do.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, cast
from urllib.parse import urlencode

from cicnet.law.crimes import GROUPS, crimes
from cicnet.law.provisions import provision
from cicnet.search.query import MAX_QUERY_LENGTH
from cicnet.search.types import (
    FACETS,
    HAS_TEXT_VALUES,
    MODES,
    Mode,
    QueryError,
    SearchParams,
    Sort,
)
from cicnet.vocabularies import vocabulary

MAX_Q_LENGTH = MAX_QUERY_LENGTH  # search/query.py says why 500
MAX_PAGE = 500
DEFAULT_MODE: Mode = "hybrid"  # words and meaning; "lexical" is the exact-words-only switch
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_VALUES_PER_FACET = 50
MAX_FACET_VALUE_LENGTH = 300  # a free-text facet value (court, situation)
MIN_YEAR, MAX_YEAR = 1900, 2100

SORTS: dict[str, Sort] = {
    "relevance": "relevance",
    "date_desc": "date_desc",
    "date": "date_desc",
    "date_asc": "date_asc",
}
SORT_LABELS: dict[str, str] = {
    "relevance": "Relevance",
    "date_desc": "Date, newest first",
    "date_asc": "Date, oldest first",
}

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_UID = re.compile(r"^[-a-zA-Z0-9_]{1,120}$")


class QueryDictLike(Protocol):
    """What we need of a Django ``QueryDict`` (or any multi-valued mapping)."""

    def getlist(self, key: str) -> list[str]: ...

    def get(self, key: str, default: Any = ...) -> Any: ...


def _int(value: str, *, parameter: str, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise QueryError(
            f"'{parameter}' must be a whole number between {low} and {high}, not {value!r}.",
            parameter=parameter,
        ) from None
    if not low <= number <= high:
        raise QueryError(
            f"'{parameter}' must be between {low} and {high}, not {number}.", parameter=parameter
        )
    return number


def _one(qd: QueryDictLike, name: str) -> str:
    values = [v for v in qd.getlist(name) if v.strip()]
    return values[-1].strip() if values else ""


def _check_facet_value(name: str, value: str) -> str:
    """Normalise one facet value, or raise QueryError naming the parameter."""
    if name == "country":
        value = value.upper()
        if not _COUNTRY.match(value):
            raise QueryError(
                f"'country' takes two-letter ISO 3166 codes such as DE or FR, not {value!r}.",
                parameter="country",
            )
    elif name == "year":
        value = str(_int(value, parameter="year", low=MIN_YEAR, high=MAX_YEAR))
    elif name == "crime_group":
        if value not in GROUPS:
            raise QueryError(
                f"'crime_group': unknown crime category {value!r}; "
                f"use one of: {', '.join(GROUPS)}.",
                parameter="crime_group",
            )
    elif name == "crime":
        if value not in crimes():
            raise QueryError(
                f"'crime': unknown crime {value!r}; "
                "use a Rome Statute id such as 7(1)(f) or 8(2)(a)(ii)-1.",
                parameter="crime",
            )
    elif name == "provision":
        if provision(value) is None:
            raise QueryError(
                f"'provision': unknown national provision {value!r}; use a key such as DE:1.",
                parameter="provision",
            )
    elif name in ("outcome", "instance"):
        vocab = vocabulary("jurisprudence", f"{name}s")
        if value not in vocab:
            raise QueryError(
                f"'{name}': unknown {name} {value!r}; use one of: {', '.join(vocab.ids())}.",
                parameter=name,
            )
    elif name == "language":
        value = value.lower()
        if not _LANGUAGE.match(value):
            raise QueryError(
                f"'language' takes ISO 639-1 codes such as en or de, not {value!r}.",
                parameter="language",
            )
    elif name == "terrorism":
        value = value.lower()
        if value not in ("yes", "no"):
            raise QueryError(f"'{name}' takes yes or no, not {value!r}.", parameter=name)
    elif name == "has_text":
        value = value.lower()
        if value not in HAS_TEXT_VALUES:
            raise QueryError(
                f"'has_text' takes {', '.join(HAS_TEXT_VALUES)}, not {value!r}.", parameter=name
            )
    elif len(value) > MAX_FACET_VALUE_LENGTH:
        raise QueryError(
            f"'{name}': the value is too long (over {MAX_FACET_VALUE_LENGTH} characters).",
            parameter=name,
        )
    return value


def params_from_querydict(qd: QueryDictLike, *, page_size: int | None = None) -> SearchParams:
    """Parse URL query parameters into :class:`SearchParams`; raise ``QueryError`` on bad input.

    ``page_size`` fixes the page size (the HTML page does); otherwise ``page_size`` is read from
    the parameters.
    """
    q = _one(qd, "q")
    if len(q) > MAX_Q_LENGTH:
        raise QueryError(
            f"'q': the query is too long ({len(q)} characters; at most {MAX_Q_LENGTH}).",
            parameter="q",
        )

    filters: dict[str, tuple[str, ...]] = {}
    for name in FACETS:
        raw = [v.strip() for v in qd.getlist(name) if v.strip()]
        if not raw:
            continue
        if len(raw) > MAX_VALUES_PER_FACET:
            raise QueryError(
                f"'{name}': too many values (at most {MAX_VALUES_PER_FACET}).", parameter=name
            )
        values = [_check_facet_value(name, v) for v in raw]
        filters[name] = tuple(dict.fromkeys(values))

    year_from = year_to = None
    if raw_from := _one(qd, "year_from"):
        year_from = _int(raw_from, parameter="year_from", low=MIN_YEAR, high=MAX_YEAR)
    if raw_to := _one(qd, "year_to"):
        year_to = _int(raw_to, parameter="year_to", low=MIN_YEAR, high=MAX_YEAR)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise QueryError(
            f"'year_from' ({year_from}) is after 'year_to' ({year_to}); swap them.",
            parameter="year_from",
        )

    raw_sort = _one(qd, "sort") or "relevance"
    if raw_sort not in SORTS:
        raise QueryError(
            f"'sort' takes relevance, date_desc or date_asc, not {raw_sort!r}.", parameter="sort"
        )

    page = _int(_one(qd, "page") or "1", parameter="page", low=1, high=MAX_PAGE)
    if page_size is None:
        page_size = _int(
            _one(qd, "page_size") or str(DEFAULT_PAGE_SIZE),
            parameter="page_size",
            low=1,
            high=MAX_PAGE_SIZE,
        )

    decision_uid = _one(qd, "decision") or None
    if decision_uid is not None and not _UID.match(decision_uid):
        raise QueryError(
            f"'decision' is not a decision id: {decision_uid!r}.", parameter="decision"
        )

    raw_mode = _one(qd, "mode") or DEFAULT_MODE
    if raw_mode not in MODES:
        raise QueryError(
            f"'mode' takes hybrid (words and meaning), lexical (exact words only) or semantic "
            f"(meaning only), not {raw_mode!r}.",
            parameter="mode",
        )

    facets: tuple[str, ...] | None = None
    raw_facets = [v for value in qd.getlist("facets") for v in value.split(",")]
    raw_facets = [v.strip() for v in raw_facets if v.strip()]
    if raw_facets and raw_facets != ["all"]:
        if raw_facets == ["none"]:
            facets = ()
        else:
            unknown = [f for f in raw_facets if f not in FACETS]
            if unknown:
                raise QueryError(
                    f"'facets' names an unknown facet {unknown[0]!r}: use all, none or a "
                    "comma-separated list of " + ", ".join(FACETS) + ".",
                    parameter="facets",
                )
            facets = tuple(f for f in FACETS if f in raw_facets)

    return SearchParams(
        q=q,
        filters=filters,
        year_from=year_from,
        year_to=year_to,
        sort=SORTS[raw_sort],
        page=page,
        page_size=page_size,
        decision_uid=decision_uid,
        mode=cast(Mode, raw_mode),
        facets=facets,
    )


def params_to_pairs(
    params: SearchParams, *, include_page: bool = True, include_page_size: bool = True
) -> list[tuple[str, str]]:
    """The query-string pairs that :func:`params_from_querydict` turns back into ``params``
    (defaults left out, so URLs stay short and canonical). The HTML page fixes its own page
    size and leaves it out (``include_page_size=False``)."""
    pairs: list[tuple[str, str]] = []
    if params.q:
        pairs.append(("q", params.q))
    for name in FACETS:
        pairs.extend((name, v) for v in params.filters.get(name, ()))
    if params.year_from is not None:
        pairs.append(("year_from", str(params.year_from)))
    if params.year_to is not None:
        pairs.append(("year_to", str(params.year_to)))
    if params.sort != "relevance":
        pairs.append(("sort", params.sort))
    if include_page_size and params.page_size != DEFAULT_PAGE_SIZE:
        pairs.append(("page_size", str(params.page_size)))
    if params.decision_uid:
        pairs.append(("decision", params.decision_uid))
    if params.mode != DEFAULT_MODE:
        pairs.append(("mode", params.mode))
    if params.facets is not None:
        pairs.append(("facets", ",".join(params.facets) or "none"))
    if include_page and params.page != 1:
        pairs.append(("page", str(params.page)))
    return pairs


def params_querystring(
    params: SearchParams, *, include_page: bool = True, include_page_size: bool = True
) -> str:
    """``params`` as a URL query string (without the leading ``?``)."""
    return urlencode(
        params_to_pairs(params, include_page=include_page, include_page_size=include_page_size)
    )


def params_with_filter_toggled(params: SearchParams, name: str, value: str) -> SearchParams:
    """``params`` with one facet value added or removed, back on page 1."""
    current = params.filters.get(name, ())
    values = tuple(v for v in current if v != value) if value in current else (*current, value)
    filters = {k: v for k, v in params.filters.items() if k != name}
    if values:
        filters[name] = values
    return dataclasses.replace(params, filters=filters, page=1)


def params_replace(params: SearchParams, **changes: Any) -> SearchParams:
    """``dataclasses.replace`` for SearchParams (kept here so callers need not import it)."""
    return dataclasses.replace(params, **changes)


def querydict_from_mapping(data: Mapping[str, str | Iterable[str]]) -> _MultiDict:
    """A minimal multi-valued mapping for callers that hold plain dicts (tests, scripts)."""
    return _MultiDict(data)


class _MultiDict:
    def __init__(self, data: Mapping[str, str | Iterable[str]]) -> None:
        self._data: dict[str, list[str]] = {
            k: [v] if isinstance(v, str) else list(v) for k, v in data.items()
        }

    def getlist(self, key: str) -> list[str]:
        return list(self._data.get(key, []))

    def get(self, key: str, default: Any = None) -> Any:
        values = self._data.get(key)
        return values[-1] if values else default
