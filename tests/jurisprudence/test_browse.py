"""The browse page: tiers, filters, query counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ..conftest import VISIBLE
from ..factories import DecisionFactory
from .conftest import ROLES

pytestmark = pytest.mark.django_db


def _rows(html: str) -> set[str]:
    return set(re.findall(r'data-testid="row" data-uid="([^"]+)"', html))


@pytest.mark.parametrize("role", ROLES)
def test_browse_lists_exactly_the_visible_decisions(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    html = clients[role].get("/decisions/").content.decode()
    assert _rows(html) == {tier_matrix[k].uid for k in VISIBLE[role]}
    assert f"<strong>{len(VISIBLE[role])}</strong> decision" in html


def test_browse_filters(client: Client) -> None:
    DecisionFactory(
        uid="de-2021", country="DE", decision_date=dt.date(2021, 1, 1), outcome="convicted"
    )
    DecisionFactory(
        uid="se-2019", country="SE", decision_date=dt.date(2019, 1, 1), outcome="acquitted"
    )
    DecisionFactory(
        uid="se-2022",
        country="SE",
        decision_date=dt.date(2022, 1, 1),
        outcome="convicted",
        court="Svea Court of Appeal",
        court_id="se-svea-hovratt",
        instance="appeal",
    )
    assert _rows(client.get("/decisions/", {"country": "se"}).content.decode()) == {
        "se-2019",
        "se-2022",
    }
    assert _rows(
        client.get("/decisions/", {"outcome": "convicted", "year_from": "2022"}).content.decode()
    ) == {"se-2022"}
    assert _rows(
        client.get(
            "/decisions/", {"court": "se-svea-hovratt", "instance": "appeal"}
        ).content.decode()
    ) == {"se-2022"}


def test_browse_bad_filter_names_the_field(client: Client) -> None:
    DecisionFactory(uid="any")
    html = client.get(
        "/decisions/", {"year_from": "2022", "year_to": "2001", "country": "Germany"}
    ).content.decode()
    assert "To year" in html and "Country: Use a two-letter ISO country code" in html
    assert client.get("/decisions/", {"outcome": "nonsense"}).status_code == 200


def test_state_and_tier_filters_are_for_curators_only(
    tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    curator = (
        clients["curator"]
        .get("/decisions/", {"state": "draft", "access": "network"})
        .content.decode()
    )
    assert _rows(curator) == {tier_matrix["network/draft"].uid}
    member = clients["member"].get("/decisions/", {"state": "draft"}).content.decode()
    assert _rows(member) == {tier_matrix[k].uid for k in VISIBLE["member"]}
    assert 'name="state"' not in member


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_browse_queries_do_not_grow_with_rows(clients: dict[str, Client]) -> None:
    for n in range(3):
        DecisionFactory(uid=f"few-{n}")
    few = _queries(clients["curator"], "/decisions/")
    for n in range(22):
        DecisionFactory(uid=f"more-{n}")
    assert _queries(clients["curator"], "/decisions/") == few
    assert few <= 6  # session, user, count, page; memberships (the navigation's Coordination link)


def test_browse_paginates(client: Client) -> None:
    for n in range(30):
        DecisionFactory(uid=f"p-{n:02d}", country="DE")
    first = client.get("/decisions/", {"country": "DE"}).content.decode()
    assert len(_rows(first)) == 25 and "page=2" in first and "country=DE&amp;page=2" in first
    assert (
        len(_rows(client.get("/decisions/", {"country": "DE", "page": "2"}).content.decode())) == 5
    )
