"""The decision reader and its downloads: tiers, layout, anchors, disclaimers."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ..conftest import VISIBLE
from ..factories import DecisionFactory, ParagraphFactory, ProceedingsFactory, TextFactory
from .conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_reader_shows_exactly_the_visible_decisions(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    for key, decision in tier_matrix.items():
        response = clients[role].get(f"/decisions/{decision.uid}/")
        expected = 200 if key in VISIBLE[role] else 404
        assert response.status_code == expected, (role, key)
        if expected == 200:
            assert decision.title in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_json_download_follows_the_tiers(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    for key, decision in tier_matrix.items():
        response = clients[role].get(f"/decisions/{decision.uid}.json")
        if key in VISIBLE[role]:
            assert response.status_code == 200, (role, key)
            assert response["Content-Type"].startswith("application/json")
            assert json.loads(response.content)["id"] == decision.uid
        else:
            assert response.status_code == 404, (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_source_file_download_is_for_the_secretariat_only(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client], settings: Any
) -> None:
    """The source file is the raw, un-anonymised text: other tiers get the anonymised JSON."""
    root = Path(settings.MEDIA_ROOT)
    for key, decision in tier_matrix.items():
        stored = root / decision.uid / "judgment.de.txt"
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(f"Urteil {key}", encoding="utf-8")
        TextFactory(
            decision=decision,
            language="de",
            source_file=f"{decision.uid}/judgment.de.txt",
            source_filename="judgment.de.txt",
        )
    for key, decision in tier_matrix.items():
        response = clients[role].get(f"/decisions/{decision.uid}/files/de")
        if key in VISIBLE[role] and role in ("curator", "admin"):
            assert response.status_code == 200, (role, key)
            assert 'attachment; filename="judgment.de.txt"' in response["Content-Disposition"]
            assert response["Content-Type"] == "application/octet-stream"
            assert "sandbox" in response["Content-Security-Policy"]
            assert b"".join(response.streaming_content).decode() == f"Urteil {key}"
        else:
            assert response.status_code == 404, (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_search_within_a_hidden_decision_is_404(
    role: str, tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    for key, decision in tier_matrix.items():
        response = clients[role].get(f"/decisions/{decision.uid}/search/", {"q": "anything"})
        assert response.status_code == (200 if key in VISIBLE[role] else 404), (role, key)


def test_missing_decision_is_404_on_every_url(client: Client, db: None) -> None:
    for url in (
        "/decisions/nope/",
        "/decisions/nope.json",
        "/decisions/nope/files/en",
        "/decisions/nope/search/?q=x",
    ):
        assert client.get(url).status_code == 404, url


def test_file_outside_media_root_is_not_served(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    decision = DecisionFactory()
    TextFactory(decision=decision, language="en", source_file="../secret.txt")
    assert client.get(f"/decisions/{decision.uid}/files/en").status_code == 404


def test_text_without_stored_file_has_no_download(client: Client) -> None:
    decision = DecisionFactory()
    TextFactory(decision=decision, language="en")
    assert client.get(f"/decisions/{decision.uid}/files/en").status_code == 404
    assert (
        f"/decisions/{decision.uid}/files/en"
        not in client.get(decision.get_absolute_url()).content.decode()
    )


def _bilingual(provenance: str = "human") -> Any:
    decision = DecisionFactory(
        uid="se-bilingual",
        ecli="",
        case_number="B 123-45",
        court="Stockholm District Court",
        decision_date=dt.date(2022, 12, 1),
    )
    original = TextFactory(decision=decision, language="sv", is_original=True)
    translation = TextFactory(
        decision=decision,
        language="en",
        is_original=False,
        provenance=provenance,
        unofficial=True,
        translator="Secretariat",
    )
    for n in (1, 2, 3):
        ParagraphFactory(text=original, number=n, body=f"Svensk stycke {n}.")
    for n in (1, 3):
        ParagraphFactory(text=translation, number=n, body=f"English paragraph {n}.")
    return decision


def test_original_and_translation_side_by_side_aligned_by_number(client: Client) -> None:
    decision = _bilingual()
    html = client.get(decision.get_absolute_url()).content.decode()
    assert 'data-testid="parallel"' in html
    for n in (1, 2, 3):
        assert f'id="sv-p{n}"' in html
    assert 'id="en-p1"' in html and 'id="en-p3"' in html and 'id="en-p2"' not in html
    # Row order: sv-p1 then en-p1 then sv-p2 …: the pair of the same number sits in one row.
    assert (
        html.index('id="sv-p1"')
        < html.index('id="en-p1"')
        < html.index('id="sv-p2"')
        < html.index('id="sv-p3"')
        < html.index('id="en-p3"')
    )
    assert "unofficial translation" in html
    assert "Machine translation" not in html


def test_machine_translation_is_flagged(client: Client) -> None:
    decision = _bilingual(provenance="machine")
    html = client.get(decision.get_absolute_url()).content.decode()
    assert "Machine translation" in html and "unofficial translation" in html


def test_single_language_view(client: Client) -> None:
    decision = _bilingual()
    html = client.get(decision.get_absolute_url(), {"view": "en"}).content.decode()
    assert 'data-testid="parallel"' not in html
    assert 'id="en-p1"' in html and 'id="sv-p1"' not in html


def test_cite_this_paragraph_uses_case_number_or_ecli(client: Client) -> None:
    with_ecli = DecisionFactory(ecli="ECLI:NL:HR:2021:123")
    ParagraphFactory(text=TextFactory(decision=with_ecli), number=7)
    html = client.get(with_ecli.get_absolute_url()).content.decode()
    assert (
        'data-copy="Fictional Regional Court, judgment of 24 February 2021, '
        'ECLI:NL:HR:2021:123, para. 7"'
    ) in html

    without = DecisionFactory(
        court="Stockholm District Court", case_number="B 123-45", decision_date=dt.date(2022, 12, 1)
    )
    ParagraphFactory(text=TextFactory(decision=without), number=4)
    html = client.get(without.get_absolute_url()).content.decode()
    assert (
        'data-copy="Stockholm District Court, judgment of 1 December 2022, B 123-45, para. 4"'
    ) in html


def test_reader_shows_metadata_crimes_with_elements_and_provisions(client: Client) -> None:
    decision = DecisionFactory(
        court="Higher Regional Court of Koblenz",
        court_original="Oberlandesgericht Koblenz",
        defendant="Anwar R.",
        situation="Syria",
        sentence="Life imprisonment",
        keywords=["torture", "Branch 251"],
        summary="A summary in own words.",
        source_urls=["https://example.org/source"],
        confidence="high",
        is_demo=True,
        decision_date=dt.date(2022, 1, 1),
        date_precision="year",
    )
    decision.crimes.create(crime_id="7(1)(f)")
    decision.provisions.create(citation="VStGB § 7(1) no. 5", national_provision_key="DE:2")
    html = client.get(decision.get_absolute_url()).content.decode()
    for text in (
        "Oberlandesgericht Koblenz",
        "Anwar R.",
        "Syria",
        "Life imprisonment",
        "Branch 251",
        "A summary in own words.",
        "https://example.org/source",
        "Demo content",
        "Crime against humanity of torture",
        "Crimes against humanity",
        "Rome Statute art. 7(1)(f)",
        "VStGB § 7(1) no. 5",
        "Code of Crimes against International Law",
        "only the year is known",
    ):
        assert text in html, text
    # The elements of the crime are in the page, inside a <details> disclosure.
    assert '<details class="crime"' in html and "severe physical or mental pain" in html


def test_crimes_derived_from_a_whole_article_show_as_one_line(client: Client) -> None:
    from cicnet.law.crimes import specific_crimes_for_reference

    decision = DecisionFactory()
    decision.crimes.create(crime_id="7(1)(f)")
    for cid in specific_crimes_for_reference("7"):
        if cid != "7(1)(f)":
            decision.crimes.create(crime_id=cid, derived=True)
    html = client.get(decision.get_absolute_url()).content.decode()
    # Charged torture, then the provision's whole article 7 as one derived generic line.
    assert re.findall(r'data-crime="([^"]+)"', html) == ["7(1)(f)", "7"]
    assert "derived from a national provision" in html


def test_derived_crimes_covering_an_article_collapse(client: Client) -> None:
    from cicnet.law.crimes import specific_crimes_for_reference

    decision = DecisionFactory()
    decision.crimes.create(crime_id="6")
    for cid in specific_crimes_for_reference("7"):
        decision.crimes.create(crime_id=cid, derived=True)
    html = client.get(decision.get_absolute_url()).content.decode()
    assert re.findall(r'data-crime="([^"]+)"', html) == ["6", "7"]
    assert "Crime against humanity (act not specified)" in html
    assert "Genocide (act not specified)" in html


def test_proceedings_siblings_respect_the_tiers(client: Client) -> None:
    proceedings = ProceedingsFactory()
    first = DecisionFactory(proceedings=proceedings, title="First instance judgment")
    DecisionFactory(proceedings=proceedings, title="Public appeal judgment")
    DecisionFactory(proceedings=proceedings, title="Network appeal judgment", access="network")
    html = client.get(first.get_absolute_url()).content.decode()
    assert "Public appeal judgment" in html
    assert "Network appeal judgment" not in html


def test_curator_sees_edit_and_transitions_others_do_not(
    tier_matrix: dict[str, Any], clients: dict[str, Client]
) -> None:
    decision = tier_matrix["public/published"]
    for role in ROLES:
        html = clients[role].get(decision.get_absolute_url()).content.decode()
        curates = role in ("curator", "admin")
        assert ('data-testid="edit-link"' in html) is curates, role
        assert ('data-testid="transition-draft"' in html) is curates, role
    assert (
        "/audit/?object_type=decision"
        in clients["admin"].get(decision.get_absolute_url()).content.decode()
    )
    assert (
        "/audit/"
        not in clients["curator"]
        .get(decision.get_absolute_url())
        .content.decode()
        .split("<main")[1]
    )


def test_reader_query_count_does_not_grow_with_paragraphs(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    decision = DecisionFactory()
    text = TextFactory(decision=decision)
    for n in range(1, 60):
        ParagraphFactory(text=text, number=n)
    decision.crimes.create(crime_id="7(1)(f)")
    # 11: the 8 of the page, plus the embedding state (its vectors beside its anonymised text;
    # the anonymised text is one query with the page's own, issue 13) and the citations (what
    # the decision cites, and who cites it; issue 15); on PostgreSQL three more: the vector
    # index's stamp, and its reload after the rows changed (search/vectors.py).
    from django.db import connection

    with django_assert_max_num_queries(11 + 3 * (connection.vendor == "postgresql")):
        assert client.get(decision.get_absolute_url()).status_code == 200
