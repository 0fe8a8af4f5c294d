"""Statistics count only what the reader may read: every role's page, CSV and API numbers equal
the database's count of the decisions visible to that role (the tier matrix), and a hidden
decision is never one more in a bar, a cell or a total."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from cicnet.access import policy
from cicnet.insights.selectors import DIMENSIONS, country_year_matrix, statistics_table
from cicnet.jurisprudence.models import Decision, DecisionCrime
from tests.conftest import VISIBLE
from tests.network.conftest import World, world  # noqa: F401 - the fixture, used by name
from tests.network.factories import MeetingFactory

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "member", "curator", "admin")


@pytest.fixture
def matrix(tier_matrix: dict[str, Any]) -> dict[str, Any]:
    """The tier matrix spread over countries, years, crimes and outcomes."""
    for i, (_key, d) in enumerate(sorted(tier_matrix.items())):
        d.country = ("DE", "FR", "SE")[i % 3]
        d.decision_date = dt.date(2015 + i % 4, 1, 1) if i != 4 else None
        d.outcome = ("convicted", "acquitted")[i % 2]
        d.situation = "Syria" if i % 2 else "Rwanda"
        d.terrorism_concurrent = i % 3 == 0
        d.save()
        DecisionCrime.objects.create(decision=d, crime_id="7(1)(f)" if i % 2 else "8(2)(a)(ii)")
        if i == 3:
            DecisionCrime.objects.create(decision=d, crime_id="7(1)(g)")  # same group: once
    return tier_matrix


def _client(users: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _expected(role: str, matrix: dict[str, Any]) -> list[Decision]:
    return [d for key, d in matrix.items() if key in VISIBLE[role]]


@pytest.mark.parametrize("role", ROLES)
def test_every_table_counts_the_visible_decisions_only(
    matrix: dict[str, Any], actors: dict[str, policy.Actor], role: str
) -> None:
    visible = _expected(role, matrix)
    actor = actors[role]
    country = statistics_table(actor=actor, dimension="country")
    assert country.total == len(visible)
    assert {r.value: r.count for r in country.rows} == {
        c: sum(1 for d in visible if d.country == c) for c in {d.country for d in visible}
    }
    years = {r.value: r.count for r in statistics_table(actor=actor, dimension="year").rows}
    assert sum(years.values()) == len(visible)
    assert years.get("", 0) == sum(1 for d in visible if d.decision_date is None)
    groups = {r.value: r.count for r in statistics_table(actor=actor, dimension="crime_group").rows}
    assert groups.get("crimes_against_humanity", 0) == sum(
        1 for d in visible if d.crimes.filter(crime_id__startswith="7(").exists()
    )
    assert groups.get("war_crimes", 0) == sum(
        1 for d in visible if d.crimes.filter(crime_id__startswith="8(").exists()
    )
    terror = {r.value: r.count for r in statistics_table(actor=actor, dimension="terrorism").rows}
    assert terror.get("yes", 0) == sum(1 for d in visible if d.terrorism_concurrent)
    cells = country_year_matrix(actor=actor)
    assert cells.total == len(visible)
    for dimension in DIMENSIONS:
        table = statistics_table(actor=actor, dimension=dimension)
        assert table.total == len(visible)
        if dimension != "crime_group":  # a decision is in one row of every other table
            assert sum(r.count for r in table.rows) == len(visible), dimension


@pytest.mark.parametrize("role", ROLES)
def test_page_csv_and_api_give_the_same_numbers(
    matrix: dict[str, Any], users: dict[str, Any], role: str
) -> None:
    visible = _expected(role, matrix)
    client = _client(users, role)
    page = client.get("/statistics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<strong>{len(visible)}</strong> decision" in html
    assert 'data-testid="chart-country"' in html and 'role="img"' in html
    for code in ("DE", "FR", "SE"):
        n = sum(1 for d in visible if d.country == code)
        assert (f'data-value="{code}" data-count="{n}"' in html) == bool(n), code
    rows = list(csv.reader(io.StringIO(client.get("/statistics/outcome.csv").content.decode())))
    assert rows[0] == ["outcome", "label", "decisions"]
    assert {r[0]: int(r[2]) for r in rows[1:]} == {
        o: sum(1 for d in visible if d.outcome == o) for o in {d.outcome for d in visible}
    }
    cy = list(csv.reader(io.StringIO(client.get("/statistics/country-year.csv").content.decode())))
    assert sum(int(r[3]) for r in cy[1:]) == len(visible)
    headers = {}
    if role != "anonymous":
        from cicnet.accounts.models import ApiToken

        token = ApiToken.objects.create(user=users[role], key=ApiToken.new_key())
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token.key}"}
    api = Client().get("/api/v1/statistics/situation", **headers).json()
    assert api["total"] == len(visible)
    assert {r["value"]: r["count"] for r in api["rows"]} == {
        s: sum(1 for d in visible if d.situation == s) for s in {d.situation for d in visible}
    }


def test_bad_dimensions_are_named(db: None) -> None:
    client = Client()
    assert client.get("/statistics/nonsense.csv").status_code == 404
    answer = client.get("/api/v1/statistics/nonsense")
    assert answer.status_code == 400 and answer.json()["parameter"] == "dimension"


NETWORK_STATS = {"secretariat": 200, "admin": 200}


@pytest.mark.parametrize(
    "role", ["anonymous", "admin", "ncp", "observer", "secretariat", "other_secretariat"]
)
def test_network_statistics_are_for_its_secretariat(world: World, role: str) -> None:  # noqa: F811
    MeetingFactory(
        network=world.a, number=8, start_date=dt.date(2020, 5, 1), end_date=dt.date(2020, 5, 1)
    )
    from cicnet.network.models import SessionParticipant

    SessionParticipant.objects.create(
        session=world.closed_session, person=world.users["ncp"].network_person, attended=True
    )
    response = world.client(role).get("/statistics/network/a/")
    assert response.status_code == NETWORK_STATS.get(role, 404)
    if response.status_code == 200:
        html = response.content.decode()
        assert 'data-testid="network-meetings"' in html
        assert 'data-value="attended" data-count="1"' in html
        assert 'data-value="note" data-count="4"' in html  # the four classifications of a


def test_counts_follow_a_change_of_tier_at_once(
    matrix: dict[str, Any], actors: dict[str, policy.Actor]
) -> None:
    """The grouped counts are cached under a fingerprint of the collection: a decision moved
    to another tier changes every reader's numbers on the next request."""
    anonymous = actors["anonymous"]
    before = statistics_table(actor=anonymous, dimension="country").total
    moved = matrix["network/published"]
    moved.access = "public"
    moved.save()
    assert statistics_table(actor=anonymous, dimension="country").total == before + 1
    moved.access = "secretariat"
    moved.save()
    assert statistics_table(actor=anonymous, dimension="country").total == before
    assert (
        statistics_table(actor=actors["member"], dimension="country").total
        == len(_expected("member", matrix)) - 1
    )
