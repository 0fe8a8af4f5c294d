"""Parsing search URL parameters (shared by the search page and the API)."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from cicnet.search.params import (
    params_from_querydict,
    params_querystring,
    params_with_filter_toggled,
    querydict_from_mapping,
)
from cicnet.search.types import QueryError, SearchParams


def parse(qs: str) -> SearchParams:
    return params_from_querydict(QueryDict(qs))


def test_defaults() -> None:
    # Pages and the API search by words and meaning unless told "exact words only" (issue 13).
    assert parse("") == SearchParams(mode="hybrid")


def test_full_round_trip() -> None:
    qs = (
        "q=torture+%22branch+251%22&country=DE&country=se&crime=7%281%29%28f%29&crime_group=war_crimes"
        "&provision=DE%3A2&outcome=convicted&instance=appeal&language=EN&terrorism=yes&has_text=no"
        "&court=OLG+Koblenz&situation=Syria&year_from=2015&year_to=2022&sort=date&page=3&page_size=50"
        "&decision=de-olg-koblenz&utm_source=ignored"
    )
    params = parse(qs)
    assert params.q == 'torture "branch 251"'
    assert params.filters["country"] == ("DE", "SE")
    assert params.filters["crime"] == ("7(1)(f)",)
    assert params.filters["language"] == ("en",)
    assert params.filters["court"] == ("OLG Koblenz",)
    assert (params.year_from, params.year_to, params.sort, params.page, params.page_size) == (
        2015,
        2022,
        "date_desc",
        3,
        50,
    )
    assert params.decision_uid == "de-olg-koblenz"
    assert params_from_querydict(QueryDict(params_querystring(params)), page_size=None) == params


@pytest.mark.parametrize(
    ("qs", "parameter"),
    [
        ("page=0", "page"),
        ("page=x", "page"),
        ("page_size=1000", "page_size"),
        ("year_from=19", "year_from"),
        ("year_to=abc", "year_to"),
        ("year_from=2022&year_to=2010", "year_from"),
        ("sort=best", "sort"),
        ("country=DEU", "country"),
        ("crime=7(1)(zz)", "crime"),
        ("crime_group=piracy", "crime_group"),
        ("provision=XX:999", "provision"),
        ("outcome=hanged", "outcome"),
        ("instance=top", "instance"),
        ("terrorism=maybe", "terrorism"),
        ("has_text=1", "has_text"),
        ("language=english!", "language"),
        ("year=twenty", "year"),
        ("decision=../etc", "decision"),
        ("q=" + "x" * 501, "q"),
    ],
)
def test_bad_values_name_the_parameter(qs: str, parameter: str) -> None:
    with pytest.raises(QueryError) as exc:
        parse(qs)
    assert exc.value.parameter == parameter
    assert parameter in exc.value.message


def test_fixed_page_size_ignores_the_parameter() -> None:
    assert params_from_querydict(QueryDict("page_size=3"), page_size=20).page_size == 20


def test_duplicate_values_are_collapsed_and_blanks_ignored() -> None:
    assert parse("country=DE&country=de&country=&q=+").filters == {"country": ("DE",)}


def test_toggle_adds_removes_and_resets_the_page() -> None:
    params = SearchParams(filters={"country": ("DE",)}, page=4)
    added = params_with_filter_toggled(params, "country", "SE")
    assert added.filters == {"country": ("DE", "SE")} and added.page == 1
    removed = params_with_filter_toggled(added, "country", "DE")
    assert removed.filters == {"country": ("SE",)}
    assert params_with_filter_toggled(removed, "country", "SE").filters == {}


def test_plain_mappings_work_too() -> None:
    params = params_from_querydict(querydict_from_mapping({"q": "x", "country": ["DE", "FR"]}))
    assert params.q == "x" and params.filters == {"country": ("DE", "FR")}
