"""The court vocabulary: every demo court maps to one entry, ingestion refuses an unknown court
naming the field and how to add it, curation picks from the vocabulary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from cicnet.demo.catalogue import catalogue_rows
from cicnet.jurisprudence.courts import courts, match_court
from cicnet.jurisprudence.forms import DecisionEditForm
from cicnet.jurisprudence.models import Decision
from cicnet.pipeline.runner import ingest_path
from tests.factories import DecisionFactory


def test_every_demo_court_maps_to_one_vocabulary_entry_with_a_source() -> None:
    for row in catalogue_rows():
        assert match_court(row["court"]) is not None, row["court"]
    ecthr = {
        found.court.id
        for r in catalogue_rows()
        if "Human Rights" in r["court"] and (found := match_court(r["court"])) is not None
    }
    assert ecthr == {"echr"}
    assert all(c.source for c in courts().values())


def test_a_formation_in_parentheses_is_kept_beside_the_court() -> None:
    found = match_court("European Court of Human Rights (Grand Chamber)")
    assert found is not None and (found.court.id, found.formation) == ("echr", "Grand Chamber")


def test_ingestion_refuses_an_unknown_court_naming_the_field_and_how_to_add_it(
    db: None, tmp_path: Path
) -> None:
    (tmp_path / "x.yaml").write_text(
        "title: X\ncountry: DE\ncourt: Higher Regional Court of Kobelnz\ndecision_date: 2020\n"
        "instance: first_instance\n",
        "utf-8",
    )
    report = ingest_path(tmp_path)
    error = report.failed[0].error
    assert "court: unknown court 'Higher Regional Court of Kobelnz'" in error
    assert "did you mean 'Higher Regional Court of Koblenz'" in error
    assert "courts.yaml" in error and "docs/ingest.md" in error
    assert not Decision.objects.exists()


def test_curation_picks_the_court_from_the_vocabulary(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    decision = DecisionFactory(court="Old spelling", version=1)
    html = clients["curator"].get(f"/decisions/{decision.uid}/edit/").content.decode()
    assert '<select name="court"' in html and 'value="de-olg-koblenz"' in html
    data = {k: ("" if v is None else v) for k, v in DecisionEditForm.initial_for(decision).items()}
    data.update(court="not-a-court")
    response = clients["curator"].post(f"/decisions/{decision.uid}/edit/", data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    data.update(court="de-olg-koblenz", court_formation="State Security Senate")
    response = clients["curator"].post(f"/decisions/{decision.uid}/edit/", data)
    assert response.status_code == 302
    stored = Decision.objects.get(pk=decision.pk)
    assert (stored.court_id, stored.court, stored.court_original, stored.court_formation) == (
        "de-olg-koblenz",
        "Higher Regional Court of Koblenz",
        "Oberlandesgericht Koblenz",
        "State Security Senate",
    )


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_only_curators_reach_the_court_select(
    role: str, clients: dict[str, Client], users: dict[str, Any]
) -> None:
    decision = DecisionFactory()
    assert clients[role].get(f"/decisions/{decision.uid}/edit/").status_code == 404
