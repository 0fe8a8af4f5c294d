"""The search page: results, facet counts and snippets per role; syntax errors; htmx; URLs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ..conftest import VISIBLE, search_backend_queries
from ..factories import DecisionFactory, ParagraphFactory, TextFactory
from .conftest import COMMON_WORD, MATRIX_COUNTRIES, ROLES, court_of, marker

pytestmark = pytest.mark.django_db


def _hit_uids(html: str) -> set[str]:
    return set(re.findall(r'data-testid="hit" data-uid="([^"]+)"', html))


def _count(html: str) -> int:
    match = re.search(r'data-testid="result-count"><strong>(\d+)</strong>', html)
    assert match, "no result count on the page"
    return int(match.group(1))


def _facet_counts(html: str, name: str) -> dict[str, int]:
    block = re.search(rf'<fieldset class="facet" data-facet="{name}">(.*?)</fieldset>', html, re.S)
    if not block:
        return {}
    return {
        value: int(count)
        for value, count in re.findall(
            rf'name="{name}" value="([^"]+)".*?<span class="count">(\d+)</span>',
            block.group(1),
            re.S,
        )
    }


@pytest.mark.parametrize("role", ROLES)
def test_results_counts_and_facets_show_exactly_the_visible_decisions(
    role: str, searchable_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    html = clients[role].get("/", {"q": COMMON_WORD}).content.decode()
    expected = {searchable_matrix[k].uid for k in VISIBLE[role]}
    assert _hit_uids(html) == expected
    assert _count(html) == len(expected)
    assert _facet_counts(html, "country") == {MATRIX_COUNTRIES[k]: 1 for k in VISIBLE[role]}
    assert _facet_counts(html, "court") == {court_of(k): 1 for k in VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_snippets_never_come_from_hidden_decisions(
    role: str, searchable_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    for key, decision in searchable_matrix.items():
        html = clients[role].get("/search/", {"q": marker(key)}).content.decode()
        if key in VISIBLE[role]:
            assert _hit_uids(html) == {decision.uid}
            assert f'href="/decisions/{decision.uid}/#en-p2"' in html
            assert f"<mark>{marker(key)}</mark>" in html.lower()
        else:
            assert _hit_uids(html) == set() and _count(html) == 0, (role, key)
            # The results region (the save-search block after it echoes the query itself).
            results = html.split('data-testid="results"')[1].split('id="save-search"')[0]
            assert marker(key) not in results.replace(f"<strong>{marker(key)}</strong>", "")


def test_facet_filter_narrows_results_and_keeps_other_values_countable(
    searchable_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    html = clients["curator"].get("/", {"q": COMMON_WORD, "country": ["DE", "FR"]}).content.decode()
    assert _hit_uids(html) == {
        searchable_matrix["public/published"].uid,
        searchable_matrix["secretariat/draft"].uid,
    }
    # The ticked values are checked, and the chip links remove one value each.
    assert re.search(r'name="country" value="DE" checked', html)
    assert (
        'href="/search/?q=atrocity&amp;country=FR"' in html
        or 'href="/?q=atrocity&amp;country=FR"' in html
    )
    # Values of one facet are ORed: every other visible country stays listed with its count,
    # unticked, and no hidden one appears.
    counts = _facet_counts(html, "country")
    assert counts == {c: 1 for c in MATRIX_COUNTRIES.values()}
    assert not re.search(r'name="country" value="AT" checked', html)
    anonymous = clients["anonymous"].get("/", {"q": COMMON_WORD, "country": ["FR"]})
    # (a ticked value stays listed so it can be unticked: 0 for a country it cannot see)
    assert _facet_counts(anonymous.content.decode(), "country") == {"DE": 1, "FR": 0}


def test_year_range_filters(clients: dict[str, Client], db: None) -> None:
    import datetime as dt

    from cicnet.search.services import rebuild_index

    for year in (2015, 2018, 2022):
        DecisionFactory(uid=f"y{year}", decision_date=dt.date(year, 5, 1))
    rebuild_index()
    html = clients["anonymous"].get("/", {"year_from": "2016", "year_to": "2022"}).content.decode()
    assert _hit_uids(html) == {"y2018", "y2022"}
    assert 'value="2016"' in html  # the range stays in the form


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"q": '"unclosed phrase'}, None),
        ({"q": "court:"}, None),
        ({"year_from": "abc"}, "year_from"),
        ({"year_from": "2022", "year_to": "2010"}, "year_from"),
        ({"country": "Germany"}, "country"),
        ({"crime": "7(9)(z)"}, "crime"),
        ({"sort": "random"}, "sort"),
        ({"page": "0"}, "page"),
    ],
)
def test_malformed_input_gets_a_friendly_message_not_a_500(
    params: dict[str, str], parameter: str | None, client: Client, db: None
) -> None:
    response = client.get("/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="query-error"' in html
    assert "Your search could not be run" in html
    if parameter:
        assert f"<code>{parameter}</code>" in html
    assert 'data-testid="hit"' not in html


def test_htmx_request_gets_only_the_results_region(
    searchable_matrix: dict[str, Any], client: Client
) -> None:
    response = client.get("/", {"q": COMMON_WORD}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="query-error"') or '<div id="search-region"' in html
    assert "<header" not in html and 'id="search-region"' in html
    assert 'hx-swap-oob="true"' in html
    assert _count(html) == 1


def test_htmx_error_is_swapped_next_to_the_box(client: Client, db: None) -> None:
    html = client.get("/", {"q": '"open'}, HTTP_HX_REQUEST="true").content.decode()
    assert (
        'id="query-error"' in html and 'hx-swap-oob="true"' in html and "could not be run" in html
    )


def test_pagination_links_are_real_urls(client: Client, db: None) -> None:
    from cicnet.search.services import rebuild_index

    for n in range(45):
        DecisionFactory(uid=f"many-{n:02d}")
    rebuild_index()
    html = client.get("/", {"sort": "date_desc"}).content.decode()
    assert _count(html) == 45 and len(_hit_uids(html)) == 10
    assert 'href="/?sort=date_desc&amp;page=2"' in html
    page5 = client.get("/", {"sort": "date_desc", "page": "5"}).content.decode()
    assert len(_hit_uids(page5)) == 5
    assert 'rel="next"' not in page5
    assert "showing 41\u201345 of 45" in page5  # an en dash
    # A page past the end says so and links the last page; it never says nothing matched.
    page9 = client.get("/", {"sort": "date_desc", "page": "9"}).content.decode()
    assert _count(page9) == 45 and not _hit_uids(page9)
    assert 'data-testid="past-end"' in page9 and "Page 9 is past the last page" in page9
    assert 'href="/?sort=date_desc&amp;page=5"' in page9
    assert "No decisions match" not in page9 and "showing" not in page9


def test_page_two_of_fourteen_results_says_which_it_shows(client: Client, db: None) -> None:
    from cicnet.search.services import rebuild_index

    for n in range(14):
        DecisionFactory(uid=f"fourteen-{n:02d}")
    rebuild_index()
    html = client.get("/", {"page": "2"}).content.decode()
    assert len(_hit_uids(html)) == 4
    assert "showing 11\u201314 of 14" in html
    assert '<ol class="hits" start="11">' in html


def test_many_pages_are_elided_around_the_current_one(client: Client, db: None) -> None:
    from cicnet.search.services import rebuild_index

    for n in range(91):  # ten pages of 10
        DecisionFactory(uid=f"many-{n:03d}")
    rebuild_index()
    html = client.get("/", {"sort": "date_desc", "page": "6"}).content.decode()
    nav = html[html.index('aria-label="Result pages"') :]
    nav = nav[: nav.index("</nav>")]
    shown = re.findall(r">(\d+|…)</(?:a|span)>", nav)
    assert shown == ["1", "…", "4", "5", "6", "7", "8", "9", "10"]
    assert 'href="/?sort=date_desc&amp;page=10"' in nav


def test_export_links_carry_the_same_parameters(client: Client, db: None) -> None:
    from cicnet.search.services import rebuild_index

    ParagraphFactory(text=TextFactory(decision=DecisionFactory(country="DE")), body="torture")
    rebuild_index()
    html = client.get("/", {"q": "torture", "country": "DE", "page": "1"}).content.decode()
    assert 'href="/api/v1/search/export.csv?q=torture&amp;country=DE"' in html
    assert 'href="/api/v1/search/export.jsonl?q=torture&amp;country=DE"' in html


def test_search_within_a_decision(client: Client, db: None) -> None:
    from cicnet.search.services import rebuild_index

    decision = DecisionFactory(uid="within")
    text = TextFactory(decision=decision, language="en")
    ParagraphFactory(text=text, number=1, body="Nothing of note.")
    ParagraphFactory(text=text, number=2, body="Detainees were tortured in the prison.")
    other = DecisionFactory(uid="other")
    ParagraphFactory(text=TextFactory(decision=other), number=1, body="Detainees were tortured.")
    rebuild_index()
    html = client.get(
        "/decisions/within/search/", {"q": "tortured"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'href="/decisions/within/#en-p2"' in html
    assert "/decisions/other/" not in html and "<header" not in html
    full = client.get("/decisions/within/search/", {"q": "tortured"}).content.decode()
    assert "<header" in full and 'href="/decisions/within/#en-p2"' in full
    bad = client.get("/decisions/within/search/", {"q": '"open'}).content.decode()
    assert 'class="error"' in bad


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_search_page_queries_do_not_grow_with_results(clients: dict[str, Client], db: None) -> None:
    from cicnet.search.services import rebuild_index

    for n in range(3):
        DecisionFactory(uid=f"few-{n}")
    rebuild_index()
    few = _queries(clients["member"], "/?q=")
    for n in range(20):
        DecisionFactory(uid=f"more-{n}")
    rebuild_index()
    many = _queries(clients["member"], "/?q=")
    assert many == few
    # Session and user, the actor's memberships (the navigation's Coordination link); with
    # tantivy the search itself reads the index, not the database.
    assert many <= 5 + search_backend_queries()


def test_summary_match_links_to_the_summary(client: Client, db: None) -> None:
    from cicnet.search.services import rebuild_index

    decision = DecisionFactory(
        uid="summary-only", summary="The court examined the enslavement of Yazidi women."
    )
    rebuild_index()
    html = client.get("/", {"q": "enslavement"}).content.decode()
    assert 'href="/decisions/summary-only/#summary"' in html
    assert 'id="summary"' in client.get(decision.get_absolute_url()).content.decode()


def test_a_hit_names_its_case_once(client: Client, db: None) -> None:
    from cicnet.search.services import rebuild_index

    DecisionFactory(
        uid="in-title", title="ECtHR 001-1 (E. v. Fictionland)", case_name="E. v. Fictionland"
    )
    DecisionFactory(
        uid="apart", title="Judgment of the fictional court", case_name="Fictional Square case"
    )
    rebuild_index()
    html = client.get("/search/", {"q": "fictional OR fictionland"}).content.decode()
    assert html.count("E. v. Fictionland") == 1
    assert 'data-testid="hit-case-name">Fictional Square case</p>' in html
