"""The CSV → ingestion-format mapping, checked on real rows of the catalogue."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from cicnet.demo.catalogue import (
    CURATION_QUEUE,
    CatalogueError,
    catalogue_records,
    catalogue_rows,
    clean_ecli,
    crimes_for_row,
    names_ordinary_offence,
    proceedings_keys,
    row_to_record,
)
from cicnet.pipeline.metadata import clean_metadata


def _row(uid: str) -> dict[str, str]:
    return next(r for r in catalogue_rows() if r["id"] == uid)


def _meta(uid: str) -> dict[str, Any]:
    return next(r.metadata for r in catalogue_records() if r.name == uid)


def test_catalogue_has_all_111_decisions_with_unique_ids() -> None:
    ids = [r["id"] for r in catalogue_rows()]
    assert len(ids) == 111
    assert len(set(ids)) == 111


def test_anwar_r_gets_its_rome_statute_crimes_and_ordinary_offences() -> None:
    meta = _meta("de-olg-koblenz-anwar-r-2022")
    # 7(1)(g) covers six sexual crimes; crimes_charged names rape, so only rape is kept.
    assert meta["crimes"] == ["7(1)(a)", "7(1)(f)", "7(1)(e)", "7(1)(g)-1", "other"]
    assert meta["title"] == "Anwar R. — Higher Regional Court of Koblenz, 13 January 2022"
    assert meta["decision_date"] == "2022-01-13"
    assert meta["jurisdiction_basis"] == "universal"
    assert meta["outcome"] == "convicted"
    assert meta["instance"] == "first_instance"
    assert meta["decision_type"] == "judgment"
    assert meta["terrorism_concurrent"] is False
    assert "demo" not in meta  # a real decision, not fictional demo content
    assert meta["access"] == "public"
    assert meta["state"] == "published"
    assert meta["confidence"] == "high"
    assert meta["source_urls"] and all(u.startswith("https://") for u in meta["source_urls"])


def test_anwar_r_is_linked_to_its_federal_court_appeal() -> None:
    first = _meta("de-olg-koblenz-anwar-r-2022")
    appeal = _meta("de-bgh-anwar-r-2024")
    assert first["proceedings"] == appeal["proceedings"]
    assert appeal["instance"] == "appeal"
    assert appeal["case_number"] == "3 StR 454/22"
    # The 2021 judgment against Eyad A. came out of the same Koblenz trial (the CSV links them).
    assert _meta("de-olg-koblenz-eyad-a-2021")["proceedings"] == first["proceedings"]
    assert "Anwar R." in first["proceedings_title"]


def test_unrelated_decisions_get_no_shared_proceedings() -> None:
    links = proceedings_keys(catalogue_rows())
    assert links["de-olg-koblenz-anwar-r-2022"][0] != links["de-olg-frankfurt-taha-alj-2021"][0]
    assert "de-olg-stuttgart-fsa-2019" not in links  # no related decisions in the CSV


def test_ecli_notes_are_stripped_and_malformed_eclis_dropped() -> None:
    assert clean_ecli("ECLI:NL:RBDHA:2013:BZ4292 (translation ECLI:NL:RBDHA:2013:8710)") == (
        "ECLI:NL:RBDHA:2013:BZ4292"
    )
    assert (
        clean_ecli("ECLI:NL:GHSGR:2007:BA6734 (English translation)") == "ECLI:NL:GHSGR:2007:BA6734"
    )
    assert (
        clean_ecli("ECLI:DE:BGH:2018:201218U3STR236.17.0") == "ECLI:DE:BGH:2018:201218U3STR236.17.0"
    )
    assert clean_ecli("not an ECLI") == ""
    assert clean_ecli("ECLI:NL:HR") == ""


def test_date_precision_is_kept_in_the_value_and_the_title() -> None:
    month = _meta("ca-qcca-munyaneza-2014")
    assert month["decision_date"] == "2014-05"
    assert month["title"].endswith("May 2014")
    year = _meta("de-bgh-eyad-a-2022")
    assert year["decision_date"] == "2022"
    assert year["title"] == "Eyad A. — Federal Court of Justice, 2022"


def test_terrorism_charged_cumulatively_is_chosen_from_the_charges() -> None:
    assert "terrorism.membership" in crimes_for_row(_row("de-olg-muenchen-jennifer-w-2021"))
    innsbruck = crimes_for_row(_row("at-lg-innsbruck-syria-2017"))
    assert innsbruck == ["terrorism.offence"]  # murder as a terrorist offence: not 'other'
    assert not any(
        c.startswith("terrorism") for c in crimes_for_row(_row("de-olg-koblenz-anwar-r-2022"))
    )
    assert _meta("nl-rb-denhaag-oussama-a-2019")["terrorism_concurrent"] is True


def test_rome_references_that_are_not_crimes_are_skipped() -> None:
    # Basebya: 25(3)(e) (incitement to genocide) is a mode of liability, not a crime id.
    assert crimes_for_row(_row("nl-rb-denhaag-basebya-2013")) == []


def test_ordinary_offences_are_told_apart_from_descriptions_of_core_crimes() -> None:
    assert names_ordinary_offence("genocide; murder")
    assert names_ordinary_offence("complicity in war crimes; illegal arms trade")
    # Inside a core-crime list "murder of prisoners" describes the war crime.
    assert not names_ordinary_offence(
        "war crimes: arbitrary detention; torture; murder of prisoners"
    )
    assert not names_ordinary_offence("genocide; war crimes (murder and attempted murder)")


def test_ecthr_rows_are_other_instance_ecthr_judgments() -> None:
    meta = _meta("echr-jorgic-2007")
    assert meta["instance"] == "other"
    assert meta["decision_type"] == "ecthr_judgment"
    assert meta["country"] == "DE"  # the respondent State
    assert meta["ecli"] == ""
    assert _meta("echr-drelingas-2019")["ecli"] == "ECLI:CE:ECHR:2019:0312JUD002885916"


def test_vocabulary_values_are_mapped_to_vocabulary_ids() -> None:
    bases = Counter(r.metadata["jurisdiction_basis"] for r in catalogue_records())
    # The CSV's counts: universal 62, unknown 37, territorial 11, passive personality 1.
    assert bases == {"universal": 62, "unknown": 37, "territorial": 11, "passive_personality": 1}
    outcomes = Counter(r.metadata["outcome"] for r in catalogue_records())
    assert outcomes == {"convicted": 71, "partially_convicted": 22, "other": 15, "acquitted": 3}


def test_unnamed_defendants_get_no_label() -> None:
    meta = _meta("de-olg-stuttgart-fsa-2019")
    assert meta["defendant"] == ""
    assert meta["title"].startswith("3 - 3 StE 5/2018 — Higher Regional Court of Stuttgart")


def test_a_few_decisions_wait_in_the_curation_queue() -> None:
    states = {r.name: r.metadata["state"] for r in catalogue_records()}
    assert {uid: states[uid] for uid in CURATION_QUEUE} == CURATION_QUEUE
    assert sum(1 for s in states.values() if s != "published") == len(CURATION_QUEUE)


def test_every_catalogue_record_passes_the_ingestion_format() -> None:
    for record in catalogue_records():
        _, errors = clean_metadata(record.metadata, stem=record.name)
        assert errors == [], (record.name, [f"{e.field}: {e.message}" for e in errors])


def test_a_bad_row_names_the_row_and_column() -> None:
    row = dict(_row("de-olg-koblenz-anwar-r-2022"), outcome="guilty-ish")
    with pytest.raises(CatalogueError, match="de-olg-koblenz-anwar-r-2022: outcome"):
        row_to_record(row, proceedings=None)
    row = dict(_row("de-olg-koblenz-anwar-r-2022"), decision_date="13.01.2022")
    with pytest.raises(CatalogueError, match="decision_date"):
        row_to_record(row, proceedings=None)
