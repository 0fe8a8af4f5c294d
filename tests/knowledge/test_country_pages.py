"""Universal jurisdiction by country, page and API, for every role: the legal facts with their
sources are the same for everyone; the decision counts are exactly those of the tier matrix the
role may see; contact points appear only for members who may see their network's people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cicnet.knowledge import selectors

from ..conftest import VISIBLE as DECISIONS_VISIBLE
from ..factories import DecisionFactory, UserFactory
from .conftest import ROLES, SEES_PEOPLE_A, World

pytestmark = pytest.mark.django_db

INSTANCE_ROLES = ("anonymous", "member", "curator", "admin")


def _client(users: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.fixture
def decisions(tier_matrix: dict[str, Any]) -> dict[str, Any]:
    """The tier matrix (German, 2021, convicted) plus a public 2019 acquittal and a French one."""
    extra = {
        "public/published/2019": DecisionFactory(
            uid="de-2019-acquitted",
            decision_date=dt.date(2019, 5, 1),
            outcome="acquitted",
            jurisdiction_basis="universal",
        ),
        "fr": DecisionFactory(uid="fr-public", country="FR"),
    }
    return {**tier_matrix, **extra}


@pytest.mark.parametrize("role", INSTANCE_ROLES)
def test_germany_page_shows_provisions_conditions_with_sources_and_the_decisions_the_role_sees(
    role: str, users: dict[str, Any], decisions: dict[str, Any]
) -> None:
    response = _client(users, role).get("/knowledge/countries/DE/")
    assert response.status_code == 200
    html = response.content.decode()
    # Provisions (law/data/national_provisions.csv) linked to the Rome Statute.
    assert "Code of Crimes against International Law" in html
    assert "§ 7" in html and "art. 7" in html and "Crimes against humanity" in html
    # Conditions with their sources.
    assert "VStGB § 5" in html and "https://www.anwalt24.de/gesetze/vstgb/5" in html
    assert "StPO § 153f" in html and "https://dejure.org/gesetze/StPO/153f.html" in html
    assert "Zentralstelle für die Bekämpfung von Kriegsverbrechen" in html
    # The court is not recorded for Germany: said so, not guessed.
    assert html.count('data-testid="not-recorded"') == 1
    # Decisions: exactly the German ones this role may see (+ the public 2019 acquittal).
    expected = len(DECISIONS_VISIBLE[role]) + 1
    profile = selectors.country_profile(actor=response.context["actor"], country="DE")
    assert profile is not None and profile.counts.total == expected
    assert (
        f"{expected} decision{'s' if expected != 1 else ''} from Germany that you may see" in html
    )
    years = {y.year: y.by_outcome for y in profile.counts.years}
    assert years[2019] == {"acquitted": 1}
    assert years[2021] == {"convicted": expected - 1}
    titles_shown = {d.uid for d in profile.recent}
    assert "fr-public" not in titles_shown
    hidden = {
        d.uid
        for key, d in decisions.items()
        if key.count("/") == 1 and key not in DECISIONS_VISIBLE[role]
    }
    for uid in hidden:
        assert uid not in html


@pytest.mark.parametrize("role", INSTANCE_ROLES)
def test_countries_index_counts_only_visible_decisions(
    role: str, users: dict[str, Any], decisions: dict[str, Any]
) -> None:
    response = _client(users, role).get("/knowledge/countries/")
    assert response.status_code == 200
    rows = {r.country: r for r in response.context["rows"]}
    assert rows["DE"].decisions == len(DECISIONS_VISIBLE[role]) + 1
    assert rows["FR"].decisions == 1
    assert rows["DE"].recorded == 6 and rows["IT"].recorded == 0  # IT: provisions only
    html = response.content.decode()
    assert 'data-testid="country-row-IT"' in html and "not recorded" in html


@pytest.mark.parametrize("role", ROLES)
def test_contact_points_only_for_members_who_may_see_people(world: World, role: str) -> None:
    response = world.client(role).get("/knowledge/countries/DE/")
    assert response.status_code == 200
    by_network = {nc.network.slug: nc for nc in response.context["p"].networks}
    # Network a is a public archive: its German authorities are listed for everyone.
    assert "a" in by_network
    a = by_network["a"]
    assert a.may_see_people == (role in SEES_PEOPLE_A)
    people = {m.person.name for m in a.contact_points}
    html = response.content.decode()
    if role in SEES_PEOPLE_A:
        assert "Fictional Ncp" in people and "Fictional Ncp" in html
    else:
        assert people == set() and "Fictional Ncp" not in html
    # Network b is private: only its members know it exists.
    assert ("b" in by_network) == (role in {"other_network", "other_secretariat"})


def test_compare_side_by_side_and_its_errors(users: dict[str, Any], decisions: Any) -> None:
    client = _client(users, "member")
    response = client.get("/knowledge/countries/compare/?c=DE&c=nl&c=AT")
    assert response.status_code == 200
    cmp = response.context["cmp"]
    assert cmp.countries == ["DE", "NL", "AT"]
    presence = dict(
        zip(cmp.countries, next(r[2] for r in cmp.rows if r[0] == "presence_required"), strict=True)
    )
    assert presence["DE"].value == "no" and presence["NL"].value == "yes" and presence["AT"] is None
    assert cmp.decisions == [3, 0, 0]
    for query, message in [
        ("c=DE", "at least two"),
        ("c=DE&c=Germany", "'Germany' is not an ISO 3166-1"),
        ("c=DE&c=US", "records nothing about US"),
        ("c=DE&c=NL&c=FR&c=SE&c=AT&c=BE&c=IT", "at most 6"),
    ]:
        bad = client.get(f"/knowledge/countries/compare/?{query}")
        assert bad.status_code == 400
        assert message in bad.context["error"] and bad.context["error"].startswith("c:")


def test_country_codes_are_checked(users: dict[str, Any]) -> None:
    client = Client()
    assert client.get("/knowledge/countries/US/").status_code == 404
    bad = client.get("/knowledge/countries/DEU/")
    assert bad.status_code == 400 and bad.context["error"].startswith("country:")
    assert client.get("/knowledge/countries/de/")["Location"] == "/knowledge/countries/DE/"


@pytest.mark.parametrize("role", INSTANCE_ROLES)
def test_country_api_counts_per_role(
    role: str, users: dict[str, Any], decisions: dict[str, Any]
) -> None:
    from cicnet.accounts.models import ApiToken

    headers = {}
    if role != "anonymous":
        token = ApiToken.objects.create(user=users[role], key=ApiToken.new_key())
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token.key}"
    body = Client().get("/api/v1/knowledge/countries/DE", **headers).json()
    assert body["decisions"]["total"] == len(DECISIONS_VISIBLE[role]) + 1
    facts = {f["condition"]: f for f in body["facts"]}
    assert facts["court"] == {
        "condition": "court",
        "label": "Competent court",
        "recorded": False,
        "value": "",
        "text": "",
        "provision": "",
        "caveat": "",
        "sources": [],
    }
    assert facts["statute_of_limitations"]["sources"][0]["url"].startswith("https://")
    assert any(p["provisions"] == "§ 6" for p in body["provisions"])
    listing = Client().get("/api/v1/knowledge/countries", **headers).json()
    de = next(r for r in listing if r["country"] == "DE")
    assert de["decisions_visible"] == body["decisions"]["total"]
    assert de["universal_jurisdiction"] == "yes"


def test_country_api_errors_name_the_parameter(db: None) -> None:
    client = Client()
    bad = client.get("/api/v1/knowledge/countries/DEU")
    assert bad.status_code == 400 and bad.json()["parameter"] == "country"
    missing = client.get("/api/v1/knowledge/countries/US")
    assert missing.status_code == 404 and missing.json()["parameter"] == "country"


def test_country_api_contact_points_follow_the_network_policy(world: World) -> None:
    from cicnet.accounts.models import ApiToken

    def contacts(role: str) -> dict[str, Any]:
        headers = {}
        if world.users.get(role) is not None:
            token = ApiToken.objects.create(user=world.users[role], key=ApiToken.new_key())
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token.key}"
        body = Client().get("/api/v1/knowledge/countries/DE", **headers).json()
        return {n["network"]: n for n in body["networks"]}

    assert contacts("anonymous")["a"]["contact_points"] == []
    assert contacts("cso")["a"]["contact_points_visible"] is False
    ncp = contacts("ncp")["a"]
    assert ncp["contact_points_visible"] is True
    assert "Fictional Ncp" in {c["name"] for c in ncp["contact_points"]}


def test_unknown_role_sees_public_counts_only(decisions: dict[str, Any]) -> None:
    user = UserFactory(username="odd", role="member")
    user.role = "visitor"  # not a role of the vocabulary: the policy denies by default
    user.save(update_fields=["role"])
    client = Client()
    client.force_login(user)
    response = client.get("/knowledge/countries/DE/")
    assert response.context["p"].counts.total == len(DECISIONS_VISIBLE["anonymous"]) + 1


def test_country_page_queries_do_not_grow_with_the_decisions(
    users: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(users, "member")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/knowledge/countries/DE/").status_code == 200
        return len(ctx.captured_queries)

    DecisionFactory.create_batch(3)
    few = queries()
    DecisionFactory.create_batch(30, decision_date=dt.date(2018, 1, 1), outcome="acquitted")
    assert queries() == few
    with django_assert_max_num_queries(few):
        client.get("/knowledge/countries/DE/")
