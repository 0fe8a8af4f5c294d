"""The ECtHR judgments of the Text Anonymization Benchmark as demo decisions."""

from __future__ import annotations

from collections import Counter

import pytest

from cicnet.demo.tab import (
    TabError,
    doc_to_record,
    keywords_for,
    tab_documents,
    tab_records,
    text_spec,
)
from cicnet.pipeline.metadata import clean_metadata


def test_all_113_judgments_become_records_with_their_texts() -> None:
    records = list(tab_records())
    assert len(records) == 113
    assert len({r.metadata["uid"] for r in records}) == 113
    assert all(r.texts["en"].strip() for r in records)


def test_a_judgment_is_mapped_from_its_meta() -> None:
    doc = next(d for d in tab_documents() if d["doc_id"] == "001-90973")
    index = tab_documents().index(doc)
    record = doc_to_record(doc, index=index)
    meta = record.metadata
    assert meta["uid"] == "echr-001-90973"
    assert meta["title"] == "ECtHR 001-90973 (Christou v. Turkey)"
    assert meta["court"] == "European Court of Human Rights"
    assert meta["country"] == "TR"  # meta.countries TUR, the respondent State
    assert meta["decision_date"] == "2009"  # meta.year: year precision
    assert meta["instance"] == "other"
    assert meta["decision_type"] == "ecthr_judgment"
    assert meta["case_number"] == "18403/91"  # "application (no. 18403/91)" in the text
    assert meta["source_urls"] == ["https://hudoc.echr.coe.int/eng?i=001-90973"]
    assert meta["state"] == "published"
    assert "demo" not in meta  # a real judgment, not fictional demo content
    # The TAB texts hold PROCEDURE and THE FACTS, never THE LAW: ingested as excerpts.
    assert meta["texts"] == {
        "en": {
            "original": True,
            "provenance": "original",
            "completeness": "excerpt",
            "excerpt_contents": "Procedure and facts",
        }
    }
    assert record.texts["en"] == doc["text"]


def test_article_keywords_are_deduplicated_and_limited_to_the_convention() -> None:
    doc = {"meta": {"articles": [91, 34, 56, 34, 44, 32, 34, 112, 49, 45, 49, 34, 93]}}
    assert keywords_for(doc) == [
        "ECHR art. 32",
        "ECHR art. 34",
        "ECHR art. 44",
        "ECHR art. 45",
        "ECHR art. 49",
        "ECHR art. 56",
    ]


def test_about_one_in_four_judgments_is_network_only_and_the_choice_is_stable() -> None:
    first = Counter(r.metadata["access"] for r in tab_records(with_text=False))
    again = Counter(r.metadata["access"] for r in tab_records(with_text=False))
    assert first == again == {"public": 85, "network": 28}


def test_skipping_texts_leaves_metadata_only() -> None:
    assert all(r.texts == {} for r in tab_records(3, with_text=False))


def test_every_tab_record_passes_the_ingestion_format() -> None:
    for record in tab_records(with_text=False):
        _, errors = clean_metadata(record.metadata, stem=record.name)
        assert errors == [], (record.name, [f"{e.field}: {e.message}" for e in errors])


def test_unknown_respondent_state_names_the_document() -> None:
    doc = {
        "doc_id": "001-1",
        "text": "",
        "meta": {"year": 2001, "countries": "XXX", "applicant": "A"},
    }
    with pytest.raises(TabError, match=r"001-1: meta\.countries"):
        doc_to_record(doc, index=0)


def test_every_tab_text_is_an_excerpt_of_procedure_and_facts() -> None:
    specs = [text_spec(d["text"]) for d in tab_documents()]
    assert len(specs) == 113
    assert all(s["excerpt_contents"] == "Procedure and facts" for s in specs)


def test_a_text_with_every_part_is_complete() -> None:
    text = (
        "PROCEDURE\n\n1. x\n\nTHE FACTS\n\n2. y\n\nTHE LAW\n\n3. z\n\n"
        "FOR THESE REASONS, THE COURT UNANIMOUSLY\n\n1. Holds"
    )
    assert text_spec(text) == {"original": True, "provenance": "original"}
    assert text_spec("PROCEDURE\n\nTHE FACTS\n\nTHE LAW\n")["excerpt_contents"] == (
        "Procedure and facts and the law"
    )
