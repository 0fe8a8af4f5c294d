"""Cite as: one formatter, in the ECtHR's and the Genocide Network's forms; a year-only date is
the year, never 1 January, on the page, in the API, the exports and the paragraph buttons."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.test import Client

from cicnet.jurisprudence.citation import cite
from cicnet.search.services import rebuild_index
from tests.factories import DecisionFactory, ParagraphFactory, TextFactory


def test_ecthr_citation_in_the_courts_form(db: None) -> None:
    decision = DecisionFactory.build(
        court_id="echr",
        court="European Court of Human Rights",
        court_formation="Grand Chamber",
        case_name="Kononov v. Latvia",
        case_number="36376/04",
        decision_date=dt.date(2010, 5, 17),
        decision_type="ecthr_judgment",
    )
    assert cite(decision) == "Kononov v. Latvia [GC], no. 36376/04, 17 May 2010"
    assert (
        cite(decision, paragraph=185) == "Kononov v. Latvia [GC], no. 36376/04, § 185, 17 May 2010"
    )
    decision.case_number, decision.court_formation = "23052/04; 24018/04", "Fourth Section"
    decision.case_name = "Kolk and Kislyiy v. Estonia"
    assert cite(decision).startswith("Kolk and Kislyiy v. Estonia, nos. 23052/04 and 24018/04,")


def test_national_citation_in_the_genocide_networks_form(db: None) -> None:
    decision = DecisionFactory.build(
        court_id="de-olg-koblenz",
        court="Higher Regional Court of Koblenz",
        defendant="Example A.",
        case_name="Example trial",
        case_number="1 StE 99/19",
        decision_date=dt.date(2022, 1, 13),
    )
    assert cite(decision, paragraph=12) == (
        "Example A. (Example trial), Higher Regional Court of Koblenz, judgment of "
        "13 January 2022, 1 StE 99/19, para. 12"
    )


def test_a_year_only_date_is_the_year_everywhere(db: None, client: Client) -> None:
    decision = DecisionFactory(
        court="Federal Court of Justice",
        defendant="Example B.",
        decision_date=dt.date(2022, 1, 1),
        date_precision="year",
        decision_type="decision",
    )
    ParagraphFactory(text=TextFactory(decision=decision), number=3)
    expected = "Example B., Federal Court of Justice, decision of 2022"
    html = client.get(decision.get_absolute_url()).content.decode()
    assert f'<cite data-testid="citation">{expected}</cite>' in html
    assert f'data-copy="{expected}, para. 3"' in html
    assert "1 January" not in html
    record = client.get(f"/api/v1/decisions/{decision.uid}").json()
    assert (record["citation"], record["date_display"]) == (expected, "2022")
    rebuild_index()  # the export goes through search
    response = client.get("/api/v1/search/export.csv")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]  # streamed
    rows = list(csv.DictReader(io.StringIO(body)))
    assert (rows[0]["decision_date"], rows[0]["citation"]) == ("2022", expected)
