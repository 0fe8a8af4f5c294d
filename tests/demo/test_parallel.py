"""The 40 ECtHR judgments in English, French and Spanish in the demo: each text's provenance
labelled exactly as the corpus notice says, paragraphs numbered alike, signed off as the demo's
texts are, and the French shown beside the English in the reader."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from cicnet.anonymisation.models import TextAnonymisation
from cicnet.demo.parallel import (
    COURTS_OWN_CREDIT,
    MACHINE_CREDIT,
    parallel_documents,
    parallel_records,
    respondent,
)
from cicnet.demo.services import _demo_sign_off
from cicnet.demo.users import demo_users_ensure
from cicnet.jurisprudence.models import Decision, Text


def test_all_40_documents_convert_with_the_notices_labels() -> None:
    records = list(parallel_records())
    assert len(records) == 40
    french = [r.metadata["texts"]["fr"] for r in records]
    assert sum(1 for f in french if f.get("unofficial") is False) == 7
    assert sum(1 for f in french if f["provenance"] == "machine") == 33
    assert all(r.metadata["texts"]["es"]["provenance"] == "machine" for r in records)
    assert all(r.metadata["decision_date"] == "unknown" for r in records)


def test_respondent_state_is_read_from_the_application_paragraph() -> None:
    by_id = {d["id"]: d for d in parallel_documents()}
    assert respondent(by_id["001-110271"]) == ("GB", "the United Kingdom")
    assert respondent(by_id["001-158475"]) == ("TR", "Turkey")


def test_a_court_number_the_english_lacks_is_removed_from_the_translations() -> None:
    record = next(r for r in parallel_records() if r.name == "echr-001-68178")
    assert "\\n\\n6. Le 16 juillet" not in record.texts["fr"]
    assert "Le 16 juillet 1997" in record.texts["fr"]


@pytest.mark.django_db
def test_ingested_parallel_judgment_is_labelled_and_signed_off_as_the_demo_does(
    client: Client, tmp_path: Path
) -> None:
    # The demo loader's own steps (demo/services.py), for one document: write, ingest, sign off.
    demo_users_ensure()
    record = next(parallel_records(1))
    record.write(tmp_path)
    call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    signed, refused = _demo_sign_off([str(record.metadata["uid"])])
    assert (signed, refused) == (1, [])
    first = Decision.objects.get(uid="echr-001-110271")
    texts = {t.language: t for t in Text.objects.filter(decision=first)}
    assert set(texts) == {"en", "fr", "es"}
    assert texts["en"].is_original and texts["en"].kind_label == "Original"
    assert texts["fr"].kind_label == "Machine translation (unofficial)"
    assert texts["fr"].translator == MACHINE_CREDIT
    assert texts["es"].kind_label == "Machine translation (unofficial)"
    numbers = {
        lang: list(t.paragraphs.values_list("number", flat=True)) for lang, t in texts.items()
    }
    assert numbers["en"] == numbers["fr"] == numbers["es"]
    assert not TextAnonymisation.objects.filter(
        text__decision=first, signed_off_at__isnull=True
    ).exists()
    page = client.get(first.get_absolute_url()).content.decode()
    assert "French — Machine translation (unofficial)" in page


def test_the_courts_own_french_is_labelled_so() -> None:
    record = next(r for r in parallel_records() if r.name == "echr-001-57990")
    english = record.metadata["texts"]["en"]
    assert record.metadata["texts"]["fr"] == {
        "provenance": "court",
        "unofficial": False,
        "translator": COURTS_OWN_CREDIT,
        "completeness": english["completeness"],
        "excerpt_contents": english["excerpt_contents"],
    }
