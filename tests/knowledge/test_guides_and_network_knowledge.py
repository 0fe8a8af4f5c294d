"""Survivors' guides (public, no login, truthful labels, right-to-left where the script is) and
the network's knowledge pages (publications, meeting conclusions, EU Day Against Impunity)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicnet.network.seed import seed_meetings
from cicnet.network.services import meetings_load_from_seed

from ..network.factories import NetworkFactory

pytestmark = pytest.mark.django_db

LOGGED_IN = ("member", "curator", "admin")


@pytest.mark.parametrize("role", ("anonymous", *LOGGED_IN))
def test_guides_are_public_and_the_same_for_every_role(role: str, users: dict[str, Any]) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    index = client.get("/guides/")
    assert index.status_code == 200
    html = index.content.decode()
    for code in ("en", "ar", "uk", "fr", "es"):
        assert f'href="/guides/seeking-justice/{code}/"' in html
    assert "Not yet available in:" in html and "Tigrinya" in html
    arabic = client.get("/guides/seeking-justice/ar/")
    assert arabic.status_code == 200
    body = arabic.content.decode()
    assert '<article class="guide prose" lang="ar" dir="rtl"' in body
    assert "Not authoritative" in body and "Machine translation draft" in body
    assert "not reviewed by a person" in body
    assert "هذه ترجمة آلية أولية لم يراجعها أي شخص بعد" in body  # the notice in Arabic
    assert "https://trialinternational.org/" in body  # support organisations
    english = client.get("/guides/seeking-justice/en/").content.decode()
    assert "Machine-drafted original" in english and 'dir="ltr"' in english


def test_guide_errors(db: None) -> None:
    client = Client()
    assert client.get("/guides/seeking-justice/ti/").status_code == 404  # not yet translated
    assert client.get("/guides/no-such-guide/en/").status_code == 404
    assert client.get("/guides/countries/IT/").status_code == 404  # no sourced facts yet
    bad = client.get("/guides/countries/Germany/")
    assert bad.status_code == 400 and bad.context["error"].startswith("country:")


def test_country_guide_shows_sourced_facts_and_whom_to_contact(db: None) -> None:
    response = Client().get("/guides/countries/NL/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Seeking justice in Netherlands" in html or "Seeking justice in the Netherlands" in html
    assert (
        "warcrimes@politie.nl" in html
        and "https://www.om.nl/onderwerpen/internationale-misdrijven" in html
    )
    assert "WIM art. 2(1)(a)" in html
    assert 'data-testid="not-recorded"' in html  # e.g. victims' participation: no source yet


def test_guide_api(db: None) -> None:
    client = Client()
    listing = client.get("/api/v1/knowledge/guides").json()
    assert listing[0]["slug"] == "seeking-justice" and "ar" in listing[0]["languages"]
    ar = client.get("/api/v1/knowledge/guides/seeking-justice?lang=ar").json()
    assert ar["dir"] == "rtl" and ar["written_by"] == "machine" and ar["authoritative"] is False
    assert ar["reviewed_by"] == "" and ar["translated_from"] == "en"
    bad = client.get("/api/v1/knowledge/guides/seeking-justice?lang=klingon")
    assert bad.status_code == 400 and bad.json()["parameter"] == "lang"
    assert client.get("/api/v1/knowledge/guides/seeking-justice?lang=ti").status_code == 404


def test_publications_page_and_api_filter_and_name_bad_parameters(db: None) -> None:
    client = Client()
    page = client.get("/knowledge/publications/?kind=factsheet")
    assert page.status_code == 200
    ids = [p.id for p in page.context["items"]]
    assert "factsheet-uj-at-a-glance" in ids and "strategy-2014" not in ids
    assert "10.2812/340844" in client.get("/knowledge/publications/").content.decode()
    bad = client.get("/knowledge/publications/?kind=rumour")
    assert bad.status_code == 400 and bad.context["error"].startswith("kind:")
    api = client.get("/api/v1/knowledge/publications?q=terrorist").json()
    assert [p["id"] for p in api] == ["cumulative-prosecution-ftf-2020"]
    assert client.get("/api/v1/knowledge/publications?kind=x").json()["parameter"] == "kind"


def test_conclusions_of_the_36_meetings(db: None) -> None:
    network = NetworkFactory(slug="genocide-network", name="Genocide Network", is_fictional=False)
    meetings_load_from_seed(network=network, meetings=seed_meetings())
    response = Client().get("/knowledge/conclusions/")
    assert response.status_code == 200
    rows = {r.number: r for r in response.context["page"].rows}
    assert len(rows) == 36
    assert rows[31].link is not None and rows[31].link.url.endswith(
        "conclusions-31st-genocide-network-meeting-6-7-april-2022"
    )
    assert rows[7].available is False  # "Conclusions unavailable" on the source page
    assert rows[30].available and rows[30].link is None  # published, address not recorded
    html = response.content.decode()
    assert (
        "Published; address not recorded" in html and "Unavailable (stated by the source)" in html
    )


def test_conclusions_of_a_private_network_stay_hidden(users: dict[str, Any]) -> None:
    network = NetworkFactory(slug="genocide-network", is_public_archive=False)
    meetings_load_from_seed(network=network, meetings=seed_meetings())
    client = Client()
    client.force_login(users["admin"])  # an instance admin without a membership
    page = client.get("/knowledge/conclusions/").context["page"]
    assert page.network is None and page.rows == []


def test_eu_day_editions_carry_sources(db: None) -> None:
    response = Client().get("/knowledge/eu-day/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "23 May 2016" in html and "Ljubljana, Slovenia" in html
    assert "https://www.eurojust.europa.eu/publication/5th-eu-day-against-impunity" in html


def test_meeting_page_links_its_published_conclusions(db: None) -> None:
    network = NetworkFactory(slug="genocide-network", name="Genocide Network", is_fictional=False)
    meetings_load_from_seed(network=network, meetings=seed_meetings())
    client = Client()
    m31 = client.get("/network/genocide-network/meetings/31/").content.decode()
    assert "conclusions-31st-genocide-network-meeting-6-7-april-2022" in m31
    m30 = client.get("/network/genocide-network/meetings/30/").content.decode()
    assert "published; address not recorded" in m30
    m7 = client.get("/network/genocide-network/meetings/7/").content.decode()
    assert ">unavailable<" in m7
